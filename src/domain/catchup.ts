import type { Incident } from './incident.ts';
import type { IncidentStep } from './steps.ts';
import type { TimelineEntry } from './timeline.ts';
import type { Timer } from './timer.ts';

// What someone joining an incident late needs to know, computed from the records alone: deterministic,
// so two people asking at the same moment read the same thing.

export interface CatchupStep {
  number: number | null;
  title: string;
  /** Who completed, skipped or holds it; null when nobody does. */
  who: string | null;
}

export interface Catchup {
  incident: Incident;
  elapsedMs: number;
  commanderId: string | null;
  declaredBy: string;
  /** People holding an open step, with the steps' numbers. */
  assignees: { userId: string; steps: (number | null)[] }[];
  done: CatchupStep[];
  skipped: number;
  /** The steps being worked on now, and how many wait after them. */
  active: CatchupStep[];
  pending: number;
  /** Timers already past due: an update or escalation nobody has answered. */
  overdue: { what: string; since: string }[];
  lastUpdate: { at: string; by: string; text: string } | null;
  nextTimer: { what: string; at: string } | null;
}

/** Timer kinds in the responder's words; an unknown kind is shown with its underscores as spaces. */
const TIMER_WORDS: Record<string, string> = {
  unclaimed: 're-page while nobody is commander',
  escalate: 'escalation',
  runbook_escalate: "the runbook's escalation",
  update_due: 'status update due',
  exec_brief_due: 'executive brief due',
  escalate_repeat: 'escalation repeat',
};

export function timerWords(kind: string): string {
  return TIMER_WORDS[kind] ?? kind.replace(/_/g, ' ');
}

export function catchupOf(input: {
  incident: Incident;
  steps: readonly IncidentStep[];
  lastUpdate: TimelineEntry | null;
  timers: readonly Timer[];
  now: Date;
}): Catchup {
  const { incident, now } = input;
  const walk = input.steps.filter((s) => s.section === 'step');
  const summary = (s: IncidentStep, who: string | null): CatchupStep => ({
    number: s.number,
    title: s.title,
    who,
  });
  const open = walk.filter((s) => s.state === 'active' || s.state === 'pending');
  const assignees = new Map<string, (number | null)[]>();
  for (const s of open)
    if (s.assigneeId) assignees.set(s.assigneeId, [...(assignees.get(s.assigneeId) ?? []), s.number]);
  const timers = [...input.timers].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  const due = (t: Timer) => Date.parse(t.dueAt) <= now.getTime();
  const next = timers.find((t) => !due(t));
  return {
    incident,
    elapsedMs: Math.max(0, now.getTime() - Date.parse(incident.declaredAt)),
    commanderId: incident.commanderId,
    declaredBy: incident.declaredBy,
    assignees: [...assignees].map(([userId, steps]) => ({ userId, steps })),
    done: walk.filter((s) => s.state === 'done').map((s) => summary(s, s.completedBy)),
    skipped: walk.filter((s) => s.state === 'skipped').length,
    active: walk.filter((s) => s.state === 'active').map((s) => summary(s, s.assigneeId)),
    pending: walk.filter((s) => s.state === 'pending').length,
    overdue: timers.filter(due).map((t) => ({ what: timerWords(t.kind), since: t.dueAt })),
    lastUpdate: input.lastUpdate
      ? { at: input.lastUpdate.at, by: input.lastUpdate.actor, text: input.lastUpdate.text }
      : null,
    nextTimer: next ? { what: timerWords(next.kind), at: next.dueAt } : null,
  };
}
