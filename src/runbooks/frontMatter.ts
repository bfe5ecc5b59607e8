import type { Root } from 'mdast';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { type FrontMatter, FrontMatterSchema } from './model.ts';
import { yamlErrorText } from './yamlError.ts';

export interface FrontMatterProblem {
  line: number;
  message: string;
}

export interface FrontMatterResult {
  /** Validated front matter, or null when there is none or it is invalid. */
  data: FrontMatter | null;
  problems: FrontMatterProblem[];
}

/**
 * Reads the YAML block the Markdown parser isolated at the top of the file. Duplicate keys are
 * allowed (the last wins) because real Jekyll front matter repeats `layout:` and strict loaders reject it.
 */
export function readFrontMatter(root: Root): FrontMatterResult {
  const block = root.children[0];
  if (block?.type !== 'yaml') return { data: null, problems: [] };
  // Line 1 is the opening `---`; YAML line 1 is the file's line 2.
  const firstLine = (block.position?.start.line ?? 1) + 1;
  const doc = parseDocument(block.value, { uniqueKeys: false, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      data: null,
      problems: doc.errors.map((e) => ({
        line: firstLine + (e.linePos?.[0].line ?? 1) - 1,
        message: `front matter is not valid YAML: ${yamlErrorText(e)}`,
      })),
    };
  }
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { data: null, problems: [{ line: firstLine, message: 'front matter must be a YAML mapping' }] };
  }
  const parsed = FrontMatterSchema.safeParse(fromOtherSites(raw as Record<string, unknown>));
  if (parsed.success) return { data: parsed.data, problems: [] };
  return {
    data: null,
    problems: parsed.error.issues.map((issue) => ({
      line: keyLine(block.value, issue, firstLine),
      message: `front matter ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    })),
  };
}

/**
 * Front matter written for other sites (GOV.UK tech docs, Jekyll, Hugo): `owner_slack: "#channel"` names a
 * channel, not the user or group the review reminder needs, so it is kept as `owner_slack_channel` instead
 * of failing; a numeric `title` or `owner` is read as text.
 */
function fromOtherSites(raw: Record<string, unknown>): Record<string, unknown> {
  const out = { ...raw };
  if (typeof out.owner_slack === 'string' && /^[#@]/.test(out.owner_slack.trim())) {
    out.owner_slack_channel = out.owner_slack;
    delete out.owner_slack;
  }
  for (const key of ['title', 'owner', 'category', 'service'])
    if (typeof out[key] === 'number') out[key] = String(out[key]);
  return out;
}

/** The line of the first top-level key of the failing path, so the author lands near the mistake. */
function keyLine(yamlText: string, issue: z.core.$ZodIssue, firstLine: number): number {
  const key = issue.path[0];
  if (typeof key !== 'string') return firstLine;
  const index = yamlText.split('\n').findIndex((l) => l.startsWith(`${key}:`));
  return index >= 0 ? firstLine + index : firstLine;
}
