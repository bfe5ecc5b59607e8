import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../src/cli.ts';
import { type DoctorCheck, formatDoctor, runDoctor } from '../src/doctor.ts';
import { SCHEDULER_HEARTBEAT } from '../src/domain/timer.ts';
import { createStore } from '../src/store/sql/index.ts';
import { FAKE_BOT, type FakeSlack, startFakeSlack } from './support/fakeSlack.ts';
import { ANNOUNCE, ESCALATIONS, LEADS, ONCALL, runbooksDir, TEST_POLICY } from './support/testRunbooks.ts';

const scopes = (
  parse(readFileSync('manifest.yml', 'utf8')) as { oauth_config: { scopes: { bot: string[] } } }
).oauth_config.scopes.bot;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const fn of cleanup.splice(0)) await fn();
});

async function setup(options: { granted?: string[]; channels?: string[] } = {}) {
  const members = [FAKE_BOT.userId];
  const slack: FakeSlack = await startFakeSlack({
    strictChannels: true,
    channels: (options.channels ?? [ANNOUNCE, 'C0STATUS01', 'C0EXECUTIV', ESCALATIONS]).map((id) => ({
      id,
      name: id.toLowerCase(),
      members,
    })),
    usergroups: { S0ONCALL01: ONCALL, S0LEADS001: LEADS },
  });
  const granted = options.granted ?? scopes;
  slack.on('auth.test', (_args, _i, ctx) => {
    const body = ctx.defaultResponse();
    return { status: 200, headers: { 'x-oauth-scopes': granted.join(',') }, body };
  });
  const dir = mkdtempSync(join(tmpdir(), 'doctor-'));
  const runbooks = runbooksDir();
  cleanup.push(async () => {
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(runbooks, { recursive: true, force: true });
  });
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-doctor',
    SLACK_SIGNING_SECRET: 'secret',
    SLACK_API_URL: slack.url,
    DATABASE_PATH: join(dir, 'db.sqlite'),
    RUNBOOKS_DIR: runbooks,
    WEBHOOK_TOKEN: 'token',
    PAGERDUTY_WEBHOOK_SECRET: 'pd-secret',
  };
  return { slack, env, dir };
}

describe('incident-bot doctor', () => {
  it('passes every check when all is well, and exits 0', async () => {
    const { env, dir } = await setup();
    const store = await createStore({ databasePath: join(dir, 'db.sqlite') });
    await store.heartbeats.beat(SCHEDULER_HEARTBEAT, new Date());
    await store.close();
    const checks = await runDoctor({ env });
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual([
      'configuration',
      'runbooks',
      'policy',
      'placeholders',
      'database',
      'scheduler',
      'webhook token',
      'PagerDuty secret',
      'Slack token',
      'Slack scopes',
      'announce channel',
      'status channel',
      'executive channel',
      'escalation channel',
      'user group S0LEADS001',
      'user group S0ONCALL01',
      'user U0COMMAND1',
      'user U0LEAD0001',
      'user U0LEGAL001',
    ]);
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    const out: string[] = [];
    const code = await runCli(['doctor'], { out: (t) => out.push(t), err: (t) => out.push(t) });
    expect(code).toBe(0);
    expect(out.join('')).toContain('all 19 checks passed');
  });

  it('names a missing scope and a missing channel, says what to do, and exits 1', async () => {
    const { env } = await setup({
      granted: scopes.filter((s) => s !== 'pins:write'),
      channels: [ANNOUNCE, 'C0STATUS01', ESCALATIONS],
    });
    const text = formatDoctor(await runDoctor({ env: { ...env, PAGERDUTY_WEBHOOK_SECRET: '' } }));
    expect(text).toContain('✘ Slack scopes: missing pins:write\n    fix: add them to the app');
    expect(text).toContain(
      '✘ executive channel: C0EXECUTIV not found\n    fix: create C0EXECUTIV, or fix channels.executive in policy.yml',
    );
    expect(text).toContain('✘ PagerDuty secret:');
    expect(text).toContain('3 of 19 checks failed');
    for (const [k, v] of Object.entries({ ...env, PAGERDUTY_WEBHOOK_SECRET: '' })) vi.stubEnv(k, v);
    expect(await runCli(['doctor'], { out: () => undefined, err: () => undefined })).toBe(1);
  });

  it("fails when the scheduler's last tick is older than 3 ticks, or it never ticked", async () => {
    const { env, dir } = await setup();
    const store = await createStore({ databasePath: join(dir, 'db.sqlite') });
    const scheduler = async (now: Date) =>
      (await runDoctor({ env: { ...env, SCHEDULER_TICK_SECONDS: '15' }, now })).find(
        (c) => c.name === 'scheduler',
      );
    expect(await scheduler(new Date())).toMatchObject({
      ok: false,
      detail: expect.stringContaining('never'),
    });
    await store.heartbeats.beat(SCHEDULER_HEARTBEAT, new Date('2026-11-23T10:00:00Z'));
    await store.close();
    expect(await scheduler(new Date('2026-11-23T10:00:44Z'))).toMatchObject({ ok: true });
    const stale = await scheduler(new Date('2026-11-23T10:01:00Z'));
    expect(stale).toMatchObject({ ok: false });
    expect(formatDoctor([stale as DoctorCheck])).toContain(
      '✘ scheduler: last tick 1 min ago (2026-11-23T10:00:00.000Z), more than 3 ticks of 15s',
    );
  });

  it("checks the review channel and the runbook owners' user groups of policy.yml", async () => {
    const { env, dir } = await setup();
    const runbooks = runbooksDir(
      `${TEST_POLICY}\nreview: { channel: C0REVIEW01 }\nowners: { Backend Team: S0ONCALL01, Platform Team: S0NOSUCH01 }\n`,
    );
    cleanup.push(() => rmSync(runbooks, { recursive: true, force: true }));
    await (await createStore({ databasePath: join(dir, 'db.sqlite') })).close();
    const text = formatDoctor(await runDoctor({ env: { ...env, RUNBOOKS_DIR: runbooks } }));
    expect(text).toContain(
      '✘ review channel: C0REVIEW01 not found\n    fix: create C0REVIEW01, or fix review.channel in policy.yml',
    );
    expect(text).toContain('✔ user group S0ONCALL01');
    expect(text).toContain('✘ user group S0NOSUCH01: does not resolve');
  });

  it('stops at the configuration when it does not parse', async () => {
    const checks = await runDoctor({ env: {} });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ name: 'configuration', ok: false });
    expect(checks[0]?.detail).toContain('SLACK_BOT_TOKEN is missing');
  });

  it('online, resolves every user of policy.yml and names the ones that match nobody, with their line', async () => {
    const { env, slack } = await setup();
    slack.unknownUsers.add('U0LEGAL001');
    slack.addUser({ id: 'U0LEAD0001', deleted: true });
    const checks = await runDoctor({ env });
    const users = checks.filter((c) => c.name.startsWith('user U'));
    expect(users.map((c) => [c.name, c.ok])).toEqual([
      ['user U0COMMAND1', true],
      ['user U0LEAD0001', false],
      ['user U0LEGAL001', false],
    ]);
    const text = formatDoctor(users);
    const line = TEST_POLICY.split('\n').findIndex((l) => l.includes('U0LEGAL001')) + 1;
    expect(text).toContain(
      `✘ user U0LEGAL001: does not resolve (user_not_found): it matches nobody in this workspace\n    fix: replace U0LEGAL001 (line ${line}) in policy.yml with a real member ID`,
    );
    expect(text).toContain('✘ user U0LEAD0001: is deactivated: nobody gets its pages');
  });

  it('--offline checks configuration, runbooks, policy and database with no Slack variables', async () => {
    const { env } = await setup();
    const offline = {
      ...env,
      SLACK_BOT_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
      SLACK_API_URL: 'http://127.0.0.1:9/',
    };
    const checks = await runDoctor({ env: offline, offline: true });
    expect(checks.map((c) => c.name)).toEqual([
      'configuration',
      'runbooks',
      'policy',
      'placeholders',
      'database',
      'scheduler',
      'webhook token',
      'PagerDuty secret',
    ]);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks[0]?.detail).toBe('parses (Slack tokens not checked: --offline)');
    for (const [k, v] of Object.entries(offline)) vi.stubEnv(k, v);
    const out: string[] = [];
    expect(await runCli(['doctor', '--offline'], { out: (t) => out.push(t), err: (t) => out.push(t) })).toBe(
      0,
    );
    expect(out.join('')).toContain('all 8 checks passed');
    // Without --offline the same environment stops at the configuration, and says to try --offline.
    const online = await runDoctor({ env: offline });
    expect(online.map((c) => c.name)).toEqual(['configuration']);
    expect(online[0]?.fix).toContain('run: incident-bot doctor --offline');
  });

  it('--offline still fails on a configuration problem other than Slack, and on a broken policy', async () => {
    const { env } = await setup();
    const bad = await runDoctor({ env: { ...env, SLACK_BOT_TOKEN: '', PORT: 'eighty' }, offline: true });
    expect(bad).toHaveLength(1);
    expect(bad[0]?.detail).toContain('PORT is invalid');
    const runbooks = runbooksDir('severities: nope\n');
    cleanup.push(() => rmSync(runbooks, { recursive: true, force: true }));
    const checks = await runDoctor({ env: { ...env, RUNBOOKS_DIR: runbooks }, offline: true });
    expect(checks.find((c) => c.name === 'policy')).toMatchObject({
      ok: false,
      fix: `run: npx incident-bot lint ${join(runbooks, 'policy.yml')}`,
    });
  });

  it('names the example IDs still in the shipped policy.yml, with their lines', async () => {
    const { env } = await setup();
    const checks = await runDoctor({ env: { ...env, RUNBOOKS_DIR: 'runbooks' }, offline: true });
    const placeholders = checks.find((c) => c.name === 'placeholders');
    const source = readFileSync('runbooks/policy.yml', 'utf8').split('\n');
    const lineOf = (id: string) => source.findIndex((l) => l.includes(id)) + 1;
    expect(placeholders?.ok).toBe(false);
    expect(placeholders?.detail).toContain(
      `runbooks/policy.yml still has example IDs that match nobody: U0EXAMPLE1 (line ${lineOf('U0EXAMPLE1')}), U0EXAMPLE2 (line ${lineOf('U0EXAMPLE2')}),`,
    );
    expect(placeholders?.detail).toContain(`U0EXAMPLE9 (line ${lineOf('U0EXAMPLE9')})`);
    expect(placeholders?.fix).toContain('Copy member ID');
  });

  it('fails the runbooks check, with what to set, when RUNBOOKS_DIR does not exist', async () => {
    const { env, dir } = await setup();
    const checks = await runDoctor({ env: { ...env, RUNBOOKS_DIR: join(dir, 'nope') }, offline: true });
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['configuration', true],
      ['runbooks', false],
    ]);
    expect(formatDoctor(checks)).toContain(
      `✘ runbooks: ${join(dir, 'nope')} does not exist\n    fix: set RUNBOOKS_DIR to the folder holding the RUN-*.md files and policy.yml`,
    );
  });
});
