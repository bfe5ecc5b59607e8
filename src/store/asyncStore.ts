import type { StorePort, StoreRepositories } from '../usecases/ports/store.ts';
import type { Store } from './index.ts';
import { PeriodicTimers, RunbookHistory } from './runbookHistory.ts';

/** A repository's methods, each returning a Promise of what the synchronous one returns. */
type Async<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;
};

type Gate = <R>(work: () => R) => Promise<R>;

/**
 * One caller at a time. better-sqlite3 has one connection, so a port transaction that awaits between
 * statements would otherwise take in whatever another caller writes meanwhile (and lose it on rollback).
 */
export class AsyncMutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<R>(work: () => R | Promise<R>): Promise<R> {
    const result = this.#tail.then(work);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

function wrap<T extends object>(repository: T, gate: Gate): Async<T> {
  const methods: Record<string, unknown> = {};
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(repository))) {
    const method: unknown = Reflect.get(repository, name);
    if (name === 'constructor' || typeof method !== 'function') continue;
    methods[name] = (...args: unknown[]) => gate(() => method.apply(repository, args));
  }
  return methods as Async<T>;
}

function repositories(store: Store, gate: Gate): StoreRepositories {
  return {
    incidents: wrap(store.incidents, gate),
    checklist: wrap(store.checklist, gate),
    timeline: wrap(store.timeline, gate),
    timers: wrap(store.timers, gate),
    inbox: wrap(store.inbox, gate),
    identity: wrap(store.identity, gate),
    jobs: wrap(store.jobs, gate),
    externalRefs: wrap(store.externalRefs, gate),
    alertLinks: wrap(store.alertLinks, gate),
    idempotency: wrap(store.idempotency, gate),
    postmortems: wrap(store.postmortems, gate),
    followups: wrap(store.followups, gate),
    heartbeats: wrap(store.heartbeats, gate),
    openBoard: wrap(store.openBoard, gate),
    runbookHistory: wrap(new RunbookHistory(store.db), gate),
    periodicTimers: wrap(new PeriodicTimers(store.db), gate),
  };
}

/**
 * The SQLite store behind the asynchronous store port. Every call waits its turn, and a transaction holds
 * the turn from BEGIN to COMMIT, so its statements and no one else's are inside it. The work of a
 * transaction must use the `tx` it is given: calling the outer port from inside would wait for itself.
 */
export function asyncStore(store: Store, mutex = new AsyncMutex()): StorePort {
  const queued: Gate = (work) => mutex.run(work);
  const inTurn: Gate = async (work) => work();
  const tx = repositories(store, inTurn);
  return {
    ...repositories(store, queued),
    transaction: (work) =>
      mutex.run(async () => {
        store.db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(tx);
          store.db.exec('COMMIT');
          return result;
        } catch (error) {
          if (store.db.inTransaction) store.db.exec('ROLLBACK');
          throw error;
        }
      }),
  };
}
