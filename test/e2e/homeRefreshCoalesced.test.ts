import { afterEach, beforeEach, expect, it } from 'vitest';
import { appHomeOpenedEvent, event } from '../support/slackRequests.ts';
import { DECLARER, IC, OTHER, SECRET, startTestBot, type TestBot } from './testBot.ts';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.stop();
});

it('a burst of changes refreshes App Home once, after the burst, from the state at that time', async () => {
  await event(t.url, SECRET, appHomeOpenedEvent({ user: OTHER }));
  const service = t.bot.service;
  const urgentBoard = service.urgentBoard.bind(service);
  let reads = 0;
  service.urgentBoard = (limit) => {
    reads++;
    return urgentBoard(limit);
  };
  try {
    const publishes = t.slack.callsTo('views.publish').length;
    for (let i = 0; i < 20; i++) t.bot.home.refreshInBackground();
    // Nothing is read in the caller's turn: the refresh starts after it.
    expect(reads).toBe(0);
    await t.bot.home.settled();
    expect(reads).toBe(1);
    expect(t.slack.callsTo('views.publish')).toHaveLength(publishes + 1);
    // The next change after the burst refreshes again.
    t.bot.home.refreshInBackground();
    await t.bot.home.settled();
    expect(reads).toBe(2);
  } finally {
    service.urgentBoard = urgentBoard;
  }
});

it("reads the response times once a refresh, whatever the number of viewers (not once a viewer's tab)", async () => {
  for (const user of [OTHER, IC, DECLARER]) await event(t.url, SECRET, appHomeOpenedEvent({ user }));
  await t.bot.home.settled();
  const incidents = t.bot.store.incidents;
  const timesSince = incidents.timesSince.bind(incidents);
  let reads = 0;
  incidents.timesSince = (since, afterId, limit) => {
    reads++;
    return timesSince(since, afterId, limit);
  };
  try {
    const publishes = t.slack.callsTo('views.publish').length;
    t.bot.home.refreshInBackground();
    await t.bot.home.settled();
    expect(t.slack.callsTo('views.publish')).toHaveLength(publishes + 3);
    // No incident in the window: one page, read once for the three tabs.
    expect(reads).toBe(1);
  } finally {
    incidents.timesSince = timesSince;
  }
});
