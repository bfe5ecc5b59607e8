import type Database from 'better-sqlite3';
import { ONCE_KEY_MIGRATIONS, RESPONDER_MIGRATIONS } from './responderMigrations.ts';

export interface Migration {
  /** 1, 2, 3, ... with no gaps; the applied version is kept in `PRAGMA user_version`. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Append only: a migration that has shipped is never edited, because databases in the field have
 * already recorded it as applied. Fix mistakes with a new migration.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: /* sql */ `
      CREATE TABLE incidents (
        id              INTEGER PRIMARY KEY,
        title           TEXT    NOT NULL,
        description     TEXT    NOT NULL DEFAULT '',
        severity        TEXT    NOT NULL CHECK (severity IN ('P0', 'P1', 'P2', 'P3')),
        status          TEXT    NOT NULL DEFAULT 'declared'
                        CHECK (status IN ('declared', 'investigating', 'identified', 'monitoring', 'resolved', 'closed')),
        private         INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1)),
        drill           INTEGER NOT NULL DEFAULT 0 CHECK (drill IN (0, 1)),
        runbook_id      TEXT,
        commander_id    TEXT,
        declared_by     TEXT    NOT NULL,
        source          TEXT    NOT NULL
                        CHECK (source IN ('slash', 'modal', 'alertmanager', 'pagerduty', 'generic')),
        channel_id      TEXT,
        channel_name    TEXT,
        in_fallback     INTEGER NOT NULL DEFAULT 0 CHECK (in_fallback IN (0, 1)),
        header_ts       TEXT,
        declared_at     TEXT    NOT NULL,
        acknowledged_at TEXT,
        resolved_at     TEXT,
        closed_at       TEXT,
        updated_at      TEXT    NOT NULL,
        day_seq         INTEGER NOT NULL CHECK (day_seq >= 1)
      );
      -- A dedicated channel belongs to one incident. Fallback incidents all share the announce
      -- channel, so they are left out of the uniqueness.
      CREATE UNIQUE INDEX incidents_channel ON incidents (channel_id)
        WHERE channel_id IS NOT NULL AND in_fallback = 0;
      -- Channel names embed (UTC day, day_seq): two incidents must never get the same pair.
      CREATE UNIQUE INDEX incidents_day_seq ON incidents (substr(declared_at, 1, 10), day_seq);
      CREATE INDEX incidents_open ON incidents (declared_at) WHERE status NOT IN ('resolved', 'closed');

      CREATE TABLE incident_steps (
        id            INTEGER PRIMARY KEY,
        incident_id   INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        position      INTEGER NOT NULL,
        section       TEXT    NOT NULL CHECK (section IN ('prerequisites', 'process', 'step', 'resolution', 'post_incident')),
        runbook_id    TEXT,
        number        INTEGER,
        title         TEXT    NOT NULL,
        body          TEXT    NOT NULL DEFAULT '',
        commands_json TEXT    NOT NULL DEFAULT '[]',
        state         TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'active', 'done', 'skipped')),
        message_ts    TEXT,
        completed_by  TEXT,
        completed_at  TEXT,
        skip_reason   TEXT,
        skipped_by    TEXT,
        updated_at    TEXT    NOT NULL,
        UNIQUE (incident_id, position)
      );

      CREATE TABLE incident_checks (
        id         INTEGER PRIMARY KEY,
        step_id    INTEGER NOT NULL REFERENCES incident_steps (id) ON DELETE CASCADE,
        position   INTEGER NOT NULL,
        text       TEXT    NOT NULL,
        checked    INTEGER NOT NULL DEFAULT 0 CHECK (checked IN (0, 1)),
        checked_by TEXT,
        checked_at TEXT,
        UNIQUE (step_id, position)
      );

      CREATE TABLE timeline (
        id          INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        at          TEXT    NOT NULL,
        actor       TEXT    NOT NULL,
        kind        TEXT    NOT NULL,
        text        TEXT    NOT NULL,
        data_json   TEXT
      );
      CREATE INDEX timeline_incident ON timeline (incident_id, at, id);

      CREATE TABLE timers (
        id           INTEGER PRIMARY KEY,
        incident_id  INTEGER REFERENCES incidents (id) ON DELETE CASCADE,
        kind         TEXT    NOT NULL,
        due_at       TEXT    NOT NULL,
        fired_at     TEXT,
        cancelled_at TEXT,
        claimed_at   TEXT,
        payload_json TEXT,
        created_at   TEXT    NOT NULL
      );
      CREATE INDEX timers_due ON timers (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;
      CREATE INDEX timers_incident ON timers (incident_id);
      -- Re-planning the same timer is a no-op. Cancelled rows are left out so that a plan cancelled
      -- (say, on resolve) can be made again (on reopen); ifnull() because NULLs never collide.
      CREATE UNIQUE INDEX timers_plan ON timers (ifnull(incident_id, 0), kind, due_at)
        WHERE cancelled_at IS NULL;

      CREATE TABLE inbox (
        id              INTEGER PRIMARY KEY,
        source          TEXT    NOT NULL CHECK (source IN ('alertmanager', 'pagerduty', 'generic')),
        delivery_id     TEXT,
        dedup_key       TEXT,
        received_at     TEXT    NOT NULL,
        raw_body        TEXT    NOT NULL,
        headers_json    TEXT    NOT NULL DEFAULT '{}',
        status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT,
        next_attempt_at TEXT,
        processed_at    TEXT,
        incident_id     INTEGER REFERENCES incidents (id) ON DELETE SET NULL,
        UNIQUE (source, delivery_id)
      );
      CREATE INDEX inbox_ready ON inbox (next_attempt_at, id) WHERE status <> 'done';

      CREATE TABLE alert_links (
        id          INTEGER PRIMARY KEY,
        source      TEXT    NOT NULL CHECK (source IN ('alertmanager', 'pagerduty', 'generic')),
        dedup_key   TEXT    NOT NULL,
        incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        opened_at   TEXT    NOT NULL,
        closed_at   TEXT
      );
      CREATE UNIQUE INDEX alert_links_open ON alert_links (source, dedup_key) WHERE closed_at IS NULL;
      CREATE INDEX alert_links_incident ON alert_links (incident_id);

      CREATE TABLE processed_requests (
        key TEXT PRIMARY KEY,
        at  TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX processed_requests_at ON processed_requests (at);
    `,
  },
  {
    version: 2,
    name: 'post-mortems and follow-ups',
    sql: /* sql */ `
      -- One post-mortem per resolved incident: due date, the document once written, who closed it.
      CREATE TABLE postmortems (
        incident_id  INTEGER PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
        due_at       TEXT    NOT NULL,
        document_url TEXT,
        done_at      TEXT,
        done_by      TEXT,
        created_at   TEXT    NOT NULL
      );
      CREATE INDEX postmortems_open ON postmortems (due_at) WHERE done_at IS NULL;

      -- Action items: [Action] -> [Owner] -> [Deadline], reminded to the owner when overdue.
      CREATE TABLE followups (
        id               INTEGER PRIMARY KEY,
        incident_id      INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        text             TEXT    NOT NULL,
        owner_id         TEXT    NOT NULL,
        due_date         TEXT    NOT NULL CHECK (due_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        created_by       TEXT    NOT NULL,
        created_at       TEXT    NOT NULL,
        done_at          TEXT,
        last_reminded_at TEXT
      );
      CREATE INDEX followups_incident ON followups (incident_id);
      CREATE INDEX followups_open ON followups (due_date) WHERE done_at IS NULL;
    `,
  },
  {
    version: 3,
    name: 'heartbeats',
    sql: /* sql */ `
      -- The last time a periodic loop ran (the scheduler's tick), so doctor can tell a stuck bot.
      CREATE TABLE heartbeats (
        name TEXT PRIMARY KEY,
        at   TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'durable side-effect jobs',
    sql: /* sql */ `
      -- Slack side effects of an incident (open its channel, post the header and first step, invite,
      -- announce, reply to the declarer). A job is claimed with a lease (claimed_by, lease_until), so
      -- a crashed process's job is taken again when the lease runs out. Jobs of one incident run in id
      -- order within their lane, and after every earlier job of the 'main' lane (channel, header, first
      -- step): a failing pin does not hold up the invites. \`key\` makes enqueuing idempotent.
      CREATE TABLE jobs (
        id              INTEGER PRIMARY KEY,
        incident_id     INTEGER REFERENCES incidents (id) ON DELETE CASCADE,
        kind            TEXT    NOT NULL,
        key             TEXT    NOT NULL UNIQUE,
        lane            TEXT    NOT NULL DEFAULT 'main',
        payload_json    TEXT    NOT NULL DEFAULT '{}',
        status          TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT    NOT NULL,
        claimed_by      TEXT,
        lease_until     TEXT,
        last_error      TEXT,
        created_at      TEXT    NOT NULL,
        finished_at     TEXT
      );
      CREATE INDEX jobs_ready ON jobs (next_attempt_at, id) WHERE status = 'queued';
      CREATE INDEX jobs_incident ON jobs (incident_id, id) WHERE status = 'queued';
      CREATE INDEX jobs_finished ON jobs (finished_at) WHERE status <> 'queued';
    `,
  },
  {
    version: 5,
    name: 'one writer lock and the remembered bot identity',
    sql: /* sql */ `
      -- The process that writes to this database (one row): a second bot on the same file refuses to
      -- start while the holder's heartbeat is fresh and its process alive.
      CREATE TABLE writer_lock (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        owner        TEXT    NOT NULL,
        pid          INTEGER NOT NULL,
        host         TEXT    NOT NULL,
        started_at   TEXT    NOT NULL,
        heartbeat_at TEXT    NOT NULL
      );
      -- Who the bot is in Slack, from the last successful auth.test: a restart while Slack is down
      -- starts with it (and stores pages, queues side effects) instead of failing.
      CREATE TABLE bot_identity (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        user_id    TEXT    NOT NULL,
        bot_id     TEXT    NOT NULL,
        checked_at TEXT    NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'inbox bodies stored once',
    sql: /* sql */ `
      -- Alertmanager resends a whole group every repeat_interval: identical bodies are stored once,
      -- by content hash, and pruned once processed; inbox rows keep only the hash.
      CREATE TABLE inbox_bodies (
        id         INTEGER PRIMARY KEY,
        hash       TEXT    NOT NULL UNIQUE,
        body       TEXT    NOT NULL,
        bytes      INTEGER NOT NULL,
        created_at TEXT    NOT NULL
      );
      ALTER TABLE inbox ADD COLUMN body_hash TEXT;
      CREATE INDEX inbox_body_hash ON inbox (body_hash) WHERE body_hash IS NOT NULL;
      CREATE INDEX inbox_processed ON inbox (processed_at) WHERE status = 'done';
    `,
  },
  {
    version: 7,
    name: 'step warnings, examples, choices and phases',
    sql: /* sql */ `
      -- What the lossless import gives a step beyond its text and commands, copied at declare so a
      -- runbook reload mid-incident never changes what the responders were shown.
      ALTER TABLE incident_steps ADD COLUMN warnings_json TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE incident_steps ADD COLUMN examples_json TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE incident_steps ADD COLUMN options_json  TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE incident_steps ADD COLUMN jumps_json    TEXT NOT NULL DEFAULT '[]';
      -- The procedure (phase) of a multi-procedure runbook the step belongs to; NULL for one procedure.
      ALTER TABLE incident_steps ADD COLUMN phase         TEXT;
      ALTER TABLE incident_steps ADD COLUMN phase_title   TEXT;
      -- The alternative a responder picked among the step's options, who picked it and when.
      ALTER TABLE incident_steps ADD COLUMN chosen_option TEXT;
      ALTER TABLE incident_steps ADD COLUMN chosen_by     TEXT;
      ALTER TABLE incident_steps ADD COLUMN chosen_at     TEXT;
    `,
  },
  {
    version: 8,
    name: 'records in other systems',
    sql: /* sql */ `
      -- What an integration created for an incident or a follow-up (a Statuspage incident, a GitHub
      -- issue), so later updates change that record instead of creating another.
      CREATE TABLE external_refs (
        id          INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
        system      TEXT    NOT NULL,
        local_key   TEXT    NOT NULL,
        remote_id   TEXT    NOT NULL,
        url         TEXT,
        created_at  TEXT    NOT NULL,
        UNIQUE (system, local_key)
      );
      CREATE INDEX external_refs_remote ON external_refs (system, remote_id);
      -- Deleting an incident checks this foreign key: without the index that reads the whole table.
      CREATE INDEX external_refs_incident ON external_refs (incident_id);
    `,
  },
  {
    version: 9,
    name: 'indexes for every hot query',
    sql: /* sql */ `
      -- Each index keeps a query on a hot path proportional to what it returns, not to the table:
      -- test/store/queryPlans.test.ts fails on a scan of a growing table.
      CREATE INDEX alert_links_key ON alert_links (source, dedup_key, id);
      CREATE INDEX alert_links_opened ON alert_links (opened_at);
      CREATE INDEX incidents_declared ON incidents (declared_at, id);
      CREATE INDEX incidents_drills ON incidents (runbook_id, resolved_at)
        WHERE drill = 1 AND resolved_at IS NOT NULL AND runbook_id IS NOT NULL;
      CREATE INDEX steps_skipped ON incident_steps (updated_at)
        WHERE state = 'skipped' AND section = 'step' AND runbook_id IS NOT NULL;
      CREATE INDEX timeline_kind ON timeline (incident_id, kind, at, id);
      -- Foreign keys: inserting or deleting an incident looks up its children by incident_id.
      DROP INDEX jobs_incident;
      CREATE INDEX jobs_incident ON jobs (incident_id, id);
      CREATE INDEX jobs_failed ON jobs (id) WHERE status = 'failed';
      CREATE INDEX inbox_incident ON inbox (incident_id) WHERE incident_id IS NOT NULL;
      -- Claims read unfinished rows in id order: without these, the planner walks the whole table by
      -- rowid to honour ORDER BY id ... LIMIT.
      CREATE INDEX inbox_unfinished ON inbox (id) WHERE status <> 'done';
      CREATE INDEX jobs_queued ON jobs (id) WHERE status = 'queued';
    `,
  },
  ...RESPONDER_MIGRATIONS,
  {
    version: 12,
    name: 'timer leases',
    sql: /* sql */ `
      -- A timer is leased to the replica that claimed it and marked fired only when its work is done:
      -- a replica killed in between loses the lease at lease_until and another takes the timer over.
      ALTER TABLE timers ADD COLUMN claimed_by TEXT;
      ALTER TABLE timers ADD COLUMN lease_until TEXT;
    `,
  },
  ...ONCE_KEY_MIGRATIONS,
];

export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
}

function userVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/**
 * Applies pending migrations in order, each in its own IMMEDIATE transaction together with the
 * `user_version` bump, so a crash leaves the database at a clean version and two processes
 * starting at once cannot both apply the same migration. Returns the versions applied.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `Migration "${migration.name}" has version ${migration.version} but is at position ${index + 1}: ` +
          'number migrations 1, 2, 3, ... in order with no gaps',
      );
    }
  });
  const latest = migrations.length;
  const current = userVersion(db);
  if (current > latest) {
    throw new SchemaTooNewError(
      `Database ${db.name} has schema version ${current}, but this incident-bot only knows up to ${latest}: ` +
        'run a newer incident-bot, or point DATABASE_PATH at another file (do not downgrade in place)',
    );
  }

  const applied: number[] = [];
  for (const migration of migrations.filter((m) => m.version > current)) {
    try {
      db.transaction(() => {
        // Another process may have migrated between our first read and taking the write lock.
        if (userVersion(db) >= migration.version) return;
        db.exec(migration.sql);
        // PRAGMA takes no bound parameters; the version is an integer validated above.
        db.pragma(`user_version = ${migration.version}`);
        applied.push(migration.version);
      }).immediate();
    } catch (error) {
      throw new Error(
        `Migration ${migration.version} (${migration.name}) failed and was rolled back, leaving ${db.name} ` +
          `at schema version ${userVersion(db)}: ${error instanceof Error ? error.message : String(error)}. ` +
          'Fix the cause (disk full, read-only file, a hand-edited schema) and restart.',
        { cause: error },
      );
    }
  }
  return applied;
}
