import type { View } from '@slack/types';
import { expect } from 'vitest';
import { DEFAULT_ALERT_POLICY } from '../../src/domain/alertPolicy.ts';
import type { Incident } from '../../src/domain/incident.ts';
import type { Policy } from '../../src/domain/policy.ts';
import type { IncidentCheck, IncidentStep } from '../../src/domain/steps.ts';
import type { TimelineEntry } from '../../src/domain/timeline.ts';
import type { Runbook } from '../../src/runbooks/model.ts';
import type { Message } from '../../src/slack/blocks/kit.ts';
import { LIMITS, validateBlocks, validateView } from '../support/blockLimits.ts';

export const DECLARED_AT = '2026-11-22T10:00:00.000Z';
/** The UNIX time of DECLARED_AT (1795341600), as it appears in date tokens. */
export const DECLARED_UNIX = Date.parse(DECLARED_AT) / 1000;

export function makeIncident(patch: Partial<Incident> = {}): Incident {
  return {
    id: 7,
    title: 'Payment latency high',
    description: '',
    severity: 'P1',
    status: 'investigating',
    private: false,
    drill: false,
    runbookId: 'RUN-001',
    commanderId: 'U0COMMAND',
    declaredBy: 'U0DECLARE',
    source: 'slash',
    channelId: 'C0INCIDENT',
    channelName: 'inc-20261122-1-payment-latency-high',
    inFallback: false,
    headerTs: '1795341600.000100',
    declaredAt: DECLARED_AT,
    impactStartedAt: null,
    detectedAt: null,
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
    closedAt: null,
    updatedAt: DECLARED_AT,
    daySeq: 1,
    ...patch,
  };
}

export function makeCheck(position: number, patch: Partial<IncidentCheck> = {}): IncidentCheck {
  return {
    id: 100 + position,
    stepId: 42,
    position,
    text: `Check number ${position + 1}`,
    checked: false,
    checkedBy: null,
    checkedAt: null,
    ...patch,
  };
}

export function makeStep(patch: Partial<IncidentStep> = {}): IncidentStep {
  return {
    id: 42,
    incidentId: 7,
    position: 3,
    section: 'step',
    runbookId: 'RUN-001',
    number: 2,
    title: 'Check the pool',
    body: '',
    commands: [],
    warnings: [],
    examples: [],
    options: [],
    jumps: [],
    phase: null,
    phaseTitle: null,
    chosenOption: null,
    chosenBy: null,
    chosenAt: null,
    state: 'active',
    messageTs: null,
    completedBy: null,
    completedAt: null,
    skipReason: null,
    skippedBy: null,
    assigneeId: null,
    assignedBy: null,
    assignedAt: null,
    updatedAt: DECLARED_AT,
    checks: [],
    ...patch,
  };
}

export function makeChecks(count: number): IncidentCheck[] {
  return Array.from({ length: count }, (_, i) => makeCheck(i));
}

export function makeEntry(i: number, patch: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    id: i + 1,
    incidentId: 7,
    at: new Date(Date.parse(DECLARED_AT) + i * 60_000).toISOString(),
    actor: 'U0ACTOR',
    kind: 'note',
    text: `Entry ${i + 1}`,
    data: null,
    ...patch,
  };
}

export function makeRunbook(patch: Partial<Runbook> = {}): Runbook {
  return {
    id: 'RUN-001',
    title: 'Database Connection Pool Exhaustion',
    category: 'Incident',
    trigger: 'MON-005 alert',
    owner: 'Backend Team',
    lastTested: '2026-10-01',
    severity: 'P1',
    scope: { handles: [], excludes: [] },
    prerequisites: [],
    steps: [],
    escalation: { when: [], who: [], what: [] },
    postIncident: [],
    linkedIds: [],
    source: { file: 'runbooks/RUN-001.md', layout: 'run' },
    context: [],
    phases: [],
    notes: [],
    meta: {
      alerts: [],
      monitors: [],
      service: null,
      components: [],
      symptoms: [],
      escalationAfter: null,
      escalationTo: null,
      diagnostics: null,
      redirect: null,
      references: [],
    },
    ...patch,
  };
}

const TEAM = {};

export function makePolicy(): Policy {
  const severity = (name: string, meaning: string, escalateTo: string | null) => ({
    name,
    meaning,
    response_time: 3_600_000,
    update_every: 1_800_000 as number | 'none',
    executive_brief: false,
    escalate_after: 7_200_000 as number | 'none' | 'next_business_day',
    escalate_to: escalateTo,
    repeat_every: 'none' as number | 'none',
    team: TEAM,
  });
  return {
    timezone: 'UTC',
    business_hours: { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
    review_interval: 90 * 86_400_000,
    alerts: DEFAULT_ALERT_POLICY,
    postmortem: { due_after: 48 * 3_600_000, remind_before: 4 * 3_600_000, remind_every: 86_400_000 },
    channels: { announce: '#incidents', status: '#status', executive: '#exec', escalation: '#escalations' },
    severities: {
      P0: severity('Critical', 'Service down, data loss or security breach', 'leadership'),
      P1: severity('High', 'Major feature broken, 50%+ errors or 10x latency', 'project_lead'),
      P2: severity('Medium', 'Minor feature broken, a workaround exists', 'team_lead'),
      P3: severity('Low', 'Cosmetic issue, no functional impact', null),
    },
    targets: {
      leadership: { label: 'Engineering leadership', users: [], groups: [] },
      project_lead: { label: 'Project lead', users: [], groups: [] },
      team_lead: { label: 'Team lead', users: [], groups: [] },
      legal: { label: 'Legal and privacy counsel', users: [], groups: [] },
      executives: { label: 'Executive team', users: [], groups: [] },
      finance: { label: 'Finance on-call', users: [], groups: [] },
    },
    conditions: {
      data_breach: {
        label: 'Data breach suspected',
        description: 'Someone without authorization may have read, copied or changed data we hold.',
        escalate_to: ['legal'],
      },
      user_data: {
        label: 'User data affected',
        description: 'Personal data of users was exposed, lost or corrupted.',
        escalate_to: ['legal', 'executives'],
      },
      revenue_impact: {
        label: 'Revenue impact above threshold',
        escalate_to: ['finance'],
      },
    },
    monitored_alerts: [],
  };
}

/** Asserts a message respects every Block Kit limit the fake Slack enforces. */
export function expectValidMessage(message: Message): void {
  expect(validateBlocks(message.blocks, 'message')).toEqual([]);
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(LIMITS.messageText);
}

export function expectValidModal(view: View): void {
  expect(validateView(view, 'modal')).toEqual([]);
}

/** Every string anywhere in a payload, to search for text that must not (or must) appear. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}
