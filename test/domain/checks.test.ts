import { describe, expect, it } from 'vitest';
import { diffSelection, progress, type SelectionDiff, stepComplete } from '../../src/domain/checks.ts';

/** What the store does with a diff, in one transaction: the database's set, changed only where the user clicked. */
function apply(checked: ReadonlySet<number>, diff: SelectionDiff): Set<number> {
  const next = new Set(checked);
  for (const p of diff.tick) next.add(p);
  for (const p of diff.clear) next.delete(p);
  return next;
}

describe('diffSelection', () => {
  it.each([
    [[], [], { tick: [], clear: [] }],
    [[], ['0'], { tick: [0], clear: [] }],
    [['0'], ['0', '2'], { tick: [2], clear: [] }],
    [['0', '2'], ['2'], { tick: [], clear: [0] }],
    [['1'], ['0', '2'], { tick: [0, 2], clear: [1] }],
    [['3', '1'], ['1', '3'], { tick: [], clear: [] }],
    [[], ['10', '2', '2'], { tick: [2, 10], clear: [] }],
    [['x', '-1'], ['1.5', ' 1', '', 'abc', '4'], { tick: [4], clear: [] }],
    [['99999999999999999999'], [], { tick: [], clear: [] }],
  ] as [string[], string[], SelectionDiff][])('seen %j, selected %j -> %j', (seen, selected, expected) => {
    expect(diffSelection(seen, selected)).toEqual(expected);
  });

  it('keeps both ticks when two responders click from views that are a moment stale', () => {
    // Both saw the message with no box ticked; Ana ticks 0, then Ben, whose view still shows none, ticks 1.
    let db = new Set<number>();
    const ana = diffSelection([], ['0']);
    const ben = diffSelection([], ['1']);
    db = apply(db, ana);
    db = apply(db, ben);
    expect(ana).toEqual({ tick: [0], clear: [] });
    expect(ben).toEqual({ tick: [1], clear: [] });
    expect([...db].sort()).toEqual([0, 1]);

    // Writing Ben's selection as the new state is the bug this rule prevents: Ana's tick would be lost.
    expect(new Set(['1'].map(Number))).not.toEqual(db);
  });

  it('lets a stale view clear only what its user unticked', () => {
    // Ana saw 0 ticked and unticks it; Ben meanwhile ticked 2 from a view that showed 0 ticked.
    let db = new Set([0]);
    db = apply(db, diffSelection(['0'], ['0', '2']));
    db = apply(db, diffSelection(['0'], []));
    expect([...db]).toEqual([2]);
  });
});

describe('stepComplete', () => {
  it('is true only when every check is ticked', () => {
    expect(stepComplete([{ checked: true }, { checked: true }])).toBe(true);
    expect(stepComplete([{ checked: true }, { checked: false }])).toBe(false);
  });

  it('is false for a step without checks: such a step completes only when marked done', () => {
    expect(stepComplete([])).toBe(false);
  });
});

describe('progress', () => {
  it('counts only procedure steps', () => {
    expect(
      progress([
        { section: 'prerequisites', state: 'done' },
        { section: 'process', state: 'active' },
        { section: 'step', state: 'done' },
        { section: 'step', state: 'skipped' },
        { section: 'step', state: 'active' },
        { section: 'step', state: 'pending' },
        { section: 'resolution', state: 'done' },
        { section: 'post_incident', state: 'skipped' },
      ]),
    ).toEqual({ done: 1, skipped: 1, total: 4 });
  });

  it('is all zero without steps', () => {
    expect(progress([])).toEqual({ done: 0, skipped: 0, total: 0 });
  });
});
