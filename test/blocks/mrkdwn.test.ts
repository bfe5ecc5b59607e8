import { describe, expect, it } from 'vitest';
import {
  channel,
  codeBlock,
  codeBlocks,
  escapeMrkdwn,
  slackDate,
  splitLabel,
  splitText,
  truncate,
  user,
} from '../../src/slack/blocks/mrkdwn.ts';

describe('escapeMrkdwn', () => {
  it('escapes exactly Slack’s three control characters', () => {
    expect(escapeMrkdwn('<!channel> test')).toBe('&lt;!channel&gt; test');
    expect(escapeMrkdwn('<@U123> & <#C1|x>')).toBe('&lt;@U123&gt; &amp; &lt;#C1|x&gt;');
    expect(escapeMrkdwn('already &amp; escaped')).toBe('already &amp;amp; escaped');
    expect(escapeMrkdwn('*bold* _it_ "q" \'s\'')).toBe('*bold* _it_ "q" \'s\'');
  });
});

describe('truncate', () => {
  it('leaves short text alone and cuts long text to exactly max with an ellipsis', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('0123456789', 10)).toBe('0123456789');
    expect(truncate('0123456789A', 10)).toBe('012345678…');
    expect(truncate('0123456789A', 10)).toHaveLength(10);
    expect(truncate('abc', 1)).toBe('…');
    expect(truncate('abc', 0)).toBe('');
  });

  it('counts UTF-16 code units and never splits a surrogate pair', () => {
    const text = `${'a'.repeat(8)}😀😀`; // 8 + 2 + 2 code units
    const cut = truncate(text, 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut).toBe(`${'a'.repeat(8)}…`);
    expect(truncate('😀😀😀', 5)).toBe('😀😀…');
  });

  it('never cuts an entity or a <…> token in half', () => {
    expect(truncate('ab &amp; cd', 6)).toBe('ab…');
    expect(truncate('hi <@U12345> there', 8)).toBe('hi…');
  });
});

describe('splitLabel', () => {
  it('cuts at a word boundary and returns the rest', () => {
    const text = 'Connection pool usage is below ninety percent on every primary and replica';
    const { head, rest } = splitLabel(text, 40);
    expect(head.length).toBeLessThanOrEqual(40);
    expect(head).toBe('Connection pool usage is below ninety…');
    expect(rest).toBe('percent on every primary and replica');
  });
});

describe('slackDate', () => {
  it('is a date token with the UTC time as fallback', () => {
    expect(slackDate('2026-11-22T10:05:30.000Z')).toBe(
      '<!date^1795341930^{date_short_pretty} {time}|2026-11-22 10:05 UTC>',
    );
    expect(slackDate('2026-11-22T10:05:30.000Z', '{date_num} {time_secs}')).toBe(
      '<!date^1795341930^{date_num} {time_secs}|2026-11-22 10:05:30 UTC>',
    );
  });

  it('shows an unparseable time as escaped text', () => {
    expect(slackDate('<soon>')).toBe('&lt;soon&gt;');
  });
});

describe('user and channel', () => {
  it('mention IDs and escape anything else', () => {
    expect(user('U012AB3CD')).toBe('<@U012AB3CD>');
    expect(user('W012AB3CD')).toBe('<@W012AB3CD>');
    expect(user('U1> <!channel')).toBe('U1&gt; &lt;!channel');
    expect(channel('C0INCIDENT')).toBe('<#C0INCIDENT>');
    expect(channel('#incidents')).toBe('#incidents');
  });
});

describe('codeBlock and codeBlocks', () => {
  it('fences escaped code', () => {
    expect(codeBlock('psql -c "select 1" > out && cat out')).toBe(
      '```\npsql -c "select 1" &gt; out &amp;&amp; cat out\n```',
    );
    expect(codeBlocks('kubectl get pods')).toEqual(['```\nkubectl get pods\n```']);
    expect(codeBlocks('  \n')).toEqual([]);
  });

  it('splits a long script on line boundaries without losing a byte', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `echo line ${i} && sleep 0.${i % 10}`);
    const script = lines.join('\n');
    const blocks = codeBlocks(script);
    expect(blocks.length).toBeGreaterThan(1);
    for (const block of blocks) {
      expect(block.length).toBeLessThanOrEqual(3000);
      expect(block.startsWith('```\n') && block.endsWith('\n```')).toBe(true);
    }
    const bodies = blocks.map((b) => b.slice(4, -4));
    // Cuts fall on line boundaries, where the fence's own line break stands for the newline.
    expect(bodies.join('\n')).toBe(escapeMrkdwn(script));
  });

  it('hard-splits a single 9000-character line without losing a byte or cutting an entity', () => {
    const line = 'x&y'.repeat(3000);
    const blocks = codeBlocks(line);
    expect(blocks).toHaveLength(Math.ceil(escapeMrkdwn(line).length / 2992));
    for (const block of blocks) expect(block.length).toBeLessThanOrEqual(3000);
    const bodies = blocks.map((b) => b.slice(4, -4));
    for (const body of bodies) {
      expect(body).not.toMatch(/&[a-z]*$/);
      expect(body).not.toMatch(/^[a-z]*;/);
    }
    expect(bodies.join('')).toBe(escapeMrkdwn(line));
  });
});

describe('splitText', () => {
  it('keeps short text whole', () => {
    expect(splitText('one\ntwo')).toEqual(['one\ntwo']);
    expect(splitText('')).toEqual([]);
    expect(splitText('\n\n')).toEqual([]);
  });

  it('splits on line boundaries into pieces of at most max', () => {
    const text = ['a'.repeat(1500), 'b'.repeat(1499), 'c'.repeat(10)].join('\n');
    expect(splitText(text)).toEqual([`${'a'.repeat(1500)}\n${'b'.repeat(1499)}`, 'c'.repeat(10)]);
  });

  it('hard-splits one long line, preferring a space near the end', () => {
    const words = 'word '.repeat(1000).trim(); // 4999 characters
    const pieces = splitText(words);
    expect(pieces).toHaveLength(2);
    expect(pieces[0]?.length).toBeLessThanOrEqual(3000);
    expect(pieces[0]?.endsWith('word ')).toBe(true);
    expect(pieces.join('')).toBe(words);
    const solid = 'z'.repeat(7000);
    expect(splitText(solid).map((p) => p.length)).toEqual([3000, 3000, 1000]);
  });

  it('does not split a surrogate pair or a <…> token', () => {
    const emoji = `${'a'.repeat(2999)}😀tail`;
    const [first, second] = splitText(emoji);
    expect(first).toBe('a'.repeat(2999));
    expect(second).toBe('😀tail');
    const token = `${'a'.repeat(2990)} <@U0123456789>`;
    expect(splitText(token)).toEqual([`${'a'.repeat(2990)} `, '<@U0123456789>']);
  });
});
