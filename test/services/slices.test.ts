import { expect, it } from 'vitest';
import { renderInSlices, yieldToLoop } from '../../src/services/slices.ts';

/** Counts the event loop's iterations: one increment per check phase while `running()`. */
function loopTurns(running: () => boolean): { now: () => number } {
  let turns = 0;
  const count = () => {
    if (!running()) return;
    turns++;
    setImmediate(count);
  };
  setImmediate(count);
  return { now: () => turns };
}

it('runs one waiting slice a turn of the event loop, however many tabs are drawn at once', async () => {
  let running = true;
  const loop = loopTurns(() => running);
  const ran: { worker: number; turn: number }[] = [];
  // Six viewers' tabs, three slices each, all started together as a Home refresh starts them.
  const worker = async (id: number) => {
    for (let slice = 0; slice < 3; slice++) {
      await yieldToLoop();
      ran.push({ worker: id, turn: loop.now() });
    }
  };
  await Promise.all([0, 1, 2, 3, 4, 5].map(worker));
  running = false;

  expect(ran).toHaveLength(18);
  // No two slices shared a turn: between any two, the loop went round (timers, I/O: the next acks).
  expect(new Set(ran.map((r) => r.turn)).size).toBe(18);
  // Oldest first: the six first slices before any second one.
  expect(ran.slice(0, 6).map((r) => r.worker)).toEqual([0, 1, 2, 3, 4, 5]);
});

it('lets a timer that fell due during one slice fire before the next slice', async () => {
  const order: string[] = [];
  let timer: Promise<void> = Promise.resolve();
  const first = async () => {
    await yieldToLoop();
    order.push('a');
    timer = new Promise((resolve) =>
      setTimeout(() => {
        order.push('timer');
        resolve();
      }, 0),
    );
    // A slice's work: the timer is due before it ends.
    const end = Date.now() + 3;
    while (Date.now() < end);
  };
  const second = async () => {
    await yieldToLoop();
    order.push('b');
  };
  await Promise.all([first(), second()]);
  await timer;
  expect(order).toEqual(['a', 'timer', 'b']);
});

it('renders every item once, in order, a slice at a time', async () => {
  const sizes: number[] = [];
  const out = await renderInSlices([1, 2, 3, 4, 5, 6, 7], 3, (slice) => {
    sizes.push(slice.length);
    return slice.map((n) => n * 10);
  });
  expect(out).toEqual([10, 20, 30, 40, 50, 60, 70]);
  expect(sizes).toEqual([3, 3, 1]);
});
