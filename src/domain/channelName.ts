/** Slack rejects longer channel names with `invalid_name_maxlength`. */
export const CHANNEL_NAME_MAX = 80;

const PREFIX_PATTERN = /^((?:inc|drill)-\d{8}-\d+)(?:-(.*))?$/;

function utcDay(date: Date): string {
  const yyyy = String(date.getUTCFullYear()).padStart(4, '0');
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(date.getUTCDate()).padStart(2, '0');
  return `${yyyy}${mm}${dd}`;
}

/**
 * The title reduced to what Slack accepts in a channel name. Lowercasing comes before NFKD so that letters
 * whose lowercase form decomposes (`İ` -> `i` + dot) lose their mark too.
 */
export function channelSlug(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Shortens a slug to at most `room` characters, ending on a whole word so the name still reads. A single
 * word longer than the room is cut mid-word: part of the title says more than none of it.
 */
function cutOnWord(slug: string, room: number): string {
  if (room <= 0) return '';
  if (slug.length <= room) return slug;
  // Looking one character past the room finds a hyphen that sits exactly at the limit.
  const lastBreak = slug.slice(0, room + 1).lastIndexOf('-');
  const cut = lastBreak > 0 ? slug.slice(0, lastBreak) : slug.slice(0, room);
  return cut.replace(/-+$/, '');
}

function join(prefix: string, slug: string, suffix: string): string {
  const room = CHANNEL_NAME_MAX - prefix.length - suffix.length - 1;
  const kept = cutOnWord(slug, room);
  return kept ? `${prefix}-${kept}${suffix}` : `${prefix}${suffix}`;
}

/**
 * `inc-<yyyymmdd UTC>-<daySeq>-<slug>`, at most 80 characters; a title with nothing Slack can spell
 * (emoji, CJK) gives just `inc-20261122-3`, which is still unique through the day sequence.
 */
export function incidentChannelName(input: {
  declaredAt: Date;
  daySeq: number;
  title: string;
  /** `drill` for rehearsals, so nobody mistakes the channel for a real incident. */
  prefix?: 'inc' | 'drill';
}): string {
  if (Number.isNaN(input.declaredAt.getTime())) {
    throw new RangeError(
      'incidentChannelName needs a valid declaredAt date; pass the incident row’s declaredAt.',
    );
  }
  if (!Number.isSafeInteger(input.daySeq) || input.daySeq < 1) {
    throw new RangeError(
      `incidentChannelName needs a daySeq of 1 or more (got ${input.daySeq}); take it from the stored incident.`,
    );
  }
  const prefix = input.prefix ?? 'inc';
  // A drill's title starts "DRILL RUN-004: ..." for everywhere else it shows; the prefix already says it.
  const slug =
    prefix === 'drill'
      ? channelSlug(input.title).replace(/^(?:drill(?:-|$))+/, '')
      : channelSlug(input.title);
  return join(`${prefix}-${utcDay(input.declaredAt)}-${input.daySeq}`, slug, '');
}

/**
 * The name to try on the given attempt after Slack answered `name_taken`: attempt 1 is the name itself,
 * attempt 2 gives `name-2`, and so on, so a retry loop can call it from 1 up. The suffix always survives;
 * the slug shrinks to make room, and the `inc-<date>-<seq>` part is never cut.
 */
export function withSuffix(name: string, attempt: number): string {
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new RangeError(`withSuffix needs an attempt of 1 or more (got ${attempt}); count attempts from 1.`);
  }
  if (attempt === 1) return name;
  const suffix = `-${attempt}`;
  const match = PREFIX_PATTERN.exec(name);
  if (match?.[1] !== undefined) return join(match[1], match[2] ?? '', suffix);
  // Not one of our names: keep as many whole words of it as fit.
  const kept = cutOnWord(name, CHANNEL_NAME_MAX - suffix.length);
  return kept ? `${kept}${suffix}` : String(attempt);
}
