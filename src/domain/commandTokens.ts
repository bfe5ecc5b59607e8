/** The pieces every /incident subcommand parser shares: tokens with offsets, quoting, free text. */

const QUOTE_MAX = 60;
export const INCIDENT_REF = /^#(\d+)$/;

export interface Invalid {
  kind: 'invalid';
  error: string;
}

export const invalid = (error: string): Invalid => ({ kind: 'invalid', error });

export interface Token {
  value: string;
  /** Offset in the original text, so a free-text note keeps the spacing and line breaks it was typed with. */
  start: number;
}

/** Echoes user text in an error without letting a pasted paragraph swamp the message. */
export function quote(text: string): string {
  const chars = [...text];
  return `"${chars.length > QUOTE_MAX ? `${chars.slice(0, QUOTE_MAX - 1).join('')}…` : text}"`;
}

export function tokenize(text: string): Token[] {
  return [...text.matchAll(/\S+/gu)].map((m) => ({ value: m[0], start: m.index }));
}

/** The text from a token to the end, as typed; null when there is none. */
export function restFrom(text: string, token: Token | undefined): string | null {
  if (!token) return null;
  const rest = text.slice(token.start).trim();
  return rest === '' ? null : rest;
}

/**
 * Splits off a leading `#12`. A `#` token that is not a positive number is most likely a channel name
 * typed by hand, which cannot name an incident, so it is refused rather than read as a status or a note.
 */
export function takeIncidentRef(args: Token[]): { incidentId: number | null; args: Token[] } | Invalid {
  const first = args[0];
  if (!first || !(first.value.startsWith('#') || first.value.startsWith('<#')))
    return { incidentId: null, args };
  const match = INCIDENT_REF.exec(first.value);
  const id = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (!Number.isSafeInteger(id) || id < 1) {
    return invalid(
      `Incident references are numbers like #12 (got ${quote(first.value)}). Use the number from /incident list, or run the command in the incident's channel.`,
    );
  }
  return { incidentId: id, args: args.slice(1) };
}
