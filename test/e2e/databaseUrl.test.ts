import { describe, expect, it } from 'vitest';
import { startBot } from '../../src/bot.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';

describe('DATABASE_URL', () => {
  it('a bot whose PostgreSQL does not answer refuses to start, says what to check, and keeps the password to itself', async () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      DATABASE_URL: 'postgres://bot:hunter2@127.0.0.1:9/incidents',
    });
    const started = startBot({ config, log: createLogger('silent') });
    await expect(started).rejects.toThrow(
      /^Cannot open the PostgreSQL database at DATABASE_URL: .*ECONNREFUSED.*Check that the server is up/,
    );
    await expect(started).rejects.not.toThrow('hunter2');
  });
});
