/** The meeting bridge of an incident: the severity's template with its placeholders filled and URL-encoded. */
export function bridgeUrl(
  template: string | undefined,
  incident: { id: number; severity: string; channelName: string | null },
): string | null {
  if (!template) return null;
  const values: Record<string, string> = {
    incident: String(incident.id),
    severity: incident.severity,
    channel: incident.channelName ?? `incident-${incident.id}`,
  };
  return template.replace(/\{(incident|severity|channel)\}/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? ''),
  );
}
