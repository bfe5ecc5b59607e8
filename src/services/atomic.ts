import type { StorePort, StoreRepositories } from '../usecases/ports/store.ts';

/**
 * Runs `work` in the caller's transaction when it has one (`tx`), else in a new one: a port transaction
 * holds the store until it commits, so a nested one would wait for itself. Pass `tx` down instead.
 */
export function atomic<T>(
  store: StorePort,
  tx: StoreRepositories | undefined,
  work: (tx: StoreRepositories) => Promise<T>,
): Promise<T> {
  return tx ? work(tx) : store.transaction(work);
}
