import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { type Policy, PolicySchema } from '../domain/policy.ts';
import type { RunbookIssue } from './model.ts';
import { yamlErrorText } from './yamlError.ts';

export interface PolicyFile {
  policy: Policy | null;
  issues: RunbookIssue[];
  /** Line of a monitored alert's entry, for the coverage gate's messages. */
  lineOfAlert: (alert: string) => number;
}

/** Reads and validates policy.yml; every problem names the file and line and what to fix. */
export function readPolicyFile(file: string): PolicyFile {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return {
      policy: null,
      issues: [
        {
          level: 'error',
          rule: 'policy',
          file,
          line: 0,
          message:
            'policy.yml not found: create it next to the runbooks (see runbooks/policy.yml in the project)',
        },
      ],
      lineOfAlert: () => 0,
    };
  }
  return parsePolicy(source, file);
}

/** Offset of the deepest existing node on the path: a missing key is reported at its parent. */
function nearestOffset(doc: ReturnType<typeof parseDocument>, path: (string | number)[]): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const node: unknown = doc.getIn(path.slice(0, depth), true);
    if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range))
      return node.range[0] as number;
  }
  return undefined;
}

export function parsePolicy(source: string, file: string): PolicyFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: true });
  const sourceLines = source.split('\n');
  const lineOfAlert = (alert: string) =>
    sourceLines.findIndex((l) => new RegExp(`^\\s*-\\s*['"]?${alert}['"]?\\s*$`).test(l)) + 1;
  if (doc.errors.length > 0) {
    return {
      policy: null,
      issues: doc.errors.map((e) => ({
        level: 'error',
        rule: 'policy',
        file,
        line: e.linePos?.[0].line ?? 0,
        message: `not valid YAML: ${yamlErrorText(e)}`,
      })),
      lineOfAlert,
    };
  }
  const parsed = PolicySchema.safeParse(doc.toJS());
  if (parsed.success) return { policy: parsed.data, issues: [], lineOfAlert };
  return {
    policy: null,
    issues: parsed.error.issues.map((issue) => {
      const offset = nearestOffset(doc, issue.path as (string | number)[]);
      return {
        level: 'error' as const,
        rule: 'policy',
        file,
        line: offset === undefined ? 0 : lineCounter.linePos(offset).line,
        message: `${issue.path.join('.') || '(root)'}: ${issue.message}`,
      };
    }),
    lineOfAlert,
  };
}
