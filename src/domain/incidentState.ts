import { z } from 'zod';
import { type Severity, SeveritySchema } from './severity.ts';

/** The single list of statuses, in lifecycle order; the store and Slack layers import it from here. */
export const INCIDENT_STATUSES = [
  'declared',
  'investigating',
  'identified',
  'monitoring',
  'resolved',
  'closed',
] as const;
export const IncidentStatusSchema = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatusSchema>;

/** A status as people read it: in the header, the status menu and the timeline of updates. */
export const STATUS_LABEL: Record<IncidentStatus, string> = {
  declared: 'Declared',
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** What `/incident status` and the status menu may set; the others are reached through their own actions. */
export const WORKING_STATUSES = [
  'investigating',
  'identified',
  'monitoring',
] as const satisfies readonly IncidentStatus[];
export type WorkingStatus = (typeof WORKING_STATUSES)[number];

export type TransitionResult = { ok: true } | { ok: false; reason: string };

export interface TransitionOptions {
  /** Closing is the post-mortem's job: only the code that marks it done passes true. */
  postMortemDone?: boolean;
}

const order = (status: IncidentStatus): number => INCIDENT_STATUSES.indexOf(status);

/**
 * Whether an incident may move from one status to another, and if not, what the person should do instead.
 *
 * Forward moves may skip states (a page that is obvious goes straight to identified; a false alarm is
 * resolved from declared). Among the working states, going back is allowed: the fix did not hold
 * (monitoring -> identified or investigating) or the suspected cause was wrong (identified ->
 * investigating). A resolved incident reopens as investigating. Nothing returns to declared, which only
 * means "nobody has picked this up yet". Closed is final, and only a done post-mortem closes.
 */
export function transition(
  from: IncidentStatus,
  to: IncidentStatus,
  options: TransitionOptions = {},
): TransitionResult {
  if (from === to) return { ok: false, reason: `The incident is already ${to}; nothing to change.` };
  if (from === 'closed') {
    return {
      ok: false,
      reason:
        'This incident is closed, and closed is final. If the problem is back, declare a new incident with /incident declare.',
    };
  }
  if (to === 'declared') {
    return {
      ok: false,
      reason:
        'An incident cannot go back to declared. To start the investigation over, use /incident status investigating.',
    };
  }
  if (to === 'closed') {
    if (from !== 'resolved') {
      return {
        ok: false,
        reason:
          'Only a resolved incident can close, and it closes when its post-mortem is done. Resolve it first with /incident resolve.',
      };
    }
    return options.postMortemDone
      ? { ok: true }
      : {
          ok: false,
          reason:
            'A resolved incident closes when its post-mortem is marked done. Mark the post-mortem done to close it.',
        };
  }
  if (from === 'resolved') {
    return to === 'investigating'
      ? { ok: true }
      : {
          ok: false,
          reason: `A resolved incident reopens as investigating, not ${to}. Use /incident status investigating to reopen it.`,
        };
  }
  // Both are open states other than declared as a target, so any forward move or working-state return fits.
  return { ok: true };
}

/** Every status the incident may move to next, in lifecycle order: the choices a status menu offers. */
export function nextStatuses(from: IncidentStatus, options: TransitionOptions = {}): IncidentStatus[] {
  return INCIDENT_STATUSES.filter((to) => transition(from, to, options).ok);
}

/** A move out of resolved back into work: announced as a reopen, and the resolution time no longer holds. */
export function isReopen(from: IncidentStatus, to: IncidentStatus): boolean {
  return from === 'resolved' && order(to) < order('resolved') && transition(from, to).ok;
}

/** Open incidents are the ones still being worked: they run timers and appear in `/incident list`. */
export function isOpen(status: IncidentStatus): boolean {
  return status !== 'resolved' && status !== 'closed';
}

/** P0 is 0: a lower rank is more severe. */
export function severityRank(severity: Severity): number {
  return SeveritySchema.options.indexOf(severity);
}

/** True when the change makes the incident more severe (P2 -> P0), which pulls in the larger team. */
export function isEscalation(from: Severity, to: Severity): boolean {
  return severityRank(to) < severityRank(from);
}

/**
 * Resolving and changing severity belong to the commander, so two people cannot steer the incident at
 * once; before anyone has taken command, anyone may, so an incident never waits for a claim.
 */
export function mayResolveOrChangeSeverity(input: { actor: string; commanderId: string | null }): boolean {
  return input.commanderId === null || input.commanderId === '' || input.actor === input.commanderId;
}
