import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { parseRow } from '../../src/store/rows.ts';
import {
  CheckRow,
  InboxRow,
  IncidentRow,
  JobRow,
  StepRow,
  TimelineRow,
  TimerRow,
} from '../../src/store/sql/rows.ts';

/** The reference: every column renamed as the store always did, then the whole row through zod. */
function viaZod(schema: z.ZodType, row: Record<string, unknown>): unknown {
  const fields = Object.fromEntries(
    Object.entries(row).map(([column, value]) => [
      column.replace(/_json$/, '').replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()),
      value,
    ]),
  );
  return schema.parse(fields);
}

type Outcome = { ok: true; value: unknown } | { ok: false; issues: unknown };
function outcome(read: () => unknown): Outcome {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    return { ok: false, issues: error.issues };
  }
}

const at = '2026-11-22T10:00:00.000Z';
const command = { lang: 'sh', code: 'psql -c "select 1"', run: 'psql -c "select 1"' };
const warning = { level: 'danger', text: 'drains the pool', line: 4 };

/** One row of each hot table as SQLite returns it: snake_case columns, 0/1 flags, JSON as text. */
const ROWS: [string, z.ZodType, Record<string, unknown>][] = [
  [
    'incident',
    IncidentRow,
    {
      id: 7,
      title: 'Payment latency <!channel>',
      description: '',
      severity: 'P1',
      status: 'investigating',
      private: 1,
      drill: 0,
      runbook_id: 'RUN-001',
      commander_id: null,
      declared_by: 'U1',
      source: 'alertmanager',
      channel_id: 'C1',
      channel_name: 'inc-20261122-1-payment',
      in_fallback: 0,
      header_ts: '1.2',
      declared_at: at,
      impact_started_at: null,
      detected_at: at,
      acknowledged_at: null,
      mitigated_at: null,
      resolved_at: null,
      closed_at: null,
      updated_at: at,
      day_seq: 1,
    },
  ],
  [
    'step',
    StepRow,
    {
      id: 3,
      incident_id: 7,
      position: 2,
      section: 'step',
      runbook_id: 'RUN-001',
      number: 3,
      title: 'Drain the pool',
      body: 'Text',
      commands_json: JSON.stringify([command, { lang: null, code: 'ls' }]),
      warnings_json: JSON.stringify([warning]),
      examples_json: JSON.stringify([{ lang: null, code: 'ok', label: 'output', line: 9 }]),
      options_json: JSON.stringify([
        { key: 'a', label: 'Option 1', text: 'Restart', line: 5 },
        { key: 'b', label: 'Option 2', text: 'Scale', commands: [command], warnings: [warning], line: 7 },
      ]),
      jumps_json: JSON.stringify([{ when: 'if it fails', to: 5, line: 8 }]),
      phase: null,
      phase_title: null,
      chosen_option: null,
      chosen_by: null,
      chosen_at: null,
      state: 'active',
      message_ts: '1.3',
      completed_by: null,
      completed_at: null,
      skip_reason: null,
      skipped_by: null,
      assignee_id: 'U2',
      assigned_by: 'U1',
      assigned_at: at,
      updated_at: at,
    },
  ],
  [
    'check',
    CheckRow,
    { id: 1, step_id: 3, position: 0, text: 'pool < 90%', checked: 1, checked_by: 'U2', checked_at: at },
  ],
  [
    'timeline entry',
    TimelineRow,
    {
      id: 9,
      incident_id: 7,
      at,
      actor: 'U2',
      kind: 'check',
      text: '✔ pool < 90%',
      data_json: '{"stepId":3,"position":0}',
    },
  ],
  [
    'job',
    JobRow,
    {
      id: 4,
      incident_id: 7,
      kind: 'header',
      key: 'header-7',
      lane: 'main',
      payload_json: '{}',
      status: 'queued',
      attempts: 1,
      next_attempt_at: at,
      claimed_by: 'bot-1',
      lease_until: at,
      last_error: null,
      created_at: at,
      finished_at: null,
    },
  ],
  [
    'timer',
    TimerRow,
    {
      id: 2,
      incident_id: null,
      kind: 'escalation',
      due_at: at,
      fired_at: null,
      cancelled_at: null,
      claimed_at: null,
      payload_json: null,
      created_at: at,
    },
  ],
  [
    'inbox item',
    InboxRow,
    {
      id: 5,
      source: 'pagerduty',
      delivery_id: 'd1',
      dedup_key: null,
      received_at: at,
      raw_body: '{}',
      headers_json: '{"content-type":"application/json"}',
      status: 'pending',
      attempts: 0,
      last_error: null,
      next_attempt_at: null,
      processed_at: null,
      incident_id: null,
      body_hash: 'abc',
    },
  ],
];

/** Values a column may wrongly hold: each replaces every column in turn. */
const WRONG: unknown[] = [
  null,
  undefined,
  0,
  1,
  2,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 60,
  true,
  '',
  'x',
  'P9',
  '[]',
  '{}',
  'not json',
  '{"a":1}',
  '[{"lang":null,"code":"x"}]',
  '[{"lang":null,"code":"x","run":5}]',
  '[{"level":"danger","text":"t","line":0}]',
  '[{"key":"a","label":"A","text":"t","line":1,"commands":null}]',
  '{"__proto__":{"polluted":true}}',
  '{"a":"b","c":"d"}',
  '{"a":["x"]}',
];

describe('compiled row reading', () => {
  it.each(ROWS)('reads a valid %s row exactly as zod does', (_, schema, row) => {
    const expected = viaZod(schema, row);
    const zodParse = vi.spyOn(schema, 'parse');
    expect(parseRow(schema, row)).toEqual(expected);
    // The compiled path read it: zod is the fallback for rows it refuses, not the way every row goes.
    expect(zodParse).not.toHaveBeenCalled();
    zodParse.mockRestore();
    // toEqual ignores an undefined key; the keys must be the same too.
    expect(Object.keys(parseRow(schema, row) as object).sort()).toEqual(
      Object.keys(expected as object).sort(),
    );
  });

  it('fills in defaults and leaves absent optional keys out, as zod does', () => {
    const [, , row] = ROWS[1] ?? [];
    const step = parseRow(StepRow, row);
    expect(step.options[0]).toEqual({
      key: 'a',
      label: 'Option 1',
      text: 'Restart',
      commands: [],
      warnings: [],
      line: 5,
    });
    expect(step.commands[1]).toEqual({ lang: null, code: 'ls' });
    expect(Object.keys(step.commands[1] ?? {})).toEqual(['lang', 'code']);
    expect('checks' in step).toBe(false);
  });

  it.each(ROWS)('accepts and refuses every wrong value of a %s row exactly as zod does', (_, schema, row) => {
    let refused = 0;
    for (const column of Object.keys(row)) {
      for (const value of WRONG) {
        const wrong = { ...row, [column]: value };
        if (value === undefined) delete wrong[column];
        const zodParse = vi.spyOn(schema, 'parse');
        const fast = outcome(() => parseRow(schema, wrong));
        // A refusal is always zod's own error: the compiled path hands every row it refuses to zod.
        if (!fast.ok) expect(zodParse).toHaveBeenCalledTimes(1);
        zodParse.mockRestore();
        expect(fast, `${column} = ${String(value)}`).toEqual(outcome(() => viaZod(schema, wrong)));
        if (!fast.ok) refused++;
      }
    }
    // Most of these values are wrong for most columns: the comparison above covered refusals, not only passes.
    expect(refused).toBeGreaterThan(Object.keys(row).length * 5);
  });

  it('keeps a JSON key named __proto__ as data, never as the prototype', () => {
    const [, , row] = ROWS[3] ?? [];
    const entry = parseRow(TimelineRow, { ...row, data_json: '{"__proto__":{"polluted":true},"a":1}' });
    expect(Object.getPrototypeOf(entry.data)).toBe(Object.prototype);
    expect((entry.data as Record<string, unknown>).polluted).toBeUndefined();
  });
});
