import { describe, expect, it } from 'vitest';
import {
  TIMELINE_MESSAGE_CHARS,
  timelineFileLines,
  timelineInline,
  timelineWithFile,
} from '../../src/slack/blocks/largeTimeline.ts';
import { expectValidMessage, makeEntry, makeIncident } from './fixtures.ts';

describe('a large timeline (issue 14)', () => {
  const flood = Array.from({ length: 10_000 }, (_, i) =>
    makeEntry(i, { text: `Alert firing: DiskFull on pod-${i} <!channel>` }),
  );

  it('goes in one message while it fits, and never as a message over the size cap', () => {
    const small = flood.slice(0, 20);
    const message = timelineInline(makeIncident(), small);
    expect(message).not.toBeNull();
    expect(JSON.stringify(message?.blocks).length).toBeLessThanOrEqual(TIMELINE_MESSAGE_CHARS);
    expect(timelineInline(makeIncident(), flood.slice(0, 300))).toBeNull();
    expect(timelineInline(makeIncident(), flood)).toBeNull();
  });

  it('with a file: says how many entries and where, shows the latest, within Slack limits', () => {
    const message = timelineWithFile(makeIncident(), flood.slice(-15), 10_000, 'timeline-incident-1.md');
    expectValidMessage(message);
    const body = JSON.stringify(message.blocks);
    expect(body.length).toBeLessThan(TIMELINE_MESSAGE_CHARS);
    expect(body).toContain(
      '10,000 entries: too many for one message. The whole timeline is in the file `timeline-incident-1.md`; the latest 15 are below.',
    );
    expect(body).toContain('pod-9999 &lt;!channel&gt;');
    expect(body).not.toContain('pod-9984 ');
    expect(message.text).toBe(
      'Timeline of P1 Payment latency high: 10000 entries, in the file timeline-incident-1.md',
    );
  });

  it('the file lists every entry, one line each', () => {
    const lines = timelineFileLines(flood);
    expect(lines).toHaveLength(10_000);
    expect(lines[42]).toMatch(
      /^- 2026-11-22 \d\d:\d\d:\d\d UTC · .+ · Alert firing: DiskFull on pod-42 <!channel>$/,
    );
  });
});
