/**
 * Reading the delay out of an escalation written in prose ("lag > 30s for 10 minutes", "no leader after
 * 5 minutes"). A runbook's "When to escalate" text mixes delays with thresholds ("lag > 30s"), windows
 * ("within the last 48 hours") and deadlines ("less than 48 hours to expiry"); only a duration that a
 * phrase marks as "how long it has lasted" starts a timer. Anything else that looks like a duration and
 * cannot be told apart is reported, so the linter can ask the author instead of the bot guessing.
 */

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  ten: 10,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  'forty-five': 45,
  sixty: 60,
  ninety: 90,
};

const UNIT = '(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d)';
const WORD = `(${Object.keys(NUMBER_WORDS).join('|')})`;
const MENTION = new RegExp(
  `(?<![\\w.])(half an hour|(\\d+(?:\\.\\d+)?)\\s*${UNIT}|${WORD}[\\s-]+(seconds?|minutes?|hours?|days?))(?![\\w%])`,
  'gi',
);

/** Words that only soften a number ("~15 minutes", "about an hour"): skipped when reading what precedes it. */
const QUALIFIER = /(?:\s|~|\babout|\baround|\bapproximately|\broughly|\bat least|\bup to)*$/i;

/** A duration that bounds a window or a deadline, never how long the problem lasted. */
const WINDOW_BEFORE =
  /(?:less than|fewer than|under|below|at most|<=?|within the (?:last|past)|(?:in|during|over|for) the (?:last|past)|the (?:last|past)|every|each|per)\s*$/i;
const WINDOW_AFTER = /^\s*(?:to|until|before|left|remaining|ago|old|older|of)\b/i;

/** Phrases that say "it has lasted this long". */
const DELAY_BEFORE =
  /(?:\bafter|\bfor(?: more than| longer than| over| at least| upwards of)?|\bpersist(?:s|ed|ing)?(?: for)?(?: more than| longer than| over| beyond)?|\blast(?:s|ed|ing)?(?: for)?(?: more than| longer than| over)?)\s*$/i;

/** "within 2 hours" is a delay only when something did not happen in it ("no fix within 2 hours"). */
const WITHIN_BEFORE = /\bwithin\s*$/i;
const NEGATION = /\b(?:no|not|never|nothing|nobody|unresolved|unclaimed|unacknowledged|without)\b/i;

/** "lag > 30s" compares a measurement; "outage > 30 minutes" compares how long it lasted. */
const COMPARISON_BEFORE =
  /(>=?|\bmore than|\bgreater than|\blonger than|\bover|\babove|\bexceed(?:s|ing)?|\bbeyond)\s*$/i;
const FILLER =
  /^(?:still|is|are|was|were|has|have|had|been|being|stays?|remains?|consistently|continuously|constantly)$/i;
const TIME_SUBJECT =
  /^(?:persists?|persisted|lasts?|lasting|lasted|down|unresolved|ongoing|open|outage|outages|downtime|incident|stuck|unavailable|unreachable|degraded|duration|age|it)$/i;

export type DelayMention =
  | { kind: 'delay'; text: string; ms: number }
  | { kind: 'not-delay'; text: string }
  | { kind: 'unclear'; text: string };

export interface DelayReading {
  /** The delay to escalate after, or null when the text names none that can be read safely. */
  delayMs: number | null;
  /** Why part of the text could not be read; each is a lint finding. */
  problems: string[];
}

function mentionMs(whole: string, amount: string | undefined, unit: string | undefined): number {
  if (whole.toLowerCase() === 'half an hour') return 1_800_000;
  const lower = (amount ?? '').toLowerCase();
  const count = NUMBER_WORDS[lower] ?? Number(lower);
  const letter = (unit ?? 's').toLowerCase();
  const key = letter.startsWith('min') || letter === 'm' ? 'm' : (letter[0] as string);
  return count * (UNIT_MS[key] as number);
}

function comparesDuration(beforeComparison: string): boolean {
  const words = beforeComparison.split(/[^\w'-]+/).filter(Boolean);
  while (words.length && FILLER.test(words[words.length - 1] as string)) words.pop();
  const subject = words[words.length - 1];
  return subject === undefined || TIME_SUBJECT.test(subject);
}

function classify(before: string, after: string, text: string, ms: number): DelayMention {
  const lead = before.replace(QUALIFIER, '');
  if (WINDOW_BEFORE.test(before) || WINDOW_BEFORE.test(lead) || WINDOW_AFTER.test(after)) {
    return { kind: 'not-delay', text };
  }
  if (DELAY_BEFORE.test(before) || DELAY_BEFORE.test(lead)) return { kind: 'delay', text, ms };
  if (WITHIN_BEFORE.test(lead)) {
    return NEGATION.test(lead) ? { kind: 'delay', text, ms } : { kind: 'not-delay', text };
  }
  const comparison = COMPARISON_BEFORE.exec(lead);
  if (comparison) {
    const subject = lead.slice(0, comparison.index);
    return comparesDuration(subject) ? { kind: 'delay', text, ms } : { kind: 'not-delay', text };
  }
  return { kind: 'unclear', text };
}

/** Every duration named in one clause, each classified by the words around it. */
export function delayMentions(clause: string): DelayMention[] {
  const out: DelayMention[] = [];
  for (const match of clause.matchAll(MENTION)) {
    const whole = match[0];
    const start = match.index ?? 0;
    const before = clause.slice(0, start);
    const after = clause.slice(start + whole.length);
    const ms = mentionMs(whole, match[2] ?? match[4], match[3] ?? match[5]);
    out.push(classify(before, after, whole, ms));
  }
  return out;
}

/**
 * Clauses are alternatives ("no leader after 5 minutes; lag still growing after 30 minutes"): each one
 * that names a delay can start the escalation, so the earliest wins. Parenthesised text explains and is
 * not read ("the severity's timer runs out (P0 after 30 minutes, P1 after 2 hours)").
 */
export function readDelay(text: string): DelayReading {
  const clauses = text
    .replace(/\([^()]*\)/g, ' ')
    .split(/;|\bor\b|\bunless\b/i)
    .map((c) => c.trim())
    .filter(Boolean);
  const delays: number[] = [];
  const problems: string[] = [];
  for (const clause of clauses) {
    const mentions = delayMentions(clause);
    const found = mentions.filter((m) => m.kind === 'delay');
    for (const m of mentions.filter((x) => x.kind === 'unclear')) {
      problems.push(
        `cannot tell whether "${m.text}" in "${clause}" is how long to wait before escalating: write "for ${m.text}" or "after ${m.text}" for a delay, or set escalation.after in the front matter`,
      );
    }
    const distinct = [...new Set(found.map((m) => m.ms))];
    if (distinct.length > 1) {
      problems.push(
        `"${clause}" names ${found.map((m) => `"${m.text}"`).join(' and ')} as delays: keep one, or set escalation.after in the front matter`,
      );
      continue;
    }
    if (distinct[0] !== undefined) delays.push(distinct[0]);
  }
  return { delayMs: delays.length ? Math.min(...delays) : null, problems };
}

/** The delay an escalation text names, or null when it names none that can be read safely. */
export function delayFromText(text: string): number | null {
  return readDelay(text).delayMs;
}
