/** A Bolt app that only acks, in its own process, for bench/ackProcesses.ts: prints its port. */
import { startBareBolt } from './clicks.ts';

const { port } = await startBareBolt(process.env.SLACK_API_URL ?? 'http://127.0.0.1:9/');
console.log(`port ${port}`);
// A clean exit, so `--cpu-prof` (BENCH_PROFILE_DIR) can write its profile.
process.on('SIGTERM', () => process.exit(0));
