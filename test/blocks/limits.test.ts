import type { View } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.ts';
import type { IncidentStep } from '../../src/domain/steps.ts';
import { announcement, fallbackNotice } from '../../src/slack/blocks/announce.ts';
import { checklistMessage } from '../../src/slack/blocks/checklist.ts';
import { incidentHeader } from '../../src/slack/blocks/header.ts';
import type { Message } from '../../src/slack/blocks/kit.ts';
import {
  declareModal,
  escalateModal,
  severityModal,
  skipStepModal,
  statusModal,
} from '../../src/slack/blocks/modals.ts';
import {
  incidentList,
  pickIncident,
  refusal,
  resolvedMessage,
  runbookSearch,
  timelineMessage,
  usage,
} from '../../src/slack/blocks/replies.ts';
import { stepMessage } from '../../src/slack/blocks/step.ts';
import { VIEWS } from '../../src/slack/ids.ts';
import {
  allStrings,
  expectValidMessage,
  expectValidModal,
  makeCheck,
  makeChecks,
  makeEntry,
  makeIncident,
  makePolicy,
  makeRunbook,
  makeStep,
} from './fixtures.ts';

const NOW = new Date('2026-11-22T11:05:00.000Z');
const STATES = ['pending', 'active', 'done', 'skipped'] as const;
const SECTIONS = ['prerequisites', 'process', 'step', 'resolution', 'post_incident'] as const;

/** Every message builder, fed one incident and one step. */
function messages(incident: Incident, step: IncidentStep, size: number, text: string): Message[] {
  const runbook = { id: 'RUN-001', title: text };
  return [
    incidentHeader(incident, { runbook, now: NOW, progress: { done: size, total: size * 2 } }),
    ...STATES.map((state) => stepMessage({ ...step, state }, { index: 2, total: 5, runbook })),
    ...SECTIONS.map((section) => checklistMessage({ ...step, section })),
    announcement(incident, { channelId: 'C0INCIDENT', fallback: false }),
    announcement(incident, { channelId: 'C0ANNOUNCE', fallback: true }),
    fallbackNotice(text),
    usage(text),
    refusal('resolve', 'U0COMMAND'),
    incidentList(
      Array.from({ length: size }, () => incident),
      NOW,
    ),
    timelineMessage(
      incident,
      Array.from({ length: size }, (_, i) => makeEntry(i, { text })),
    ),
    runbookSearch(
      text,
      Array.from({ length: size }, () => ({
        runbook: makeRunbook({ title: text }),
        score: 1,
        matched: ['title'],
      })),
    ),
    runbookSearch(text, []),
    pickIncident(
      Array.from({ length: size }, () => incident),
      `resolve ${text}`,
    ),
    resolvedMessage({ ...incident, status: 'resolved', resolvedAt: NOW.toISOString() }, text),
  ];
}

function views(incident: Incident, step: IncidentStep, size: number, text: string): View[] {
  return [
    declareModal({
      runbooks: Array.from({ length: size }, (_, i) => ({ id: `RUN-${i}`, title: text })),
      initial: { title: text, severity: 'P0' },
      channelId: 'C0GENERAL',
    }),
    skipStepModal(step),
    statusModal(incident),
    severityModal(incident),
    escalateModal(incident, makePolicy()),
  ];
}

function scenario(size: number, text: string, title: string): { incident: Incident; step: IncidentStep } {
  const incident = makeIncident({ title, description: text });
  const step = makeStep({
    title,
    body: text,
    commands: Array.from({ length: Math.max(1, size / 10) }, () => ({ lang: 'bash', code: text })),
    checks: makeChecks(size).map((c, i) =>
      i % 2 ? { ...c, text, checked: true, checkedBy: 'U0ALICE', checkedAt: NOW.toISOString() } : c,
    ),
    completedBy: 'U0ALICE',
    completedAt: NOW.toISOString(),
    skippedBy: 'U0BOB',
    skipReason: text,
  });
  return { incident, step };
}

describe('every builder respects Slack’s limits', () => {
  it('for small inputs', () => {
    const { incident, step } = scenario(2, 'Pool below 90%', 'Payment latency high');
    for (const message of messages(incident, step, 2, 'Pool below 90%')) expectValidMessage(message);
    for (const view of views(incident, step, 2, 'Pool below 90%')) expectValidModal(view);
  });

  it('for huge inputs: a 500-character title, 9000-character texts, 23 checks, 400 of everything', () => {
    const text = `${'<&> '.repeat(2250)}`; // 9000 characters, 18 000 once escaped
    const title = 'T&'.repeat(250);
    const { incident, step } = scenario(23, text, title);
    for (const message of messages(incident, step, 400, text)) expectValidMessage(message);
    for (const view of views(incident, step, 400, text)) expectValidModal(view);
    const many = scenario(400, text, title);
    for (const message of messages(many.incident, many.step, 400, text)) expectValidMessage(message);
  });

  it('for a private incident too', () => {
    const { incident, step } = scenario(23, 'x'.repeat(9000), 'T'.repeat(500));
    for (const message of messages({ ...incident, private: true, drill: true }, step, 30, 'x'.repeat(9000))) {
      expectValidMessage(message);
    }
  });
});

describe('a title of <!channel> test pings nobody', () => {
  it('comes out as &lt;!channel&gt; test in every message and modal that shows it', () => {
    const title = '<!channel> test';
    const { incident, step } = scenario(3, title, title);
    const ticked = [
      makeCheck(0, { text: title, checked: true, checkedBy: 'U0A', checkedAt: NOW.toISOString() }),
    ];
    const outputs = [
      ...messages(incident, { ...step, checks: ticked }, 3, title),
      ...views(incident, { ...step, checks: ticked }, 3, title),
    ];
    for (const output of outputs) {
      // A prefilled input is what the user edits, a block_id is never shown, and plain_text is never
      // parsed for mentions: all three stay as typed.
      const rendered = allStrings({ ...output, blocks: stripUnrendered(output.blocks) });
      for (const s of rendered) expect(s).not.toContain('<!channel>');
      // The refusal names no title, and the declare modal shows it only as plain_text and input.
      const showsTitle =
        output !==
          outputs.find((o) => allStrings(o).some((t) => t.startsWith('Only the incident commander'))) &&
        (output as { callback_id?: string }).callback_id !== VIEWS.declare;
      if (showsTitle) expect(JSON.stringify(output)).toContain('&lt;!channel&gt; test');
    }
  });
});

function stripUnrendered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripUnrendered);
  if (value && typeof value === 'object') {
    if ((value as { type?: unknown }).type === 'plain_text') return null;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'initial_value' && key !== 'block_id')
        .map(([key, v]) => [key, stripUnrendered(v)]),
    );
  }
  return value;
}
