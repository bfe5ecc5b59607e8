// Preloaded with NODE_OPTIONS=--import (where --cpu-prof is not allowed): profiles this process from a
// SIGUSR2 (sent once start-up is over, so the profile holds the requests only) to its exit, and writes a
// .cpuprofile into CPU_PROFILE_DIR, for `BENCH_PROFILE_DIR` in bench/ackProcesses.ts.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  process.once('SIGUSR2', () => session.post('Profiler.start'));
  // An in-thread session answers synchronously, so the profile is written even from the exit handler.
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
