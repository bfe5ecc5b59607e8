import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** Published by undici (Node's fetch, which the Slack client uses) as it writes a request to its socket. */
const SEND_HEADERS = 'undici:client:sendHeaders';

/**
 * Resolves once a request to the Slack method `method` has been written to its socket (then one more turn
 * of the event loop, so its body follows), or after `maxMs` when no such request shows (another HTTP
 * client). Call it before starting the request. CPU work that waits for it cannot hold the request back:
 * a request whose socket is still connecting is written only when the event loop gets a turn.
 */
export function requestWritten(method: string, maxMs = 20): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe(SEND_HEADERS, onSend);
      setImmediate(resolve);
    };
    const onSend = (message: unknown) => {
      const path = (message as { request?: { path?: unknown } }).request?.path;
      if (typeof path === 'string' && path.endsWith(`/${method}`)) done();
    };
    const timer = setTimeout(done, maxMs);
    subscribe(SEND_HEADERS, onSend);
  });
}
