import { formatDoctor, runDoctor } from '../doctor.ts';
import type { CliIO, ParsedCommand } from './args.ts';

/** The one asynchronous command: it talks to Slack (unless --offline) and reads the database. */
export async function doctor({ flags }: ParsedCommand, io: CliIO): Promise<number> {
  const checks = await runDoctor({ offline: flags.offline === true });
  io.out(flags.json ? `${JSON.stringify(checks, null, 2)}\n` : formatDoctor(checks));
  return checks.every((c) => c.ok) ? 0 : 1;
}
