import { existsSync } from 'node:fs';
import { type Bot, StartupError, startBot } from './bot.ts';
import { ConfigError, loadConfig } from './config.ts';
import { configSecrets, createLogger } from './log.ts';
import { RunbookSetError } from './services/runbookSet.ts';

/** Entry point: config -> store -> runbooks -> services -> Slack app and HTTP routes. */
async function main(): Promise<void> {
  // A .env file next to the bot fills in what the environment does not set (the environment wins).
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `${error.message}\nREADME.md ("Create the Slack app") says where to find each value.\n`,
      );
      process.exit(1);
    }
    throw error;
  }
  // Secret values are also scrubbed from inside log messages, wherever a library quotes them.
  const log = createLogger(config.logLevel, undefined, configSecrets(config));
  let bot: Bot | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight work');
    // A second signal or a stuck close must not keep the process alive forever.
    setTimeout(() => process.exit(1), 10_000).unref();
    // A signal during start-up stops at once: what is committed in SQLite is all there is to keep.
    await bot?.stop();
    process.exit(0);
  };
  // Handlers go in before start-up: without them a SIGTERM kills the process outright, with no shutdown.
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  try {
    bot = await startBot({ config, log, processMetrics: true });
  } catch (error) {
    if (error instanceof StartupError || error instanceof RunbookSetError) {
      process.stderr.write(`incident-bot cannot start:\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const started = bot;
  // `kill -HUP <pid>` reloads runbooks and policy; bot.reload logs the outcome, a broken policy changes nothing.
  process.on('SIGHUP', () => {
    try {
      started.reload();
    } catch {
      // Already logged by bot.reload; the previous runbooks stay in use.
    }
  });
}

await main();
