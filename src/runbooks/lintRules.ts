import type { Runbook, RunbookIssue } from './model.ts';

/**
 * Lint rules that read the file's source text rather than the parsed model: what the importer smooths
 * over (an unclosed fence swallows the rest of the file, step numbers are re-counted) is exactly what
 * the author needs to hear about, with the line.
 */

interface Fence {
  line: number;
  /** Null when the fence is never closed. */
  endLine: number | null;
  /** Each line of the code, with its line number. */
  code: { line: number; text: string }[];
}

interface Heading {
  line: number;
  depth: number;
  text: string;
}

interface Scan {
  fences: Fence[];
  /** Headings outside fences. */
  headings: Heading[];
  lines: string[];
}

/** Blockquote and list markers before a fence: fences inside `>` quotes and list items count too. */
const CONTAINER = /^(?:\s*(?:>|[-*+]|\d{1,9}[.)])(?=\s|$))*\s*/;
const OPENER = /^(`{3,}|~{3,})(.*)$/;
const ATX = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

/** One pass over the lines: fenced blocks (CommonMark's rules, simplified) and the headings outside them. */
function scan(source: string): Scan {
  const lines = source.split(/\r?\n/);
  const fences: Fence[] = [];
  const headings: Heading[] = [];
  let open: { fence: Fence; char: string; length: number } | null = null;
  lines.forEach((raw, i) => {
    const line = i + 1;
    const body = raw.replace(CONTAINER, '');
    if (open) {
      const closer = /^(`{3,}|~{3,})\s*$/.exec(body);
      if (closer?.[1]?.startsWith(open.char) && closer[1].length >= open.length) {
        open.fence.endLine = line;
        open = null;
      } else open.fence.code.push({ line, text: raw });
      return;
    }
    const opener = OPENER.exec(body);
    // A backtick fence's info string may not contain a backtick (that is inline code).
    if (opener?.[1] && !(opener[1].startsWith('`') && opener[2]?.includes('`'))) {
      const fence: Fence = { line, endLine: null, code: [] };
      fences.push(fence);
      open = { fence, char: opener[1].charAt(0), length: opener[1].length };
      return;
    }
    const heading = ATX.exec(raw);
    if (heading?.[1]) headings.push({ line, depth: heading[1].length, text: heading[2] ?? '' });
  });
  return { fences, headings, lines };
}

function issue(level: RunbookIssue['level'], rule: string, file: string, line: number, message: string) {
  return { level, rule, file, line, message } satisfies RunbookIssue;
}

/** Empty or binary files: nothing a responder can use, and usually a mistake in the folder. */
function contentIssues(source: string, file: string): RunbookIssue[] {
  if (source.trim() === '')
    return [issue('error', 'empty', file, 1, 'the file is empty: write the runbook, or delete the file')];
  // NUL or U+FFFD (what invalid UTF-8 decodes to): a binary file, or text in another encoding.
  const bad = [source.indexOf('\u0000'), source.indexOf('\uFFFD')].filter((i) => i >= 0);
  if (bad.length > 0) {
    const line = source.slice(0, Math.min(...bad)).split('\n').length;
    return [
      issue(
        'error',
        'unreadable',
        file,
        line,
        'not UTF-8 text (a binary file, or another encoding): save it as UTF-8 Markdown, or move it out of the runbook folder',
      ),
    ];
  }
  return [];
}

function fenceIssues({ fences }: Scan, file: string): RunbookIssue[] {
  return fences
    .filter((f) => f.endLine === null)
    .map((f) =>
      issue(
        'warning',
        'unclosed-fence',
        file,
        f.line,
        'this code fence is never closed, so the rest of the file reads as code: close it with the same ``` or ~~~',
      ),
    );
}

const MAX_STEP_NUMBER = 100;
/** `Step 3`, `**Step 3:**`, `OPTIONAL Step 3`; not `Step 0.1` (a sub-step). */
const STEP_HEADING = /^(?:\*\*)?(?:optional\s+)?step\s+(\d+)(?![.\d]\d)/i;

/**
 * Duplicate and missing step numbers among `Step N` headings. Numbering restarts under each heading
 * above the steps' level, so two procedures (or options) that each count from 1 are fine.
 */
function stepNumberIssues({ headings }: Scan, file: string): RunbookIssue[] {
  const out: RunbookIssue[] = [];
  const groups: { line: number; n: number }[][] = [];
  let current: { line: number; n: number }[] = [];
  /** Depth of the group's first step heading; 0 while there is no group. */
  let depth = 0;
  for (const h of headings) {
    const match = STEP_HEADING.exec(h.text);
    if (match?.[1]) {
      if (depth === 0) depth = h.depth;
      current.push({ line: h.line, n: Number(match[1]) });
    } else if (depth !== 0 && h.depth < depth) {
      groups.push(current);
      current = [];
      depth = 0;
    }
  }
  groups.push(current);
  for (const steps of groups) {
    const seen = new Map<number, number>();
    for (const step of steps) {
      const first = seen.get(step.n);
      if (first !== undefined)
        out.push(
          issue(
            'warning',
            'step-numbers',
            file,
            step.line,
            `step ${step.n} is numbered twice (also line ${first}): renumber the steps so "step ${step.n}" means one thing`,
          ),
        );
      else seen.set(step.n, step.line);
    }
    const numbers = [...seen.keys()].sort((a, b) => a - b);
    const start = Math.min(1, numbers[0] ?? 1);
    // "Step 2024: upgrade" is a name, not a position: only small sequences are checked for gaps.
    const last = Math.min(numbers.at(-1) ?? 0, MAX_STEP_NUMBER);
    for (let n = start; n <= last; n++) {
      if (seen.has(n)) continue;
      const next = numbers.find((k) => k > n) ?? last;
      out.push(
        issue(
          'warning',
          'step-numbers',
          file,
          seen.get(next) ?? 1,
          `step ${n} is missing (the steps jump to ${next}): renumber them, or add step ${n}`,
        ),
      );
    }
  }
  return out;
}

/** Commands that destroy data or take down more than their target, each with what it does. */
const DANGEROUS: { test: (line: string) => boolean; what: string }[] = [
  { test: isRecursiveForceRm, what: 'rm -rf deletes files recursively without asking' },
  {
    test: (l) => /\bkubectl\b.*\bdelete\b.*(\s--all\b|\s--all-namespaces\b|\s-A\b)/.test(l),
    what: 'kubectl delete --all deletes every matching resource',
  },
  {
    test: (l) => /\bkubectl\b.*\bdelete\s+(namespace|namespaces|ns)\b/.test(l),
    what: 'kubectl delete namespace deletes everything in it',
  },
  {
    test: (l) => /\b(DROP\s+(TABLE|DATABASE|SCHEMA|USER|ROLE)|TRUNCATE\s+(TABLE\s+)?\w)/i.test(l),
    what: 'DROP / TRUNCATE destroys data',
  },
  {
    test: (l) => /\bDELETE\s+FROM\s+[\w."]+\s*(;|$|")/i.test(l),
    what: 'DELETE FROM without WHERE deletes every row',
  },
  { test: (l) => /(^|[\s;&|])dropdb\s/.test(l), what: 'dropdb deletes a database' },
  { test: (l) => /\bFLUSH(ALL|DB)\b/i.test(l), what: 'FLUSHALL / FLUSHDB empties Redis' },
  { test: (l) => /(^|[\s;&|])mkfs(\.\w+)?\s/.test(l), what: 'mkfs erases a file system' },
  { test: (l) => /(^|[\s;&|])dd\s.*\bof=\/dev\//.test(l), what: 'dd to a device overwrites it' },
  { test: (l) => /\bterraform\s+destroy\b/.test(l), what: 'terraform destroy deletes infrastructure' },
  {
    test: (l) => /\bgit\s+push\b.*(\s--force\b|\s-f\b)/.test(l),
    what: 'git push --force rewrites shared history',
  },
];

function isRecursiveForceRm(line: string): boolean {
  for (const match of line.matchAll(/(?:^|[\s;&|(`$])(?:sudo\s+)?rm\s+((?:-\S+\s*)+)/g)) {
    const flags = (match[1] ?? '').split(/\s+/).filter(Boolean);
    const recursive = flags.some((f) => f === '--recursive' || /^-[a-zA-Z]*[rR]/.test(f));
    const force = flags.some((f) => f === '--force' || /^-[a-zA-Z]*f/.test(f));
    if (recursive && force) return true;
  }
  return false;
}

/** Words that tell the reader to stop and think; one of them near a dangerous command is the warning. */
const WARNING_WORDS =
  /(\bwarning\b|\bcaution\b|\bdanger(ous)?\b|\bdestructive\b|\birreversible\b|\bdata loss\b|\bcannot be undone\b|\bpermanently\b|\bdo not\b|\bdon't\b|\bnever\b|\bcareful\b|\[!(WARNING|CAUTION|IMPORTANT)\]|!!!\s*(warning|danger|caution)|\{\{<\s*(warning|danger|caution)|⚠)/i;
/** How far above a fence (stopping at a heading) and below it a warning still counts as "next to". */
const WARNING_BEFORE = 8;
const WARNING_AFTER = 2;

function dangerIssues({ fences, headings, lines }: Scan, file: string): RunbookIssue[] {
  const out: RunbookIssue[] = [];
  for (const fence of fences) {
    const hits = fence.code.flatMap((c) => {
      const danger = DANGEROUS.find((d) => d.test(c.text));
      return danger ? [{ line: c.line, what: danger.what }] : [];
    });
    if (hits.length === 0) continue;
    const heading = headings.filter((h) => h.line < fence.line).at(-1)?.line ?? 0;
    const from = Math.max(heading, fence.line - 1 - WARNING_BEFORE);
    const end = fence.endLine ?? lines.length;
    const near = [
      ...lines.slice(from, fence.line - 1),
      ...fence.code.map((c) => c.text),
      ...lines.slice(end, end + WARNING_AFTER),
    ];
    if (near.some((l) => WARNING_WORDS.test(l))) continue;
    for (const hit of hits)
      out.push(
        issue(
          'warning',
          'dangerous-command',
          file,
          hit.line,
          `${hit.what}, and no warning stands next to it: add a "> **Warning**: ..." line above the block saying what it destroys`,
        ),
      );
  }
  return out;
}

const SHELLS = /^(?:\/\S*\/)?(sh|bash|zsh|dash|ksh)$/;
/** Values a label could carry to break out of a shell word: if a pattern accepts one, it accepts anything. */
const INJECTIONS = ['x; id', 'x && id', 'x | id', '$(id)', '`id`', "x' ; id #", 'x\nid'];

function argvOf(command: string | string[]): string[] {
  return Array.isArray(command) ? command : command.split(/\s+/).filter(Boolean);
}

/**
 * `sh -c '... {label} ...'` whose placeholder pattern accepts shell syntax lets whoever can send an
 * alert run commands on the bot's host. An error: the bot must not load a runbook that would run it.
 */
function placeholderIssues(runbook: Runbook, source: string, file: string): RunbookIssue[] {
  const diagnostics = runbook.meta.diagnostics;
  if (!diagnostics) return [];
  const out: RunbookIssue[] = [];
  const runnables = [
    ...diagnostics.checks.flatMap((c) => (c.kind === 'shell_command' ? [c] : [])),
    ...diagnostics.remediations.flatMap((r) => (r.command ? [{ ...r, command: r.command }] : [])),
  ];
  for (const item of runnables) {
    const argv = argvOf(item.command);
    const shell = argv.findIndex((a) => SHELLS.test(a));
    if (shell < 0 || !argv.slice(shell + 1).some((a) => /^-\w*c\w*$/.test(a))) continue;
    const script = argv.slice(shell + 1).join(' ');
    for (const [name, pattern] of Object.entries(item.placeholders ?? {})) {
      if (!script.includes(`{${name}}`)) continue;
      const re = new RegExp(`^(?:${pattern})$`);
      const accepted = INJECTIONS.find((value) => re.test(value));
      if (accepted === undefined) continue;
      out.push(
        issue(
          'error',
          'shell-placeholder',
          file,
          lineOf(source, `id: ${item.id}`),
          `${item.id}: {${name}} goes into a shell (${argv[shell]} -c) and its pattern ${pattern} accepts ${JSON.stringify(accepted)}: an alert label could run any command. Use a strict pattern such as [a-z0-9-]+, or drop the shell and pass the value as its own argument`,
        ),
      );
    }
  }
  return out;
}

function lineOf(source: string, needle: string): number {
  const index = source.indexOf(needle);
  return index < 0 ? 1 : source.slice(0, index).split('\n').length;
}

/** The source-text rules for one file; `runbook` is its parsed model (for front matter diagnostics). */
export function lintSource(source: string, file: string, runbook: Runbook): RunbookIssue[] {
  const content = contentIssues(source, file);
  if (content.length > 0) return content;
  const scanned = scan(source);
  return [
    ...fenceIssues(scanned, file),
    ...stepNumberIssues(scanned, file),
    ...dangerIssues(scanned, file),
    ...placeholderIssues(runbook, source, file),
  ];
}
