import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fillPlaceholders, runArgv, splitArgv } from '../../src/diagnostics/exec.ts';
import { CheckError } from '../../src/diagnostics/types.ts';
import { parseIncidentCommand, SUBCOMMANDS } from '../../src/domain/command.ts';
import { SOURCES } from '../../src/intake/sources.ts';
import { lintRunbook } from '../../src/runbooks/lint.ts';
import { parseRunbook } from '../../src/runbooks/parse.ts';
import { IncidentService } from '../../src/services/incidentService.ts';
import { loadRunbookSet } from '../../src/services/runbookSet.ts';
import { createStore } from '../../src/store/sql/index.ts';
import { hostileShort, hostileString, type Json, mutated } from '../support/mutate.ts';
import { runbooksDir } from '../support/testRunbooks.ts';

// Seeded, so a failure reproduces; fast-check prints the counterexample and the seed to replay it.
const SEED = 9;

const KINDS = new Set([
  'declare',
  'declare-modal',
  'status',
  'severity',
  'commander',
  'resolve',
  'timeline',
  'update',
  'exec',
  'list',
  'runbooks',
  'runbooks-reload',
  'help',
  'invalid',
  ...SUBCOMMANDS,
]);

const words = fc.constantFrom(
  ...SUBCOMMANDS,
  'P0',
  'P1',
  'P4',
  '#12',
  '12',
  '<@U0ABC>',
  'runbook:RUN-001',
  '--',
);
const commandText = fc.oneof(
  hostileString,
  fc.array(fc.oneof(words, hostileString), { maxLength: 6 }).map((parts) => parts.join(' ')),
);

describe('slash-command parser', () => {
  it('never throws; every text is a known command or an invalid one with a reason', () => {
    fc.assert(
      fc.property(commandText, (text) => {
        const parsed = parseIncidentCommand(text);
        expect(KINDS.has(parsed.kind)).toBe(true);
        if (parsed.kind === 'invalid') expect(parsed.error.trim()).not.toBe('');
        if (parsed.kind === 'declare') expect(parsed.title.trim()).not.toBe('');
      }),
      { numRuns: 2000, seed: SEED },
    );
  });
});

const md = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '# RUN-001: Title',
        '## Procedure',
        '### Step 1: Do it',
        '## Scope',
        '## Escalation',
        '## Verification',
        'Commands:',
        '```bash',
        '```',
        '- [ ] check',
        '- [x] done',
        '---',
        'alerts: [A]',
        'severity: P9',
        'diagnostics: { checks: [ { kind: shell_command } ] }',
        'Last Tested: 2025-13-45',
        'Owner:',
        '| a | b |',
        '|---|---|',
        '<!-- comment',
        '> quote',
      ),
      hostileShort,
    ),
    { maxLength: 30 },
  )
  .map((lines) => lines.join('\n'));

describe('runbook parser and linter', () => {
  it('never throw on any file; problems are issues with a file, line and message', () => {
    fc.assert(
      fc.property(md, (source) => {
        const parsed = parseRunbook(source, 'fuzz.md');
        const issues = lintRunbook(parsed, { today: new Date('2026-11-22'), maxAgeDays: 90 });
        for (const issue of issues) {
          expect(issue.file).toBe('fuzz.md');
          expect(Number.isInteger(issue.line)).toBe(true);
          expect(issue.message.trim()).not.toBe('');
        }
      }),
      { numRuns: 300, seed: SEED },
    );
  });
});

const fixture = (name: string): Json => JSON.parse(readFileSync(`test/fixtures/webhooks/${name}`, 'utf8'));
const BASES = {
  alertmanager: fixture('alertmanager-firing.json'),
  pagerduty: fixture('pagerduty-incident-triggered.json'),
  generic: fixture('generic.json'),
};

describe('webhook payload parsers', () => {
  for (const [name, base] of Object.entries(BASES) as [keyof typeof BASES, Json][]) {
    it(`${name}: any body is refused with a reason or becomes alerts, never an exception`, () => {
      const source = SOURCES[name];
      const body = fc.oneof(
        mutated(base).map((v) => JSON.stringify(v)),
        fc.jsonValue().map((v) => JSON.stringify(v)),
        hostileString,
      );
      fc.assert(
        fc.property(body, (raw) => {
          const parsed = source.parse(raw);
          if (!parsed.ok) {
            expect(parsed.reason.trim()).not.toBe('');
            return;
          }
          // Stored bodies are turned into alerts by the worker: that must not throw either.
          for (const alert of source.toAlerts(parsed.payload)) {
            expect(typeof alert.dedupKey).toBe('string');
            expect(typeof alert.title).toBe('string');
          }
        }),
        { numRuns: 400, seed: SEED },
      );
    });
  }
});

describe('shell placeholders from alert labels', () => {
  const dir = mkdtempSync(join(tmpdir(), 'incident-bot-shell-'));
  const marker = join(dir, 'pwned');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a label fills exactly one argv element, or is refused; it never adds arguments', () => {
    const argv = splitArgv('kubectl -n {namespace} get pods {pod}');
    fc.assert(
      fc.property(hostileString, hostileString, fc.constantFrom('.*', '[a-z0-9-]+'), (ns, pod, pattern) => {
        try {
          const filled = fillPlaceholders(argv, { namespace: pattern, pod: pattern }, { namespace: ns, pod });
          expect(filled).toEqual(['kubectl', '-n', ns, 'get', 'pods', pod]);
        } catch (error) {
          expect(error).toBeInstanceOf(CheckError);
        }
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  it('shell metacharacters in a label that passes a loose pattern are printed, never run', async () => {
    const hostile = [`$(touch ${marker})`, `\`touch ${marker}\``, `; touch ${marker}`, `| touch ${marker}`];
    for (const value of hostile) {
      const argv = fillPlaceholders(splitArgv('echo {label}'), { label: '.*' }, { label: value });
      const result = await runArgv(argv, new AbortController().signal);
      expect(result.stdout.trim()).toBe(value);
    }
    expect(existsSync(marker)).toBe(false);
  });
});

describe('SQL metacharacters', () => {
  it('every text field reaches the store and comes back verbatim', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'incident-bot-sql-'));
    const runbooks = runbooksDir();
    const store = await createStore({ databasePath: join(dir, 'db.sqlite') });
    try {
      const set = loadRunbookSet(runbooks, new Date('2026-11-22'));
      const service = new IncidentService(store, () => set);
      await fc.assert(
        fc.asyncProperty(
          hostileString.filter((s) => s.trim().length > 0 && !s.includes('\u0000')),
          hostileString,
          async (title, note) => {
            const { incident } = await service.declare({
              title,
              severity: 'P2',
              declaredBy: 'U1',
              source: 'slash',
            });
            // Trimmed (the only normalisation), otherwise byte for byte.
            expect((await service.get(incident.id)).title).toBe(title.trim());
            const entry = await service.note(incident.id, 'U1', 'note', note, { note });
            expect(entry?.text ?? note).toBe(note);
            expect((await service.timeline(incident.id)).some((e) => e.text === note)).toBe(true);
          },
        ),
        { numRuns: 120, seed: SEED },
      );
      // The tables are all still there.
      expect(
        store.sqlite?.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'incidents'").get(),
      ).toEqual({
        n: 1,
      });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(runbooks, { recursive: true, force: true });
    }
  });
});
