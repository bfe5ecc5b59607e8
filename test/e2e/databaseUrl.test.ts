import { describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';

describe('DATABASE_URL before the bot runs on PostgreSQL', () => {
  it('refuses to start on a private SQLite file when the operator asked for the shared database', async () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      DATABASE_URL: 'postgres://bot:hunter2@127.0.0.1:9/incidents',
    });
    const started = startBot({ config, log: createLogger('silent') });
    await expect(started).rejects.toThrow(
      'DATABASE_URL is set, but this build of the bot still keeps incidents in SQLite only',
    );
    await expect(started).rejects.not.toThrow('hunter2');
  });
});
