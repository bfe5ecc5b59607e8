import { describe, expect, it } from 'vitest';
import { DatabaseInUseError, WriterLock } from '../../src/store/writerLock.ts';
import { manualClock, tempDatabase } from './helpers.ts';

const STALE_MS = 60_000;

describe('WriterLock: one writer per database file', () => {
  it('refuses a second live process, naming the holder, and lets it in once the holder releases', () => {
    const db = tempDatabase();
    const clock = manualClock();
    const alive = new Set([101, 202]);
    const options = { staleMs: STALE_MS, isAlive: (pid: number) => alive.has(pid) };
    const first = new WriterLock(db.open(), clock.now, { owner: 'a', pid: 101, host: 'h1' }, options);
    const second = new WriterLock(db.open(), clock.now, { owner: 'b', pid: 202, host: 'h1' }, options);
    expect(first.acquire()).toBeNull();
    clock.advance(3_000);
    expect(() => second.acquire()).toThrow(DatabaseInUseError);
    expect(() => second.acquire()).toThrow(
      /is in use by incident-bot pid 101 on host h1 \(started 2026-11-22T10:00:00\.000Z, last heartbeat 3 s ago\)\. Only one bot process may write to it: stop that process first/,
    );
    first.release();
    expect(second.acquire()).toBeNull();
    expect(second.current()).toMatchObject({ owner: 'b', pid: 202, host: 'h1' });
  });

  it('takes over at once from a dead process of this host, and from another host only once its heartbeat is stale', () => {
    const db = tempDatabase();
    const clock = manualClock();
    const alive = new Set([202, 303]);
    const options = { staleMs: STALE_MS, isAlive: (pid: number) => alive.has(pid) };
    const dead = new WriterLock(db.open(), clock.now, { owner: 'a', pid: 101, host: 'h1' }, options);
    dead.acquire();
    const sameHost = new WriterLock(db.open(), clock.now, { owner: 'b', pid: 202, host: 'h1' }, options);
    expect(sameHost.acquire()).toMatchObject({ owner: 'a', pid: 101 });

    const otherHost = new WriterLock(db.open(), clock.now, { owner: 'c', pid: 303, host: 'h2' }, options);
    clock.advance(STALE_MS - 1_000);
    expect(() => otherHost.acquire()).toThrow(DatabaseInUseError);
    expect(sameHost.heartbeat()).toBe(true);
    clock.advance(STALE_MS - 1_000);
    expect(() => otherHost.acquire()).toThrow(DatabaseInUseError);
    clock.advance(2_000);
    expect(otherHost.acquire()).toMatchObject({ owner: 'b' });
    // The old holder learns it lost the lock at its next heartbeat.
    expect(sameHost.heartbeat()).toBe(false);
  });
});
