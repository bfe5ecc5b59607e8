import type { EscalationTarget } from '../domain/escalation.ts';
import type { Incident, IncidentSource } from '../domain/incident.ts';
import type { IncidentStep } from '../domain/steps.ts';
import type { NewTimelineEntry } from '../domain/timeline.ts';
import type { Runbook, Severity } from '../runbooks/model.ts';
import type { StorePort, StoreRepositories } from '../usecases/ports/store.ts';

// What the services take and answer, and their one error style: a refusal the user can act on is a
// thrown UserError (the listener guard shows its message to the user who caused it).

/** A request the service refuses for a reason the user can act on; listeners show `message` as it is. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/**
 * A refusal that is also audited: the timeline entry is written by `refusing` after the transaction the
 * refusal aborted has rolled back, so the rollback cannot take the record of the refusal with it.
 */
export class AuditedRefusal extends UserError {
  constructor(
    message: string,
    readonly audit: NewTimelineEntry,
  ) {
    super(message);
  }
}

/** Runs `work` in a transaction; an AuditedRefusal it throws is recorded once the transaction is undone. */
export async function refusing<T>(
  store: Pick<StorePort, 'transaction' | 'timeline'>,
  work: (tx: StoreRepositories) => Promise<T>,
): Promise<T> {
  try {
    return await store.transaction(work);
  } catch (error) {
    if (error instanceof AuditedRefusal) await store.timeline.append(error.audit);
    throw error;
  }
}

/** Whether `work` was done (true) or refused with a UserError (false); any other failure goes through. */
export async function accepted(work: Promise<unknown>): Promise<boolean> {
  try {
    await work;
    return true;
  } catch (error) {
    if (error instanceof UserError) return false;
    throw error;
  }
}

export interface DeclareInput {
  title: string;
  severity: Severity;
  runbookId?: string | null;
  description?: string;
  private?: boolean;
  /** A rehearsal: no pages, no real escalation targets mentioned, and it counts as a test of the runbook. */
  drill?: boolean;
  /** The alert's labels, for a paged incident: diagnostics fill declared placeholders from them. */
  labels?: Record<string, string>;
  declaredBy: string;
  source: IncidentSource;
  /**
   * Without a runbookId, match a runbook from the title (the default). Pages pass false: their runbook
   * comes from the alert name alone, and no match means RUN-000 alone, never a keyword guess.
   */
  matchTitle?: boolean;
  /** More timeline entries for the new incident (a page: which alert opened it), written with its own in one statement. */
  notes?: readonly Omit<NewTimelineEntry, 'incidentId'>[];
}

export interface Declared {
  incident: Incident;
  runbook: Runbook | null;
  steps: IncidentStep[];
}

export interface Escalation {
  incident: Incident;
  targets: EscalationTarget[];
  conditions: string[];
  note: string;
  /** When a timer's escalation was first recorded: its repeat is planned from it, so a re-fire plans the same one. */
  recordedAt?: string;
}

/** The runbook an incident is declared with: the one named (refused if unknown), else matched from the title. */
export function declaredRunbook(
  set: { catalog: { byId(id: string): Runbook | undefined; matchTitle(title: string): Runbook | undefined } },
  input: Pick<DeclareInput, 'runbookId' | 'matchTitle'>,
  title: string,
): Runbook | null {
  if (input.runbookId) {
    const named = set.catalog.byId(input.runbookId);
    if (named) return named;
    throw new UserError(
      `There is no runbook ${input.runbookId}. Find one with /incident runbooks <keyword>, or declare without --runbook.`,
    );
  }
  return input.matchTitle !== false ? (set.catalog.matchTitle(title) ?? null) : null;
}
