// Migrations of issue 18 (changing course, structured times) and later ones, kept apart so migrations.ts
// stays readable.
// Shaped like `Migration` without importing it, so the two files do not import each other.

export const RESPONDER_MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 10,
    name: 'step assignees',
    sql: /* sql */ `
      -- A step handed to one person (Mattermost Playbooks' checklist item assignee): who, by whom, when.
      ALTER TABLE incident_steps ADD COLUMN assignee_id TEXT;
      ALTER TABLE incident_steps ADD COLUMN assigned_by TEXT;
      ALTER TABLE incident_steps ADD COLUMN assigned_at TEXT;
      -- App Home's "my tasks" reads one person's open steps: proportional to theirs, not to every step.
      CREATE INDEX steps_assignee ON incident_steps (assignee_id, state) WHERE assignee_id IS NOT NULL;
    `,
  },
  {
    version: 11,
    name: 'structured incident times',
    sql: /* sql */ `
      -- Impact started, detected and mitigated, set by hand from the header (acknowledged_at and
      -- resolved_at exist already and become editable too): MTTD, MTTA, MTTM, MTTR come from them.
      ALTER TABLE incidents ADD COLUMN impact_started_at TEXT;
      ALTER TABLE incidents ADD COLUMN detected_at TEXT;
      ALTER TABLE incidents ADD COLUMN mitigated_at TEXT;
    `,
  },
];

/** Applied after migration 12 (timer leases), which migrations.ts holds. */
export const ONCE_KEY_MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 13,
    name: 'timeline entries written once per key',
    sql: /* sql */ `
      -- A timer taken over from a replica that died before completing it fires again: the entry its
      -- firing records carries a key derived from the timer, so the second firing adds nothing.
      ALTER TABLE timeline ADD COLUMN once_key TEXT;
      CREATE UNIQUE INDEX timeline_once_key ON timeline (once_key);
    `,
  },
];
