import { describe, expect, it } from 'vitest';
import {
  CHANNEL_NAME_MAX,
  channelSlug,
  incidentChannelName,
  withSuffix,
} from '../../src/domain/channelName.ts';

// Late in the UTC day: a local-time formatter east of UTC would already print the 23rd.
const declaredAt = new Date('2026-11-22T23:59:00Z');
const name = (title: string, daySeq = 3) => incidentChannelName({ declaredAt, daySeq, title });
const SLACK_NAME = /^[a-z0-9_-]{1,80}$/;

describe('incidentChannelName', () => {
  it.each([
    ['Payment latency high', 'inc-20261122-3-payment-latency-high'],
    ['<!channel> test', 'inc-20261122-3-channel-test'],
    ['🔥 DB down 🔥', 'inc-20261122-3-db-down'],
    ['数据库故障', 'inc-20261122-3'],
    ['', 'inc-20261122-3'],
    ['  --  !!  ', 'inc-20261122-3'],
    ['Café crème — Zürich: 50% errors!!', 'inc-20261122-3-cafe-creme-zurich-50-errors'],
    ['pool_size exhausted', 'inc-20261122-3-pool_size-exhausted'],
    ['İstanbul DC', 'inc-20261122-3-istanbul-dc'],
    ['ＡＰＩ　ｄｏｗｎ', 'inc-20261122-3-api-down'],
    ['API 5xx on /v1/payments (EU)', 'inc-20261122-3-api-5xx-on-v1-payments-eu'],
    ['数据库 DB 故障', 'inc-20261122-3-db'],
  ])('%j -> %s', (title, expected) => {
    expect(name(title)).toBe(expected);
    expect(name(title)).toMatch(SLACK_NAME);
  });

  it('uses the UTC date and the day sequence', () => {
    expect(
      incidentChannelName({ declaredAt: new Date('2027-01-05T00:00:00Z'), daySeq: 12, title: 'x' }),
    ).toBe('inc-20270105-12-x');
  });

  it('cuts a 300-character title on a word boundary, at most 80 characters', () => {
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const title = Array.from({ length: 60 }, (_, i) => words[i % 5]).join(' ');
    expect(title.length).toBeGreaterThanOrEqual(300);
    const result = name(title);
    expect(result).toBe('inc-20261122-3-alpha-beta-gamma-delta-epsilon-alpha-beta-gamma-delta-epsilon');
    expect(result.length).toBe(76);
    expect(result.length).toBeLessThanOrEqual(CHANNEL_NAME_MAX);
    expect(words).toContain(result.split('-').at(-1));
  });

  it('keeps a word that ends exactly at the limit: 80 characters', () => {
    // 15 characters of prefix leave 65: eleven 5-letter words and ten hyphens.
    const result = name('abcde '.repeat(50));
    expect(result).toBe(`inc-20261122-3-${Array(11).fill('abcde').join('-')}`);
    expect(result.length).toBe(80);
  });

  it('cuts a single word longer than the room mid-word rather than dropping it', () => {
    expect(name('x'.repeat(300))).toBe(`inc-20261122-3-${'x'.repeat(65)}`);
  });

  it('refuses inputs a caller must fix', () => {
    expect(() => incidentChannelName({ declaredAt: new Date('nope'), daySeq: 1, title: 'x' })).toThrow(
      'incidentChannelName needs a valid declaredAt date',
    );
    expect(() => incidentChannelName({ declaredAt, daySeq: 0, title: 'x' })).toThrow(
      'incidentChannelName needs a daySeq of 1 or more (got 0)',
    );
  });
});

describe('channelSlug', () => {
  it('collapses and trims hyphens', () => {
    expect(channelSlug('--a   --  b--')).toBe('a-b');
  });
});

describe('withSuffix', () => {
  it('returns the name itself on attempt 1, then -2, -3 ...', () => {
    expect(withSuffix('inc-20261122-3-db-down', 1)).toBe('inc-20261122-3-db-down');
    expect(withSuffix('inc-20261122-3-db-down', 2)).toBe('inc-20261122-3-db-down-2');
    expect(withSuffix('inc-20261122-3-db-down', 3)).toBe('inc-20261122-3-db-down-3');
    expect(withSuffix('inc-20261122-3', 2)).toBe('inc-20261122-3-2');
  });

  it('cuts the slug on a word, never the suffix, to stay within 80', () => {
    const full = name('abcde '.repeat(50));
    expect(full.length).toBe(80);
    const second = withSuffix(full, 2);
    expect(second).toBe(`inc-20261122-3-${Array(10).fill('abcde').join('-')}-2`);
    expect(second.length).toBe(76);
    const twelfth = withSuffix(full, 12);
    expect(twelfth).toBe(`inc-20261122-3-${Array(10).fill('abcde').join('-')}-12`);
    expect(twelfth.length).toBe(77);
  });

  it('never cuts into the inc-<date>-<seq> part', () => {
    const full = name('x'.repeat(300));
    expect(withSuffix(full, 2)).toBe(`inc-20261122-3-${'x'.repeat(63)}-2`);
    expect(withSuffix(full, 2).length).toBe(80);
  });

  it('keeps names it did not make within 80 too', () => {
    const other = `ops-${'word-'.repeat(20)}`.slice(0, 80);
    const result = withSuffix(other, 2);
    expect(result.length).toBeLessThanOrEqual(80);
    expect(result).toMatch(/^ops-(word-)+2$/);
  });

  it('refuses an attempt below 1', () => {
    expect(() => withSuffix('inc-20261122-3', 0)).toThrow('withSuffix needs an attempt of 1 or more (got 0)');
  });
});

describe('drill channel names', () => {
  const declaredAt = new Date('2026-12-03T09:00:00Z');

  it('say "drill" once: the prefix, not again from the title', () => {
    expect(
      incidentChannelName({
        declaredAt,
        daySeq: 2,
        title: 'DRILL RUN-004: Security Incident',
        prefix: 'drill',
      }),
    ).toBe('drill-20261203-2-run-004-security-incident');
    expect(
      incidentChannelName({ declaredAt, daySeq: 1, title: 'Drill drill: failover', prefix: 'drill' }),
    ).toBe('drill-20261203-1-failover');
  });

  it('keep "drill" inside a title, and in a real incident\'s name', () => {
    expect(incidentChannelName({ declaredAt, daySeq: 1, title: 'Fire drill overdue', prefix: 'drill' })).toBe(
      'drill-20261203-1-fire-drill-overdue',
    );
    expect(incidentChannelName({ declaredAt, daySeq: 1, title: 'Drill press offline' })).toBe(
      'inc-20261203-1-drill-press-offline',
    );
    expect(incidentChannelName({ declaredAt, daySeq: 1, title: 'DRILL', prefix: 'drill' })).toBe(
      'drill-20261203-1',
    );
  });
});
