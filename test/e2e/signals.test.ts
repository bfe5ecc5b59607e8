import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { botArgs } from '../support/compiledBot.ts';
import { startFakeSlack } from '../support/fakeSlack.ts';
import { runbooksDir } from '../support/testRunbooks.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

/** Resolves when the child's output matches `pattern`; the cap only turns a hang into a readable failure. */
function waitFor(child: ChildProcess, output: () => string, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`never saw ${pattern} in:\n${output()}`)), 15_000);
    const check = () => {
      const match = pattern.exec(output());
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(match);
      }
    };
    child.stdout?.on('data', check);
    check();
  });
}

describe('the running process', () => {
  it('reloads runbooks on SIGHUP, keeping a broken file, and serves /readyz and process metrics', async () => {
    const slack = await startFakeSlack();
    const dir = mkdtempSync(join(tmpdir(), 'incident-bot-signals-'));
    const runbooks = runbooksDir();
    const child = spawn(process.execPath, botArgs(), {
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_BOT_TOKEN: 'xoxb-good',
        SLACK_SIGNING_SECRET: 'signals-signing-secret',
        SLACK_API_URL: slack.url,
        DATABASE_PATH: join(dir, 'db.sqlite'),
        RUNBOOKS_DIR: runbooks,
        PORT: '0',
      },
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
    cleanup.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(runbooks, { recursive: true, force: true });
    });

    const port = Number((await waitFor(child, () => output, /"port":(\d+).*incident-bot started/))[1]);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('incident_bot_process_cpu_user_seconds_total');

    const broken = readdirSync(runbooks).find((f) => f.startsWith('RUN-001'));
    writeFileSync(
      join(runbooks, broken ?? 'RUN-001.md'),
      '---\ntriggers: [unclosed\n---\n# RUN-001: Broken\n',
    );
    child.kill('SIGHUP');
    const line = (await waitFor(child, () => output, /\{[^\n]*runbooks reloaded with problems[^\n]*\}/))[0];
    const logged = JSON.parse(line) as { kept: string[]; problems: string[]; runbooks: number };
    expect(logged.kept).toEqual([expect.stringContaining('RUN-001')]);
    // Every file still counts: the broken one with its previous version.
    expect(logged.runbooks).toBe(readdirSync(runbooks).filter((f) => f.endsWith('.md')).length);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).not.toContain('signals-signing-secret');
  }, 30_000);
});
