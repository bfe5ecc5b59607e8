import { expect, it } from 'vitest';
import type { Message } from '../../src/slack/blocks/kit.ts';
import { UpdateCoalescer } from '../../src/slack/coalescer.ts';

/** A send whose calls stay in flight until the test answers them, one by one. */
function manualSend() {
  const calls: { channel: string; ts: string; text: string; answer: (error?: Error) => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send = (channel: string, ts: string, message: Message) =>
    new Promise<void>((resolve, reject) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      calls.push({
        channel,
        ts,
        text: message.text,
        answer: (error) => {
          inFlight--;
          if (error) reject(error);
          else resolve();
        },
      });
    });
  return { send, calls, max: () => maxInFlight };
}
const msg = (text: string): Message => ({ text, blocks: [] });
const settle = () => new Promise((r) => setImmediate(r));

it('sends the first change at once and the latest of the burst after it, one in flight', async () => {
  const s = manualSend();
  const c = new UpdateCoalescer(s.send);
  let state = 'v1';
  const results: string[] = [];
  const first = c.update('C1', '1.1', () => msg(state)).then(() => results.push('first'));
  const rest = [];
  for (let i = 2; i <= 10; i++) {
    state = `v${i}`;
    rest.push(c.update('C1', '1.1', () => msg(state)).then(() => results.push(`v${i}`)));
  }
  await settle();
  expect(s.calls.map((x) => x.text)).toEqual(['v1']);
  s.calls[0]?.answer();
  await first;
  await settle();
  // Rendered when sent, from the state then: the last change, once.
  expect(s.calls.map((x) => x.text)).toEqual(['v1', 'v10']);
  expect(results).toEqual(['first']);
  s.calls[1]?.answer();
  await Promise.all(rest);
  expect(results).toHaveLength(10);
  expect(s.max()).toBe(1);
  expect(c.busy).toBe(0);
});

it('a failed update whose changes a newer one carries settles with the newer one', async () => {
  const s = manualSend();
  const c = new UpdateCoalescer(s.send);
  const a = c.update('C1', '1.1', () => msg('a'));
  const b = c.update('C1', '1.1', () => msg('b')); // pending: a is in flight
  await settle();
  s.calls[0]?.answer(new Error('ratelimited'));
  await settle();
  expect(s.calls.map((x) => x.text)).toEqual(['a', 'b']);
  s.calls[1]?.answer();
  await expect(a).resolves.toBeUndefined();
  await expect(b).resolves.toBeUndefined();
});

it('the last update failing is the callers error, and the next update starts afresh', async () => {
  const s = manualSend();
  const c = new UpdateCoalescer(s.send);
  const a = c.update('C1', '1.1', () => msg('a'));
  await settle();
  s.calls[0]?.answer(new Error('message_not_found'));
  await expect(a).rejects.toThrow('message_not_found');
  expect(c.busy).toBe(0);
  const b = c.update('C1', '1.1', () => msg('b'));
  await settle();
  s.calls[1]?.answer();
  await b;
  expect(s.calls.map((x) => x.text)).toEqual(['a', 'b']);
});

it('a render that throws fails its callers without blocking the message', async () => {
  const s = manualSend();
  const c = new UpdateCoalescer(s.send);
  await expect(
    c.update('C1', '1.1', () => {
      throw new Error('step not found');
    }),
  ).rejects.toThrow('step not found');
  const ok = c.update('C1', '1.1', () => msg('ok'));
  await settle();
  s.calls[0]?.answer();
  await ok;
  expect(s.calls.map((x) => x.text)).toEqual(['ok']);
});

it('different messages are updated side by side', async () => {
  const s = manualSend();
  const c = new UpdateCoalescer(s.send);
  const a = c.update('C1', '1.1', () => msg('header'));
  const b = c.update('C1', '1.2', () => msg('step'));
  await settle();
  expect(s.calls.map((x) => `${x.ts}:${x.text}`)).toEqual(['1.1:header', '1.2:step']);
  for (const call of s.calls) call.answer();
  await Promise.all([a, b]);
  expect(s.max()).toBe(2);
});
