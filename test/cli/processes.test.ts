import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  version: string;
  scripts: Record<string, string>;
};
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A PATH holding only the named system tools (and whatever the test writes into it). */
function pathWith(tools: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'path-'));
  dirs.push(dir);
  for (const tool of tools) {
    const real = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p));
    if (real) symlinkSync(real, join(dir, tool));
  }
  return dir;
}

const root = process.getuid?.() === 0;

describe('the test setup script (pretest of npm test)', () => {
  it('is what npm test runs first, and what .ci/run runs through npm test', () => {
    expect(pkg.scripts.pretest).toBe('bash scripts/test-deps.sh');
    expect(pkg.scripts.test).toBe('vitest run');
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/\nnpm test\n/);
  });

  it('fails loudly, naming what is missing, when it cannot install', () => {
    const path = pathWith(['id']);
    const r = spawnSync('/bin/bash', ['scripts/test-deps.sh'], { env: { PATH: path }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^test setup: the tests need prometheus\b.*and this machine has no apt-get\./);
    expect(r.stderr).toContain("so that 'prometheus' and 'initdb' are on PATH");
  });

  it('installs the missing packages with apt-get as root, or prints the exact command to run', () => {
    const path = pathWith(['id', 'env', 'chmod']);
    const log = join(path, 'apt.log');
    writeFileSync(
      join(path, 'apt-get'),
      `#!/bin/bash\necho "$DEBIAN_FRONTEND $*" >> ${log}\nif [ "$1" = install ]; then printf '#!/bin/sh\\n' > ${path}/prometheus; chmod +x ${path}/prometheus; fi\n`,
    );
    chmodSync(join(path, 'apt-get'), 0o755);
    const r = spawnSync('/bin/bash', ['scripts/test-deps.sh'], { env: { PATH: path }, encoding: 'utf8' });
    if (root) {
      expect(r.status).toBe(0);
      const calls = readFileSync(log, 'utf8').trim().split('\n');
      expect(calls[0]).toBe('noninteractive update -qq');
      expect(calls[1]).toMatch(
        /^noninteractive install -y -qq --no-install-recommends prometheus( util-linux)?$/,
      );
      // Installed now: a second run has nothing to do.
      const again = spawnSync('/bin/bash', ['scripts/test-deps.sh'], {
        env: { PATH: `${path}:/usr/bin:/bin` },
      });
      expect(again.status).toBe(0);
    } else {
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(
        "Run: sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends prometheus'",
      );
    }
  });
});

describe('bin/incident-bot.js as a process', () => {
  it('prints the version and exits 0', () => {
    const r = spawnSync(process.execPath, ['bin/incident-bot.js', '--version'], { encoding: 'utf8' });
    expect(r).toMatchObject({ status: 0, stdout: `incident-bot ${pkg.version}\n`, stderr: '' });
  });

  it('answers a bad path with JSON under --json and exit 2, with nothing on stderr', () => {
    const r = spawnSync(process.execPath, ['bin/incident-bot.js', 'lint', 'no/such/dir', '--json'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { file: 'no/such/dir' } });
  });
});

describe('deploy/incident-bot.service', () => {
  it('runs what npm start runs, from the checkout, with the environment file and a restart policy', () => {
    const unit = readFileSync('deploy/incident-bot.service', 'utf8');
    const value = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1];
    expect(pkg.scripts.start).toBe(
      'node --max-semi-space-size=2 --liftoff-only --no-parallel-scavenge dist/index.js',
    );
    expect(value('ExecStart')).toBe(`/usr/bin/${pkg.scripts.start}`);
    expect(value('WorkingDirectory')).toBe('/opt/incident-bot');
    expect(value('EnvironmentFile')).toBe('/etc/incident-bot.env');
    expect(value('Restart')).toBe('on-failure');
    expect(value('User')).toBe('incident-bot');
  });
});
