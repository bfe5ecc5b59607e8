import type { Message } from './blocks/kit.ts';

/**
 * At most one `chat.update` in flight per message, the latest state wins, nothing is lost.
 *
 * Fifty responders ticking boxes on one step made one update per click: above Slack's tier 3 (~50 a
 * minute) on one message, and every update competed with the next acks. Here a message has at most one
 * update in flight; changes that arrive meanwhile wait as one pending update whose content is rendered
 * when it is sent, from the state as it is then. So a burst of N clicks costs at most two updates in a
 * row, and the last one always shows the final state. Each caller's promise settles once an update that
 * includes its change has landed: a failed update whose change is carried by a later one is not an error.
 */
export type SendUpdate = (channel: string, ts: string, message: Message) => Promise<void>;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Slot {
  inFlight: boolean;
  pending: { render: () => Message | Promise<Message>; waiters: Waiter[] } | null;
}

export class UpdateCoalescer {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly send: SendUpdate) {}

  /** `render` runs when the update is sent, so it should read the state then, not capture it now. */
  update(channel: string, ts: string, render: () => Message | Promise<Message>): Promise<void> {
    const key = `${channel}/${ts}`;
    const slot = this.slots.get(key) ?? { inFlight: false, pending: null };
    this.slots.set(key, slot);
    const done = new Promise<void>((resolve, reject) => {
      const current = slot.pending ?? { render, waiters: [] };
      current.render = render;
      current.waiters.push({ resolve, reject });
      slot.pending = current;
    });
    if (!slot.inFlight) void this.drain(key, slot, channel, ts);
    return done;
  }

  /** Messages with an update in flight or pending (zero when idle: slots are dropped once drained). */
  get busy(): number {
    return this.slots.size;
  }

  private async drain(key: string, slot: Slot, channel: string, ts: string): Promise<void> {
    slot.inFlight = true;
    while (slot.pending) {
      const batch = slot.pending;
      slot.pending = null;
      try {
        await this.send(channel, ts, await batch.render());
        for (const w of batch.waiters) w.resolve();
      } catch (error) {
        // A newer update is waiting: it carries these changes too, so its outcome is theirs.
        const newer = slot.pending as Slot['pending']; // set by update() while this one was in flight
        if (newer) newer.waiters.unshift(...batch.waiters);
        else for (const w of batch.waiters) w.reject(error);
      }
    }
    slot.inFlight = false;
    this.slots.delete(key);
  }
}
