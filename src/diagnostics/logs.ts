import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { parseDuration } from '../domain/duration.ts';
import { CheckError, type Probe } from './types.ts';

const DEFAULT_WINDOW_MS = 15 * 60_000;
/** Only the tail of each file is read: the window is recent by definition, and a log can be gigabytes. */
const TAIL_BYTES = 8 * 1024 * 1024;
const MAX_FILES = 200;
const SAMPLES = 5;
const LEADING_TIME = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)/;

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** A file, every file of a directory, or a `*`/`?` glob in the last path segment. */
async function filesOf(source: string): Promise<string[]> {
  const name = basename(source);
  if (/[*?]/.test(name)) {
    const dir = dirname(source);
    const re = globToRegExp(name);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
      throw new CheckError(`log directory ${dir} cannot be read; check the path and the bot's permissions`);
    });
    return entries
      .filter((e) => e.isFile() && re.test(e.name))
      .map((e) => join(dir, e.name))
      .sort();
  }
  const info = await stat(source).catch(() => {
    throw new CheckError(`log source ${source} does not exist; check the path in the runbook`);
  });
  if (!info.isDirectory()) return [source];
  const entries = await readdir(source, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(source, e.name))
    .sort();
}

async function tail(file: string): Promise<{ text: string; mtime: Date }> {
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    const start = Math.max(0, info.size - TAIL_BYTES);
    const buffer = Buffer.alloc(info.size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const text = buffer.toString('utf8');
    // A cut first line is half a line: drop it.
    return { text: start > 0 ? text.slice(text.indexOf('\n') + 1) : text, mtime: info.mtime };
  } finally {
    await handle.close();
  }
}

const LokiResponseSchema = z.object({
  status: z.string(),
  data: z.object({ result: z.array(z.object({ values: z.array(z.tuple([z.string(), z.string()])) })) }),
});

/** Lines from a Loki query_range URL (the runbook's URL with its LogQL `query`), within the window. */
async function lokiLines(source: string, from: Date, to: Date, signal: AbortSignal): Promise<string[]> {
  const url = new URL(source);
  url.searchParams.set('start', String(from.getTime() * 1_000_000));
  url.searchParams.set('end', String(to.getTime() * 1_000_000));
  if (!url.searchParams.has('limit')) url.searchParams.set('limit', '5000');
  const res = await fetch(url, { signal }).catch((error: unknown) => {
    if (signal.aborted) throw error;
    throw new CheckError(`Loki at ${url.origin} is unreachable`);
  });
  const parsed = LokiResponseSchema.safeParse(await res.json().catch(() => null));
  if (!res.ok || !parsed.success)
    throw new CheckError(`Loki answered HTTP ${res.status} without a query_range result`);
  return parsed.data.data.result.flatMap((stream) => stream.values.map(([, line]) => line));
}

/**
 * `log_search`: count and sample lines matching `pattern` within the window. A line that starts with a
 * timestamp is judged by it; other lines count when their file changed within the window.
 */
export const logProbe: Probe<'log_search'> = {
  kind: 'log_search',
  async observe(check, context, signal) {
    let re: RegExp;
    try {
      re = new RegExp(check.pattern);
    } catch {
      throw new CheckError(`pattern ${check.pattern} is not a valid regular expression; fix the runbook`);
    }
    const to = context.now();
    const windowMs = (check.window && parseDuration(check.window)) || DEFAULT_WINDOW_MS;
    const from = new Date(to.getTime() - windowMs);
    let lines: string[];
    let sources: number;
    if (/^https?:\/\//.test(check.source)) {
      lines = await lokiLines(check.source, from, to, signal);
      sources = 1;
    } else {
      const files = (await filesOf(check.source)).slice(0, MAX_FILES);
      lines = [];
      for (const file of files) {
        if (signal.aborted) throw new CheckError('stopped');
        const { text, mtime } = await tail(file);
        const fileRecent = mtime >= from;
        for (const line of text.split('\n')) {
          const stamp = LEADING_TIME.exec(line)?.[1];
          const at = stamp ? new Date(stamp.replace(' ', 'T')) : null;
          const inWindow = at && !Number.isNaN(at.getTime()) ? at >= from && at <= to : fileRecent;
          if (inWindow) lines.push(line);
        }
      }
      sources = files.length;
    }
    const matches = lines.filter((line) => re.test(line));
    return {
      items: [{ name: check.source, count: matches.length, value: matches.length, files: sources }],
      value: matches.length,
      display: `${matches.length} matching line${matches.length === 1 ? '' : 's'}`,
      detail: matches
        .slice(-SAMPLES)
        .map((l) => l.slice(0, 300))
        .join('\n'),
    };
  },
};
