import { describe, expect, it } from 'vitest';
import { RunbookCatalog } from '../../src/runbooks/catalog.ts';
import { parseRunbook } from '../../src/runbooks/parse.ts';

const rb = (source: string, file: string) => parseRunbook(source, file).runbook;

const pool = rb(
  `---\ntriggers: { alerts: [PostgresConnectionPoolHigh] }\ncomponents: [postgres, pgbouncer]\nsymptoms: ["too many connections"]\n---\n# RUN-001: Database Connection Pool Exhaustion\nTrigger: MON-005 alert (connection pool >90%)\n`,
  'RUN-001.md',
);
const latency = rb(
  `---\ncomponents: [api, ingress]\nsymptoms: ["slow responses", "p99 latency"]\n---\n# RUN-003: Performance Degradation\n`,
  'RUN-003.md',
);
const process = rb('# RUN-000: Incident Response Process\nCategory: Process\n', 'RUN-000.md');
const alert = rb(
  '# KubePodCrashLooping\n\n## Meaning\nx\n\n## Mitigation\nRestart it.\n',
  'KubePodCrashLooping.md',
);
const catalog = new RunbookCatalog([pool, latency, process, alert]);

describe('RunbookCatalog', () => {
  it('finds by ID, case-insensitively', () => {
    expect(catalog.byId('run-001')?.title).toBe('Database Connection Pool Exhaustion');
    expect(catalog.byId('RUN-404')).toBeUndefined();
  });

  it('finds by front-matter alert, by a monitor ID in the Trigger line, and by an H1 alert name', () => {
    expect(catalog.forAlert('PostgresConnectionPoolHigh').map((r) => r.id)).toEqual(['RUN-001']);
    expect(catalog.forAlert('MON-005').map((r) => r.id)).toEqual(['RUN-001']);
    expect(catalog.forAlert('KubePodCrashLooping').map((r) => r.id)).toEqual(['KubePodCrashLooping']);
    expect(catalog.forAlert('Unknown')).toEqual([]);
  });

  it('ranks search hits by symptom and component', () => {
    expect(catalog.search('too many connections').map((h) => [h.runbook.id, h.matched])).toEqual([
      ['RUN-001', ['symptom']],
    ]);
    expect(catalog.search('ingress latency')[0]?.runbook.id).toBe('RUN-003');
    expect(catalog.search('the a of')).toEqual([]);
  });

  it('matches an incident title to a scenario runbook, never to RUN-000', () => {
    expect(catalog.matchTitle('Payment API p99 latency high')?.id).toBe('RUN-003');
    expect(catalog.matchTitle('pgbouncer refusing clients')?.id).toBe('RUN-001');
    expect(catalog.matchTitle('Incident response process')).toBeUndefined();
    expect(catalog.matchTitle('Something odd')).toBeUndefined();
  });
});
