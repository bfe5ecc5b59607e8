import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { requestWritten } from '../../src/slack/requestWritten.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A local server that holds every request until `release` is called: answers stay outstanding. */
async function holdingServer(): Promise<{ url: string; received: string[]; release: () => void }> {
  const received: string[] = [];
  const waiting: (() => void)[] = [];
  server = createServer((req, res) => {
    received.push(req.url ?? '');
    res.setHeader('connection', 'close');
    waiting.push(() => res.end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    received,
    release: () => {
      for (const answer of waiting.splice(0)) answer();
    },
  };
}

describe('requestWritten', () => {
  it('resolves once the request to that method is written, while its answer is still outstanding', async () => {
    const slack = await holdingServer();
    const written = requestWritten('conversations.create', 60_000);
    const answered = fetch(`${slack.url}conversations.create`, { method: 'POST', body: 'name=inc-1' });
    let isAnswered = false;
    void answered.then(() => {
      isAnswered = true;
    });
    await written;
    expect(isAnswered).toBe(false);
    while (slack.received.length === 0) await turn();
    expect(slack.received).toEqual(['/api/conversations.create']);
    slack.release();
    await (await answered).text();
  });

  it('ignores requests to other methods and resolves after maxMs when none to its method is written', async () => {
    const slack = await holdingServer();
    let resolved = false;
    const written = requestWritten('conversations.create', 300).then(() => {
      resolved = true;
    });
    const other = fetch(`${slack.url}chat.postMessage`, { method: 'POST', body: 'text=hi' });
    while (slack.received.length === 0) await turn();
    expect(slack.received).toEqual(['/api/chat.postMessage']);
    expect(resolved).toBe(false);
    slack.release();
    await (await other).text();
    await written;
    expect(resolved).toBe(true);
  });
});
