/** What one call of a batch came to: its own result, or its own error. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Waiting<I, R> {
  input: I;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Calls for one key that arrive in the same turn of the event loop, or while that key's batch is being
 * applied, are applied together by one `apply` (one transaction), in the order they came; each caller
 * still gets its own outcome. Fifty responders ticking one step cost a few transactions, not fifty, and
 * the batch starts on the next turn, so the acks of requests that arrived meanwhile go out first.
 */
export class KeyedBatches<K, I, R> {
  private readonly queues = new Map<K, Waiting<I, R>[]>();

  /** `apply` returns one outcome per input, in order; if it throws, every call of the batch fails with it. */
  constructor(private readonly apply: (key: K, inputs: I[]) => Promise<Outcome<R>[]>) {}

  run(key: K, input: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ input, resolve, reject });
        return;
      }
      const fresh = [{ input, resolve, reject }];
      this.queues.set(key, fresh);
      setImmediate(() => void this.drain(key, fresh));
    });
  }

  /** Keys with calls waiting or being applied (zero when idle). */
  get busy(): number {
    return this.queues.size;
  }

  private async drain(key: K, queue: Waiting<I, R>[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0);
      try {
        const outcomes = await this.apply(
          key,
          batch.map((w) => w.input),
        );
        batch.forEach((w, i) => {
          const outcome = outcomes[i];
          if (outcome?.ok) w.resolve(outcome.value);
          else w.reject(outcome ? outcome.error : new Error('the batch returned no outcome for this call'));
        });
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.queues.delete(key);
  }
}
