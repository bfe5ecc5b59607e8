import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.ts';
import { type LocalServer, localServer } from '../diagnostics/support.ts';
import type { StoredMessage } from '../support/fakeSlack.ts';
import { buttonClick, findElement } from '../support/slackRequests.ts';
import { ESCALATIONS, IC, LEADS, OTHER, startTestBot, type TestBot } from './testBot.ts';

let api: LocalServer;
let dir: string;
let marker: string;
let t: TestBot;

function runbook(): string {
  const tested = new Date().toISOString().slice(0, 10);
  return `---
severity: P1
diagnostics:
  checks:
    - id: pool_usage
      title: Connection pool usage
      kind: shell_command
      command: ["echo", "95"]
      thresholds: { warning: ">= 70", critical: ">= 90" }
      step: 1
    - id: http_api
      title: API health
      kind: http_check
      urls: ["${api.url}/healthz"]
      max_latency_ms: 60000
  decisions:
    - when: pool_usage == critical and http_api == healthy
      recommend: [restart_pool, read_dashboard]
    - when: pool_usage == critical
      recommend: [page_dba]
    - when: http_api != healthy
      recommend: [never_shown]
  remediations:
    - id: restart_pool
      title: Restart the pooler
      kind: automated
      description: Rolling restart of the connection pooler; clients reconnect.
      command: ["sh", "-c", "echo restarted > ${marker}; echo done"]
      requiresApproval: true
    - id: read_dashboard
      title: Read the pool dashboard
      description: Look for a single client holding most connections.
    - id: page_dba
      title: Page the DBA on call
      kind: escalate
    - id: never_shown
      title: Not recommended in this test
---
# RUN-900: Pool pressure with diagnostics
Category: Incident
Trigger: test
Owner: Test Team
Last Tested: ${tested}

## Scope
- **Handles**: pool pressure in tests
- **Does NOT handle**: anything else

## Procedure

### Step 1: Confirm pool usage
Check the pool.

Commands:
\`\`\`bash
psql -c 'select 1'
\`\`\`

Verification:
- [ ] Pool usage posted

### Step 2: Relieve the pool
Restart the pooler.

Commands:
\`\`\`bash
kubectl rollout restart deploy/pgbouncer
\`\`\`

Verification:
- [ ] Pool below 70%

## Escalation
- **When to escalate**: after 30 minutes
- **Who to contact**: DBA on call
- **What to provide**: the evidence
`;
}

beforeAll(async () => {
  api = await localServer((_req, res) => res.end('ok'));
  dir = mkdtempSync(join(tmpdir(), 'incident-bot-remediation-'));
  marker = join(dir, 'restarted');
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  rmSync(marker, { force: true });
  t = await startTestBot({ runbooks: { 'RUN-900-pool.md': runbook() } });
});
afterEach(async () => {
  await t.stop();
});

async function declare(): Promise<{ incidentId: number; channel: string }> {
  const res = await t.command('declare P1 Pool pressure --runbook RUN-900');
  expect(res.status).toBe(200);
  await t.bot.diagnostics.settled();
  const incident = (await t.bot.service.listOpen()).at(-1);
  if (!incident?.channelId) throw new Error('no incident channel');
  return { incidentId: incident.id, channel: incident.channelId };
}

function evidence(channel: string): StoredMessage[] {
  return t.slack.messages(channel).filter((m) => findElement(m.blocks, ACTIONS.rerunDiagnostics));
}

describe('diagnostics in an incident', () => {
  it('posts evidence on open, stores it on the timeline and shows linked results on the step', async () => {
    const { incidentId, channel } = await declare();
    const [message] = evidence(channel);
    const text = JSON.stringify(message?.blocks);
    expect(text).toContain('1 of 2 checks not healthy');
    expect(text).toMatch(/🔴 \*Connection pool usage\* — critical · 95 \(exit 0\) · critical &gt;= 90/);
    expect(text).toMatch(/✅ \*API health\* — healthy · 1\/1 ready/);
    // The decision tree: the first two decisions hold, the third does not.
    expect(text).toContain('Restart the pooler');
    expect(text).toContain('Page the DBA on call');
    expect(text).toContain('Read the pool dashboard');
    expect(text).not.toContain('Not recommended in this test');

    const entry = (await t.bot.service.timeline(incidentId)).find((e) => e.kind === 'diagnostics');
    expect(entry?.text).toContain('pool_usage: critical');
    expect(entry?.data).toMatchObject({
      runbookId: 'RUN-900',
      results: [
        { id: 'pool_usage', status: 'critical', value: 95, step: 1 },
        { id: 'http_api', status: 'healthy' },
      ],
    });

    const step = t.slack
      .messages(channel)
      .find(
        (m) =>
          findElement(m.blocks, ACTIONS.toggleChecks) &&
          JSON.stringify(m.blocks).includes('Confirm pool usage'),
      );
    expect(JSON.stringify(step?.blocks)).toContain('Automated: 🔴 *Connection pool usage* — critical');
  });

  it('re-runs on the button and posts fresh evidence', async () => {
    const { incidentId, channel } = await declare();
    const [first] = evidence(channel);
    if (!first) throw new Error('no evidence message');
    await t.act(OTHER, first, buttonClick(first, ACTIONS.rerunDiagnostics));
    expect(evidence(channel)).toHaveLength(2);
    expect(
      (await t.bot.service.timeline(incidentId)).filter((e) => e.kind === 'diagnostics').map((e) => e.actor),
    ).toEqual(['bot', OTHER]);
  });

  it('runs an automated remediation only after the commander approves; others are refused and recorded', async () => {
    const { incidentId, channel } = await declare();
    const [message] = evidence(channel);
    if (!message) throw new Error('no evidence message');
    const approve = buttonClick(message, ACTIONS.runRemediation, { value: `${incidentId}:restart_pool` });

    // Nobody is commander yet: refused, not run.
    await t.act(OTHER, message, approve);
    expect(existsSync(marker)).toBe(false);

    const header = t.slack.messages(channel)[0] as StoredMessage;
    await t.act(IC, header, buttonClick(header, ACTIONS.claimCommander));
    // A responder who is not the commander: refused again, told who can approve.
    await t.act(OTHER, message, approve);
    expect(existsSync(marker)).toBe(false);
    expect(
      t.slack
        .ephemerals(channel)
        .filter((e) => e.user === OTHER)
        .at(-1)?.text,
    ).toContain(`Only the incident commander <@${IC}>`);

    await t.act(IC, message, approve);
    expect(existsSync(marker)).toBe(true);
    const kinds = (await t.bot.service.timeline(incidentId))
      .filter((e) => e.kind.startsWith('remediation'))
      .map((e) => [e.kind, e.actor]);
    expect(kinds).toEqual([
      ['remediation_refused', OTHER],
      ['remediation_refused', OTHER],
      ['remediation_approved', IC],
      ['remediation_run', IC],
    ]);
    const run = (await t.bot.service.timeline(incidentId)).find((e) => e.kind === 'remediation_run');
    expect(run?.data).toMatchObject({
      remediation: 'restart_pool',
      ok: true,
      summary: 'exit 0',
      output: 'done',
    });
    expect(JSON.stringify(t.slack.messages(channel).at(-1)?.blocks)).toContain(
      'Restart the pooler* succeeded',
    );
  });

  it('an escalate remediation uses the escalation path', async () => {
    const { incidentId, channel } = await declare();
    const [message] = evidence(channel);
    if (!message) throw new Error('no evidence message');
    await t.act(
      OTHER,
      message,
      buttonClick(message, ACTIONS.runRemediation, { value: `${incidentId}:page_dba` }),
    );
    const kinds = (await t.bot.service.timeline(incidentId)).map((e) => e.kind);
    expect(kinds).toContain('remediation');
    expect(kinds).toContain('escalation');
    expect(t.slack.messages(ESCALATIONS)).toHaveLength(1);
    expect(t.slack.members(channel)).toEqual(expect.arrayContaining(LEADS));
  });
});
