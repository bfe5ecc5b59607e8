import Database from 'better-sqlite3';
import { parseDuration } from '../domain/duration.ts';
import { CheckError, type Item, type Observation, type Probe } from './types.ts';

const MAX_ROWS = 100;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;

/** Numeric columns become threshold fields; the first one is the check's value. */
function observeRows(rows: readonly Record<string, unknown>[], engine: string): Observation {
  const items: Item[] = rows.slice(0, MAX_ROWS).map((row) => {
    const item: Item = {};
    let first: number | null = null;
    for (const [key, raw] of Object.entries(row)) {
      // pg returns numeric/bigint as strings to keep precision; a diagnostic only needs a float.
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'bigint'
            ? Number(raw)
            : typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))
              ? Number(raw)
              : null;
      item[key] = n ?? (raw === null || raw === undefined ? null : String(raw));
      if (n !== null && first === null) first = n;
    }
    item.value = first;
    return item;
  });
  const value = typeof items[0]?.value === 'number' ? items[0].value : null;
  const columns = rows[0] ? Object.keys(rows[0]) : [];
  const preview = items
    .slice(0, 5)
    .map((item) => columns.map((c) => `${c}=${String(item[c])}`).join(' '))
    .join('\n');
  return {
    items,
    value,
    display:
      value === null
        ? `${rows.length} rows`
        : rows.length > 1
          ? `${value} (${rows.length} rows)`
          : String(value),
    detail: `${engine}\n${preview}`.trim(),
  };
}

async function queryPostgres(
  url: string,
  sql: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Observation> {
  // Loaded on first use: most bots never run SQL diagnostics, and start-up should not pay for the driver.
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    application_name: 'incident-bot diagnostics',
  });
  // The runner's abort ends the connection; the server-side statement_timeout ends the query there too.
  const onAbort = () => void client.end().catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    // READ ONLY: whatever the SQL says, this session cannot change the database it is diagnosing.
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
    const result = await client.query(sql);
    await client.query('ROLLBACK');
    return observeRows(result.rows as Record<string, unknown>[], 'PostgreSQL');
  } catch (error) {
    if (signal.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CheckError(`PostgreSQL: ${message}`);
  } finally {
    signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
  }
}

/**
 * SQLite is opened read-only with query_only on, and only statements that return rows are accepted.
 * better-sqlite3 is synchronous, so the timeout cannot interrupt a running SQLite query: it is meant for
 * small local databases; use PostgreSQL for anything that may be slow.
 */
function querySqlite(path: string, sql: string): Observation {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('query_only = ON');
    const statement = db.prepare(sql);
    if (!statement.reader)
      throw new CheckError('SQLite: the statement returns no rows; diagnostics run SELECT queries only');
    return observeRows(statement.all() as Record<string, unknown>[], 'SQLite');
  } catch (error) {
    if (error instanceof CheckError) throw error;
    throw new CheckError(`SQLite: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    db?.close();
  }
}

/** `database_query`: read-only SQL against a named connection from DIAGNOSTICS_DATABASES. */
export const databaseProbe: Probe<'database_query'> = {
  kind: 'database_query',
  async observe(check, context, signal) {
    const url = context.databases[check.connection];
    if (!url)
      throw new CheckError(
        `no database connection "${check.connection}": add ${check.connection}=postgres://... to DIAGNOSTICS_DATABASES`,
      );
    const timeoutMs = (check.timeout && parseDuration(check.timeout)) || DEFAULT_STATEMENT_TIMEOUT_MS;
    if (url.startsWith('sqlite:')) return querySqlite(url.slice('sqlite:'.length), check.sql);
    return queryPostgres(url, check.sql, timeoutMs, signal);
  },
};
