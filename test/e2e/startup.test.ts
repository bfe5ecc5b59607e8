import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { botArgs } from '../support/compiledBot.ts';
import { type FakeSlack, startFakeSlack } from '../support/fakeSlack.ts';
import { runbooksDir } from '../support/testRunbooks.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

/** Runs the real entry point (what `npm start` runs) with exactly the given environment. */
function start(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, botArgs(), {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanup.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return { child, output: () => output, exited };
}

async function fakeWithDir(): Promise<{ slack: FakeSlack; dir: string; runbooks: string }> {
  const slack = await startFakeSlack({ validTokens: ['xoxb-good'] });
  const dir = mkdtempSync(join(tmpdir(), 'incident-bot-start-'));
  const runbooks = runbooksDir();
  cleanup.push(async () => {
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(runbooks, { recursive: true, force: true });
  });
  return { slack, dir, runbooks };
}

// Each test starts a whole Node process: seconds on a busy CI machine.
describe('starting the bot', { timeout: 20_000 }, () => {
  it('without tokens exits 1 naming each variable and where to get it', async () => {
    const run = start({});
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(
      'SLACK_BOT_TOKEN is missing: set it to the Bot User OAuth Token (xoxb-...)',
    );
    expect(run.output()).toContain('SLACK_SIGNING_SECRET is missing');
  });

  it('with a token Slack rejects exits 1 saying so, before opening any port', async () => {
    const { slack, dir, runbooks } = await fakeWithDir();
    const run = start({
      SLACK_BOT_TOKEN: 'xoxb-revoked',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.url,
      DATABASE_PATH: join(dir, 'db.sqlite'),
      RUNBOOKS_DIR: runbooks,
      PORT: '0',
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('Slack rejected SLACK_BOT_TOKEN (invalid_auth)');
  });

  it('starts in HTTP mode, answers /healthz, and shuts down cleanly on SIGTERM', async () => {
    const { slack, dir, runbooks } = await fakeWithDir();
    const run = start({
      SLACK_BOT_TOKEN: 'xoxb-good',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.url,
      DATABASE_PATH: join(dir, 'db.sqlite'),
      RUNBOOKS_DIR: runbooks,
      PORT: '0',
    });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line in:\n${run.output()}`)), 15_000);
      run.child.stdout?.on('data', () => {
        const match = /"port":(\d+).*incident-bot started/.exec(run.output());
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('shutting down');
    expect(slack.callsTo('auth.test').length).toBeGreaterThan(0);
  });
});
