import { type ChildProcess, spawn } from 'node:child_process';
import { botArgs } from './compiledBot.ts';

export interface BotProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
  /** kill -9: no handler runs, nothing is flushed but what SQLite already committed. */
  kill9(): Promise<void>;
  stop(): Promise<number | null>;
}

/**
 * Spawns the real entry point (what `npm start` runs, compiled: see compiledBot.ts) and resolves once it logged
 * "incident-bot started".
 */
export async function spawnBot(env: Record<string, string>, timeoutMs = 20_000): Promise<BotProcess> {
  const child = spawn(process.execPath, botArgs(), {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start line in:\n${output}`)), timeoutMs);
    const onData = (d: Buffer) => {
      output += d.toString();
      const match = /"port":(\d+).*incident-bot started/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`bot exited (${code}) before starting:\n${output}`));
    });
  });
  return {
    child,
    port,
    output: () => output,
    exited,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Polls `check` until it returns true (or throws with `what` after `timeoutMs`). */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
