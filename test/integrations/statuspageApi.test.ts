import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrationError } from '../../src/integrations/errors.ts';
import { StatuspageApi } from '../../src/integrations/statuspage.ts';
import { type FakeStatuspage, SP_API_KEY, SP_PAGE, startFakeStatuspage } from '../support/fakeStatuspage.ts';

let sp: FakeStatuspage;
let api: StatuspageApi;

beforeEach(async () => {
  sp = await startFakeStatuspage();
  api = new StatuspageApi({ apiKey: SP_API_KEY, pageId: SP_PAGE, apiUrl: sp.url }, globalThis.fetch, 0);
});
afterEach(() => sp.close());

describe('StatuspageApi', () => {
  it('turns a 429 into a retryable failure that carries Retry-After', async () => {
    sp.failNext('GET', 429, 7);
    const failure = await api.page().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IntegrationError);
    expect(failure).toMatchObject({ retryable: true, retryAfterMs: 7000 });
    await expect(api.page()).resolves.toEqual({ id: SP_PAGE, name: 'Acme Status' });
  });

  it('fails for good on a refused key, with a message naming the status', async () => {
    const bad = new StatuspageApi({ apiKey: 'wrong', pageId: SP_PAGE, apiUrl: sp.url }, globalThis.fetch, 0);
    await expect(bad.page()).rejects.toMatchObject({
      retryable: false,
      message: expect.stringMatching(/^Statuspage answered 401 to read the page/),
    });
  });

  it('spaces its calls by the rate limit, so a burst of updates never meets a 429', async () => {
    const sent: number[] = [];
    const counting: typeof fetch = (input, init) => {
      sent.push(Date.now());
      return globalThis.fetch(input, init);
    };
    const spaced = new StatuspageApi({ apiKey: SP_API_KEY, pageId: SP_PAGE, apiUrl: sp.url }, counting, 150);
    await Promise.all([spaced.page(), spaced.page(), spaced.page()]);
    expect(sent).toHaveLength(3);
    // A lower bound only: a slow machine spaces them further (timers may fire a few ms early); unspaced they are ~0.
    const gaps = sent.slice(1).map((at, i) => at - (sent[i] ?? at));
    expect(gaps.filter((gap) => gap < 140)).toEqual([]);
  });
});
