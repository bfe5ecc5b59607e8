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
});
