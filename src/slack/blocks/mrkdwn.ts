/**
 * Text helpers for Slack's mrkdwn. Every piece of user or runbook text goes through `escapeMrkdwn`
 * before it is put into a message, so a title such as `<!channel>` pings nobody.
 *
 * Lengths are counted in UTF-16 code units, as Slack (and `String.prototype.length`) counts them, and
 * on the escaped text, because that is what Slack measures against its limits.
 */

/** Slack's limit for a section's text and a mrkdwn text object. */
export const SECTION_TEXT_MAX = 3000;

const ELLIPSIS = '…';
const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;
const SLACK_CHANNEL_ID = /^[CGD][A-Z0-9]+$/;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Slack's escaping rule: `&`, `<` and `>` are its control characters; nothing else is encoded. */
export function escapeMrkdwn(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/[&<>]/g, (c) => ENTITIES[c] ?? c) : text;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * The index at or before `at` where `text` may be cut without breaking what Slack parses as one unit:
 * a surrogate pair (half an emoji is an invalid string), an entity such as `&amp;` (half of one
 * shows as literal `&am`), or a `<...>` token such as a mention or a date (half of one renders raw).
 * Never returns `floor` or less unless it must, so a caller always makes progress.
 */
function safeCut(text: string, at: number, floor: number): number {
  let cut = at;
  if (cut > floor + 1 && cut < text.length && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp > floor && cut - amp < 5) {
    const entity = /^&(?:amp|lt|gt);/.exec(text.slice(amp, amp + 5));
    if (entity && amp + entity[0].length > cut) cut = amp;
  }
  const open = text.lastIndexOf('<', cut - 1);
  if (open > floor) {
    const close = text.indexOf('>', open);
    if (close !== -1 && close >= cut) cut = open;
  }
  return cut;
}

/**
 * `text` shortened to at most `max` UTF-16 code units, ending in `…` when cut. Safe to apply to
 * already-escaped text: it never cuts an entity, a `<...>` token or a surrogate pair in half.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return ELLIPSIS;
  const cut = safeCut(text, max - 1, 0);
  return `${text.slice(0, cut).trimEnd()}${ELLIPSIS}`;
}

/**
 * `text` split in two for a label and its continuation: the head is at most `max` including its `…`,
 * cut at a word boundary when one is near; the rest is what the head left out (possibly long).
 */
export function splitLabel(text: string, max: number): { head: string; rest: string } {
  if (text.length <= max) return { head: text, rest: '' };
  let cut = safeCut(text, max - 1, 0);
  const space = text.lastIndexOf(' ', cut);
  if (space >= Math.floor(max * 0.6)) cut = space;
  return { head: `${text.slice(0, cut).trimEnd()}${ELLIPSIS}`, rest: text.slice(cut).trimStart() };
}

/**
 * A Slack date token: every reader sees the time in their own time zone. The fallback (for clients
 * that cannot render tokens, and for notifications) is the UTC time written out.
 */
export function slackDate(iso: string, format = '{date_short_pretty} {time}'): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeMrkdwn(iso);
  const seconds = format.includes('{time_secs}');
  const fallback = `${new Date(ms)
    .toISOString()
    .slice(0, seconds ? 19 : 16)
    .replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^${format}|${fallback}>`;
}

/** A mention; anything that is not a Slack user ID is shown escaped, so an ID can never inject markup. */
export function user(id: string): string {
  return SLACK_USER_ID.test(id) ? `<@${id}>` : escapeMrkdwn(id);
}

/** A channel link; a name such as `#incidents` (policy.yml allows names) is shown as text. */
export function channel(id: string): string {
  return SLACK_CHANNEL_ID.test(id) ? `<#${id}>` : escapeMrkdwn(id);
}

// What the bot itself writes into recorded text: mentions of people and channels, and date tokens without
// a link. Broadcasts (`<!channel>`), group pings and links stay escaped, whoever typed them.
const RECORDED_TOKEN =
  /<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>|<#([CG][A-Z0-9]+)(?:\|[^<>]*)?>|<!date\^\d+\^[^|<>^]+\|[^<>]*>/g;
const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

function escapeWithDates(text: string): string {
  return escapeMrkdwn(text).replace(ISO_INSTANT, (iso) => slackDate(iso));
}

/**
 * Recorded text (a timeline entry: "<@U0BOB0001> is the incident commander", "Post-mortem due
 * 2026-12-05T08:22:19Z") for people to read: mentions show as names and instants as dates in the reader's
 * zone; everything else is escaped, so a note of `<!channel>` still pings nobody.
 */
export function recordedText(text: string): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(RECORDED_TOKEN)) {
    const at = match.index ?? 0;
    out += escapeWithDates(text.slice(from, at));
    out += match[1] ? `<@${match[1]}>` : match[2] ? `<#${match[2]}>` : match[0];
    from = at + match[0].length;
  }
  return out + escapeWithDates(text.slice(from));
}

/**
 * A title inside bold (`*title*`): escaped, with `*` shown as the look-alike `∗`, since mrkdwn has no
 * escape for it and a literal one would end the bold half-way.
 */
export function boldSafe(text: string): string {
  return text.replaceAll('*', '\u2217');
}

/** Slack renders entities inside code blocks, so the code is escaped like any other text. */
export function codeBlock(code: string): string {
  return `\`\`\`\n${escapeMrkdwn(code)}\n\`\`\``;
}

/**
 * `text` in pieces of at most `max`, cut after whole lines where possible; the newline at a cut is
 * dropped (the break between two blocks stands for it). A line longer than `max` is cut at a space
 * near the end when there is one, else hard, and its pieces join with nothing in between.
 */
function splitLines(text: string, max: number): string[] {
  const chunks: string[] = [];
  let current: string | null = null;
  for (const line of text.split('\n')) {
    if (current !== null && current.length + 1 + line.length <= max) {
      current = `${current}\n${line}`;
      continue;
    }
    if (current !== null) chunks.push(current);
    let rest = line;
    while (rest.length > max) {
      let cut = safeCut(rest, max, 0);
      const space = rest.lastIndexOf(' ', cut - 1);
      if (space >= Math.floor(max * 0.8)) cut = safeCut(rest, space + 1, 0);
      chunks.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current !== null) chunks.push(current);
  return chunks;
}

/**
 * Already-escaped mrkdwn in section-sized pieces (at most `max` each), cut on line boundaries; a
 * single long line is cut inside. Blank pieces are left out: Slack rejects an empty section.
 */
export function splitText(text: string, max = SECTION_TEXT_MAX): string[] {
  return splitLines(text, max).filter((chunk) => chunk.trim() !== '');
}

const FENCE_OPEN = '```\n';
const FENCE_CLOSE = '\n```';

/**
 * A command as one or more fenced code blocks, each at most `max` with its fences. Nothing is lost:
 * where a cut falls on a line boundary that newline is the fence's own line break, and a line longer
 * than a block continues at the start of the next block.
 */
export function codeBlocks(code: string, max = SECTION_TEXT_MAX): string[] {
  const escaped = escapeMrkdwn(code);
  if (escaped.trim() === '') return [];
  const budget = max - FENCE_OPEN.length - FENCE_CLOSE.length;
  return splitLines(escaped, budget).map((chunk) => `${FENCE_OPEN}${chunk}${FENCE_CLOSE}`);
}
