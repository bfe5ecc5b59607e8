/** The Slack error code of a Web API failure (`name_taken`, `ratelimited`, ...), or the error's message. */
export function slackErrorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const data = (error as { data?: { error?: unknown } }).data;
    if (typeof data?.error === 'string') return data.error;
    if (error instanceof Error) return error.message;
  }
  return String(error);
}
