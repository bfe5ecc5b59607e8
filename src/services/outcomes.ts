import type { EscalationTarget } from '../domain/escalation.ts';
import type { Incident, IncidentSource } from '../domain/incident.ts';
import type { IncidentStep } from '../domain/steps.ts';
import type { Runbook, Severity } from '../runbooks/model.ts';

// What the services take and answer, and their one error style: a refusal the user can act on is a
// UserError (the listener guard shows its message to the user); an Outcome is for a refusal the caller
// words itself.

/** A request the service refuses for a reason the user can act on; listeners show `message` as it is. */
export class UserError extends Error {
  override readonly name = 'UserError';
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
}

export type Outcome<T> = ({ ok: true } & T) | { ok: false; reason: string };

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
