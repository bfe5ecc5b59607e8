/** What a status update puts on the status page: its text, one place for the publish job and the modal's preview. */
export interface StatuspagePreview {
  name: string;
  status: 'investigating' | 'identified' | 'monitoring' | 'resolved';
  body: string;
  /** The runbook's components the update marks as affected (matched by name on the page). */
  components: string[];
}

/** The body of the page's incident update: the impact, then what the team is doing when it said. */
export function statuspageBody(update: { impact: string; action: string }): string {
  return update.action ? `${update.impact}\n\nWhat we are doing: ${update.action}` : update.impact;
}
