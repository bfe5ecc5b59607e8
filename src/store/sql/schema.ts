import type { Generated } from 'kysely';

/**
 * The tables as both databases hold them, for Kysely's typed queries. Times are ISO-8601 UTC text and
 * flags 0/1 integers on both, so rows parse with the same zod schemas whichever database answered, and
 * text comparison orders times correctly.
 */
export interface Tables {
  incidents: {
    id: Generated<number>;
    title: string;
    description: Generated<string>;
    severity: string;
    status: Generated<string>;
    private: Generated<number>;
    drill: Generated<number>;
    runbook_id: string | null;
    commander_id: string | null;
    declared_by: string;
    source: string;
    channel_id: string | null;
    channel_name: string | null;
    in_fallback: Generated<number>;
    header_ts: string | null;
    declared_at: string;
    impact_started_at: string | null;
    detected_at: string | null;
    acknowledged_at: string | null;
    mitigated_at: string | null;
    resolved_at: string | null;
    closed_at: string | null;
    updated_at: string;
    day_seq: number;
  };
  incident_steps: {
    id: Generated<number>;
    incident_id: number;
    position: number;
    section: string;
    runbook_id: string | null;
    number: number | null;
    title: string;
    body: Generated<string>;
    commands_json: Generated<string>;
    warnings_json: Generated<string>;
    examples_json: Generated<string>;
    options_json: Generated<string>;
    jumps_json: Generated<string>;
    phase: string | null;
    phase_title: string | null;
    chosen_option: string | null;
    chosen_by: string | null;
    chosen_at: string | null;
    state: Generated<string>;
    message_ts: string | null;
    completed_by: string | null;
    completed_at: string | null;
    skip_reason: string | null;
    skipped_by: string | null;
    assignee_id: string | null;
    assigned_by: string | null;
    assigned_at: string | null;
    updated_at: string;
  };
  incident_checks: {
    id: Generated<number>;
    step_id: number;
    position: number;
    text: string;
    checked: Generated<number>;
    checked_by: string | null;
    checked_at: string | null;
  };
  timeline: {
    id: Generated<number>;
    incident_id: number;
    at: string;
    actor: string;
    kind: string;
    text: string;
    data_json: string | null;
    once_key: Generated<string | null>;
  };
  timers: {
    id: Generated<number>;
    incident_id: number | null;
    kind: string;
    due_at: string;
    fired_at: string | null;
    cancelled_at: string | null;
    claimed_at: string | null;
    claimed_by: string | null;
    lease_until: string | null;
    payload_json: string | null;
    created_at: string;
  };
  inbox: {
    id: Generated<number>;
    source: string;
    delivery_id: string | null;
    dedup_key: string | null;
    received_at: string;
    raw_body: string;
    headers_json: Generated<string>;
    status: Generated<string>;
    attempts: Generated<number>;
    last_error: string | null;
    next_attempt_at: string | null;
    processed_at: string | null;
    incident_id: number | null;
    body_hash: string | null;
  };
  inbox_bodies: {
    id: Generated<number>;
    hash: string;
    body: string;
    bytes: number;
    created_at: string;
  };
  alert_links: {
    id: Generated<number>;
    source: string;
    dedup_key: string;
    incident_id: number;
    opened_at: string;
    closed_at: string | null;
  };
  processed_requests: { key: string; at: string };
  postmortems: {
    incident_id: number;
    due_at: string;
    document_url: string | null;
    done_at: string | null;
    done_by: string | null;
    created_at: string;
  };
  followups: {
    id: Generated<number>;
    incident_id: number;
    text: string;
    owner_id: string;
    due_date: string;
    created_by: string;
    created_at: string;
    done_at: string | null;
    last_reminded_at: string | null;
  };
  heartbeats: { name: string; at: string };
  jobs: {
    id: Generated<number>;
    incident_id: number | null;
    kind: string;
    key: string;
    lane: Generated<string>;
    payload_json: Generated<string>;
    status: Generated<string>;
    attempts: Generated<number>;
    next_attempt_at: string;
    claimed_by: string | null;
    lease_until: string | null;
    last_error: string | null;
    created_at: string;
    finished_at: string | null;
  };
  bot_identity: { id: number; user_id: string; bot_id: string; checked_at: string };
  external_refs: {
    id: Generated<number>;
    incident_id: number;
    system: string;
    local_key: string;
    remote_id: string;
    url: string | null;
    created_at: string;
  };
}
