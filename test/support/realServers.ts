/**
 * Real Prometheus and PostgreSQL (Debian's packages) started by tests on free loopback ports in temp
 * dirs, and stopped by them. `npm test` installs both first (scripts/test-deps.sh); a server that cannot
 * start fails its tests with the reason, never skips them.
 */
import { execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `probe` until it returns a value; for waiting on a server, not for asserting timings. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null>, attempts = 200): Promise<T> {
  let last: unknown = null;
  for (let i = 0; i < attempts; i++) {
    try {
      const value = await probe();
      if (value !== null) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not become ready${last instanceof Error ? `: ${last.message}` : ''}`);
}

function which(name: string, extraDirs: string[] = []): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...extraDirs]) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

/** Prometheus scraping `target` (host:port) every second; storage in a temp dir. */
export async function startPrometheus(target: string): Promise<RunningPrometheus> {
  const bin = which('prometheus');
  if (!bin) throw new Error('prometheus is not installed: apt-get install prometheus (.ci/run does it)');
  const dir = mkdtempSync(join(tmpdir(), 'incident-bot-prom-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: exporter\n    static_configs: [{ targets: ['${target}'] }]\n`,
  );
  const port = await freePort();
  const child = spawn(
    bin,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=error',
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitFor('prometheus', async () => ((await fetch(`${url}/-/ready`)).ok ? true : null));
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

function postgresBinDir(): string | null {
  const onPath = which('initdb');
  if (onPath && which('pg_ctl')) return null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) throw new Error('PostgreSQL is not installed: apt-get install postgresql');
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  throw new Error('PostgreSQL is installed without initdb');
}

/**
 * A throwaway cluster: initdb + pg_ctl in a temp dir, trust auth on 127.0.0.1, fsync off. PostgreSQL
 * refuses to run as root, so as root it runs as `nobody` (runuser), which owns the temp dir. Runs its
 * commands without blocking this process (vitest's main process starts the shared one: sharedPostgres.ts).
 */
export async function startPostgres(port?: number): Promise<RunningPostgres> {
  const binDir = postgresBinDir();
  const bin = (name: string) => (binDir ? join(binDir, name) : name);
  const dir = mkdtempSync(join(tmpdir(), 'incident-bot-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, 65534, 65534);
  const run = (file: string, args: string[]) =>
    asRoot
      ? execFileAsync('runuser', ['-u', 'nobody', '--', file, ...args], { cwd: dir })
      : execFileAsync(file, args, { cwd: dir });
  const data = join(dir, 'data');
  const listen = port ?? (await freePort());
  try {
    await run(bin('initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    await run(bin('pg_ctl'), [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-o',
      // Room for every test file's databases at once (each bot process pools up to 10 connections).
      `-p ${listen} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`,
      'start',
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(stderr || (error instanceof Error ? error.message : String(error)));
  }
  return {
    url: `postgres://postgres@127.0.0.1:${listen}/postgres`,
    async stop() {
      try {
        await run(bin('pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
