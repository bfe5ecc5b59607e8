import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { SqlContext } from '../../../src/store/sql/dialect.ts';
import {
  byShape,
  type IdParams,
  idPlaceholders,
  idValues,
  prepare,
  rowParams,
  rowPlaceholders,
} from '../../../src/store/sql/prepared.ts';
import type { Tables } from '../../../src/store/sql/schema.ts';
import { STORE_KINDS, type StoreKind, storeDatabases } from '../../support/storeDatabases.ts';

const databases = storeDatabases();

/** A migrated database of `kind` with three incidents, and a context of our own on it. */
async function opened(kind: StoreKind): Promise<{ ctx: SqlContext; ids: number[] }> {
  const database = await databases.fresh(kind);
  const store = await database.open();
  const ids: number[] = [];
  for (const title of ['first', 'second', 'third']) {
    ids.push((await store.incidents.create({ title, severity: 'P2', declaredBy: 'U1', source: 'slash' })).id);
  }
  const dialect = database.options.databaseUrl
    ? new PostgresDialect({ pool: new pg.Pool({ connectionString: database.options.databaseUrl, max: 1 }) })
    : new SqliteDialect({ database: new Database(database.options.databasePath) });
  const db = new Kysely<Tables>({ dialect });
  onTestFinished(() => db.destroy());
  return { ctx: { kind, db, now: () => new Date(), depth: 0 }, ids };
}

describe.each(STORE_KINDS)('prepared queries on %s', (kind) => {
  it('compile once and run with each call its own values', async () => {
    const { ctx, ids } = await opened(kind);
    let built = 0;
    const byId = prepare<{ id: number }>()((db, p) => {
      built++;
      return db.selectFrom('incidents').select(['id', 'title']).where('id', '=', p.id);
    });
    const titles = [];
    for (const id of [...ids, ...ids]) titles.push((await byId.first(ctx, { id }))?.title);
    expect(titles).toEqual(['first', 'second', 'third', 'first', 'second', 'third']);
    expect(await byId.first(ctx, { id: -1 })).toBeUndefined();
    expect(built).toBe(1);
  });

  it('keep the values the builder was given as constants, and count the rows a write changed', async () => {
    const { ctx, ids } = await opened(kind);
    const rename = prepare<{ title: string; from: string }>()((db, p) =>
      db.updateTable('incidents').set({ title: p.title, severity: 'P0' }).where('title', '=', p.from),
    );
    expect(await rename.affected(ctx, { title: 'renamed', from: 'second' })).toBe(1);
    expect(await rename.affected(ctx, { title: 'renamed', from: 'nobody' })).toBe(0);
    const rows = await ctx.db
      .selectFrom('incidents')
      .select(['id', 'title', 'severity'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: ids[0], title: 'first', severity: 'P2' },
      { id: ids[1], title: 'renamed', severity: 'P0' },
      { id: ids[2], title: 'third', severity: 'P2' },
    ]);
  });

  it('make one query per shape: an id list of each length, an insert of each number of rows', async () => {
    const { ctx, ids } = await opened(kind);
    let built = 0;
    const titlesOf = byShape((n: number) =>
      prepare<IdParams>()((db, p) => {
        built++;
        return db
          .selectFrom('incidents')
          .select('title')
          .where('id', 'in', idPlaceholders(p, n))
          .orderBy('id');
      }),
    );
    const read = async (list: number[]) =>
      (await titlesOf(list.length).rows(ctx, idValues(list))).map((row) => row.title);
    expect(await read([ids[2] ?? 0])).toEqual(['third']);
    expect(await read([ids[0] ?? 0, ids[2] ?? 0])).toEqual(['first', 'third']);
    expect(await read([ids[1] ?? 0, ids[0] ?? 0])).toEqual(['first', 'second']);
    expect(built).toBe(2);

    type Link = { source: string; dedup_key: string; incident_id: number; opened_at: string };
    const columns: (keyof Link)[] = ['source', 'dedup_key', 'incident_id', 'opened_at'];
    const link = byShape((n: number) =>
      prepare<Record<string, unknown>>()((db, p) =>
        db
          .insertInto('alert_links')
          .values(rowPlaceholders<Link>(p, n, columns))
          .returning(['dedup_key']),
      ),
    );
    const links: Link[] = ['a', 'b', 'c'].map((key, i) => ({
      source: 'generic',
      dedup_key: key,
      incident_id: ids[i] ?? 0,
      opened_at: '2026-11-22T10:00:00.000Z',
    }));
    expect(await link(3).rows(ctx, rowParams(links))).toEqual([
      { dedup_key: 'a' },
      { dedup_key: 'b' },
      { dedup_key: 'c' },
    ]);
  });

  it('refuse a parameter that never became a bound value, and a call without a value', async () => {
    const { ctx, ids } = await opened(kind);
    const unused = prepare<{ id: number; extra: string }>()((db, p) => {
      void p.extra;
      return db.selectFrom('incidents').select('id').where('id', '=', p.id);
    });
    await expect(unused.rows(ctx, { id: 1, extra: 'x' })).rejects.toThrow(
      /parameter\(s\) extra did not become bound parameters/,
    );
    const byId = prepare<{ id: number }>()((db, p) =>
      db.selectFrom('incidents').select('id').where('id', '=', p.id),
    );
    await expect(byId.rows(ctx, {} as { id: number })).rejects.toThrow(
      'Prepared query parameter id has no value',
    );
    expect(await byId.rows(ctx, { id: ids[0] ?? 0 })).toEqual([{ id: ids[0] }]);
  });
});
