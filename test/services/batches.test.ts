import { describe, expect, it } from 'vitest';
import { KeyedBatches, type Outcome } from '../../src/services/batches.ts';

/** Batches that record what each `apply` got, and fail the inputs named 'refuse'. */
function recording() {
  const applied: [string, string[]][] = [];
  let release: () => void = () => undefined;
  let gate: Promise<void> | null = null;
  const batches = new KeyedBatches<string, string, string>(async (key, inputs) => {
    applied.push([key, inputs]);
    if (gate) await gate;
    return inputs.map(
      (i): Outcome<string> =>
        i === 'refuse'
          ? { ok: false, error: new Error(`refused ${key}`) }
          : { ok: true, value: `${key}:${i}` },
    );
  });
  const hold = () => {
    gate = new Promise<void>((r) => {
      release = () => {
        gate = null;
        r();
      };
    });
  };
  return { batches, applied, hold, release: () => release() };
}

describe('KeyedBatches', () => {
  it('applies the calls of one key made in one turn together, in order, each with its own outcome', async () => {
    const { batches, applied } = recording();
    const results = await Promise.allSettled([
      batches.run('s1', 'a'),
      batches.run('s2', 'x'),
      batches.run('s1', 'refuse'),
      batches.run('s1', 'b'),
    ]);
    expect(applied).toEqual([
      ['s1', ['a', 'refuse', 'b']],
      ['s2', ['x']],
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      's1:a',
      's2:x',
      'refused s1',
      's1:b',
    ]);
    expect(batches.busy).toBe(0);
  });

  it('gathers the calls made while a batch is applied into the next one', async () => {
    const { batches, applied, hold, release } = recording();
    hold();
    const first = batches.run('s1', 'a');
    await new Promise((r) => setImmediate(r));
    expect(applied).toEqual([['s1', ['a']]]);
    const later = [batches.run('s1', 'b'), batches.run('s1', 'c')];
    release();
    expect(await Promise.all([first, ...later])).toEqual(['s1:a', 's1:b', 's1:c']);
    expect(applied).toEqual([
      ['s1', ['a']],
      ['s1', ['b', 'c']],
    ]);
  });

  it('fails every call of a batch whose apply throws, and the next batch runs afresh', async () => {
    let fail = true;
    const batches = new KeyedBatches<string, string, string>(async (_key, inputs) => {
      if (fail) throw new Error('database is locked');
      return inputs.map((i) => ({ ok: true, value: i }));
    });
    const failed = await Promise.allSettled([batches.run('s1', 'a'), batches.run('s1', 'b')]);
    expect(failed.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual([
      'database is locked',
      'database is locked',
    ]);
    fail = false;
    expect(await batches.run('s1', 'c')).toBe('c');
  });
});
