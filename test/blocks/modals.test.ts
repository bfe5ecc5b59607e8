import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  DECLARE_FIELDS,
  declareModal,
  ESCALATE_FIELDS,
  escalateModal,
  SEVERITY_FIELDS,
  SKIP_FIELDS,
  STATUS_FIELDS,
  severityModal,
  skipStepModal,
  statusModal,
} from '../../src/slack/blocks/modals.ts';
import { VIEWS } from '../../src/slack/ids.ts';
import { allStrings, expectValidModal, makeIncident, makePolicy, makeStep } from './fixtures.ts';

function inputs(view: ModalView): InputBlock[] {
  return (view.blocks as KnownBlock[]).filter((b): b is InputBlock => b.type === 'input');
}

function field(view: ModalView, blockId: string): InputBlock {
  const block = inputs(view).find((b) => b.block_id === blockId);
  if (!block) throw new Error(`no input block ${blockId}`);
  return block;
}

const RUNBOOKS = [
  { id: 'RUN-000', title: 'Incident response process' },
  { id: 'RUN-001', title: 'Database Connection Pool Exhaustion' },
  { id: 'RUN-004', title: 'Payment provider errors' },
];

describe('declareModal', () => {
  it('asks for title, severity, runbook, description and visibility', () => {
    const view = declareModal({ runbooks: RUNBOOKS, channelId: 'C0GENERAL' });
    expect(view.callback_id).toBe(VIEWS.declare);
    expect(view.private_metadata).toBe('C0GENERAL');
    expect(inputs(view).map((b) => [b.block_id, b.element.action_id, b.optional ?? false])).toEqual([
      [DECLARE_FIELDS.title.blockId, DECLARE_FIELDS.title.actionId, false],
      [DECLARE_FIELDS.severity.blockId, DECLARE_FIELDS.severity.actionId, false],
      [DECLARE_FIELDS.runbook.blockId, DECLARE_FIELDS.runbook.actionId, true],
      [DECLARE_FIELDS.description.blockId, DECLARE_FIELDS.description.actionId, true],
      [DECLARE_FIELDS.visibility.blockId, DECLARE_FIELDS.visibility.actionId, false],
    ]);
    expect(field(view, DECLARE_FIELDS.severity.blockId).element).toEqual({
      type: 'static_select',
      action_id: 'severity',
      placeholder: { type: 'plain_text', text: 'Choose a severity' },
      options: [
        {
          text: { type: 'plain_text', text: '🔴 P0 · Critical' },
          value: 'P0',
          description: { type: 'plain_text', text: 'Service down, data loss or security breach' },
        },
        {
          text: { type: 'plain_text', text: '🟠 P1 · High' },
          value: 'P1',
          description: { type: 'plain_text', text: 'Major feature broken, 50%+ errors or 10x latency' },
        },
        {
          text: { type: 'plain_text', text: '🟡 P2 · Medium' },
          value: 'P2',
          description: { type: 'plain_text', text: 'Minor feature broken, a workaround exists' },
        },
        {
          text: { type: 'plain_text', text: '🔵 P3 · Low' },
          value: 'P3',
          description: { type: 'plain_text', text: 'Cosmetic issue, no functional impact' },
        },
      ],
    });
    const runbook = field(view, DECLARE_FIELDS.runbook.blockId).element;
    expect(runbook.type === 'static_select' && runbook.options?.map((o) => o.value)).toEqual([
      'RUN-001',
      'RUN-004',
    ]);
    const visibility = field(view, DECLARE_FIELDS.visibility.blockId).element;
    expect(visibility.type === 'radio_buttons' && visibility.options.map((o) => o.value)).toEqual([
      'public',
      'private',
    ]);
    expect(visibility.type === 'radio_buttons' && visibility.initial_option?.value).toBe('public');
    expectValidModal(view);
  });

  it('prefills title and severity, and keeps the raw title editable', () => {
    const view = declareModal({
      runbooks: RUNBOOKS,
      initial: { title: 'DB <down> & out', severity: 'P0' },
      channelId: 'C1',
    });
    const title = field(view, DECLARE_FIELDS.title.blockId).element;
    expect(title.type === 'plain_text_input' && title.initial_value).toBe('DB <down> & out');
    const severity = field(view, DECLARE_FIELDS.severity.blockId).element;
    expect(severity.type === 'static_select' && severity.initial_option?.value).toBe('P0');
    expectValidModal(view);
  });

  it('offers at most 100 runbooks, says how many more exist, and leaves the picker out when there are none', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ id: `RUN-${i + 1}`, title: 't'.repeat(200) }));
    const view = declareModal({ runbooks: many, channelId: 'C1' });
    expectValidModal(view);
    const picker = field(view, DECLARE_FIELDS.runbook.blockId);
    expect(picker.element.type === 'static_select' && picker.element.options).toHaveLength(100);
    expect(picker.hint?.text).toContain('50 more runbooks are not listed');
    const none = declareModal({ runbooks: [], channelId: 'C1' });
    expect(inputs(none).map((b) => b.block_id)).not.toContain(DECLARE_FIELDS.runbook.blockId);
    expectValidModal(none);
  });
});

describe('skipStepModal', () => {
  it('requires a reason and carries the step ID', () => {
    const view = skipStepModal(makeStep({ title: '<!channel> test' }));
    expect(view.callback_id).toBe(VIEWS.skipStep);
    expect(view.private_metadata).toBe('42');
    const reason = field(view, SKIP_FIELDS.reason.blockId);
    expect(reason.optional).toBeUndefined();
    expect(reason.element.action_id).toBe(SKIP_FIELDS.reason.actionId);
    expect(allStrings(view).join('\n')).not.toContain('<!channel>');
    expectValidModal(view);
    expectValidModal(skipStepModal(makeStep({ title: '&'.repeat(5000) })));
  });
});

describe('statusModal and severityModal', () => {
  it('offers the manual statuses with the current one selected', () => {
    const view = statusModal(makeIncident({ status: 'identified' }));
    expect(view.callback_id).toBe(VIEWS.status);
    expect(view.private_metadata).toBe('7');
    const status = field(view, STATUS_FIELDS.status.blockId).element;
    expect(status.action_id).toBe(STATUS_FIELDS.status.actionId);
    expect(status.type === 'radio_buttons' && status.options.map((o) => o.value)).toEqual([
      'investigating',
      'identified',
      'monitoring',
    ]);
    expect(status.type === 'radio_buttons' && status.initial_option?.value).toBe('identified');
    expect(field(view, STATUS_FIELDS.note.blockId).optional).toBe(true);
    expectValidModal(view);
    const declared = field(statusModal(makeIncident({ status: 'declared' })), STATUS_FIELDS.status.blockId);
    expect(declared.element).not.toHaveProperty('initial_option');
  });

  it('offers P0..P3 with the current severity selected and the policy’s words', () => {
    const policy = makePolicy();
    const view = severityModal(makeIncident({ severity: 'P2' }), {
      ...policy.severities,
      P0: { name: 'Sev zero', meaning: 'Everything is on fire' },
    });
    expect(view.callback_id).toBe(VIEWS.severity);
    expect(view.private_metadata).toBe('7');
    const severity = field(view, SEVERITY_FIELDS.severity.blockId).element;
    expect(severity.type === 'radio_buttons' && severity.options.map((o) => o.value)).toEqual([
      'P0',
      'P1',
      'P2',
      'P3',
    ]);
    expect(severity.type === 'radio_buttons' && severity.initial_option?.value).toBe('P2');
    expect(severity.type === 'radio_buttons' && severity.options[0]?.text.text).toBe('🔴 P0 · Sev zero');
    expect(field(view, SEVERITY_FIELDS.note.blockId).optional).toBe(true);
    expectValidModal(view);
  });

  it('escape a <!channel> title in their headline', () => {
    const incident = makeIncident({ title: '<!channel> test' });
    for (const view of [
      statusModal(incident),
      severityModal(incident),
      escalateModal(incident, makePolicy()),
    ]) {
      expect(allStrings(view).join('\n')).not.toContain('<!channel>');
      expect(JSON.stringify(view)).toContain('&lt;!channel&gt; test');
      expectValidModal(view);
    }
  });
});

describe('escalateModal', () => {
  it('names the target and offers the policy’s conditions as checkboxes', () => {
    const view = escalateModal(makeIncident(), makePolicy());
    expect(view.callback_id).toBe(VIEWS.escalate);
    expect(view.private_metadata).toBe('7');
    expect(JSON.stringify(view.blocks[0])).toContain('notifies *Project lead*');
    const conditions = field(view, ESCALATE_FIELDS.conditions.blockId);
    expect(conditions.optional).toBe(true);
    expect(conditions.element).toEqual({
      type: 'checkboxes',
      action_id: ESCALATE_FIELDS.conditions.actionId,
      options: [
        {
          text: { type: 'plain_text', text: 'Data breach suspected' },
          value: 'data_breach',
          description: { type: 'plain_text', text: 'Notifies Legal and privacy counsel' },
        },
        {
          text: { type: 'plain_text', text: 'User data affected' },
          value: 'user_data',
          description: { type: 'plain_text', text: 'Notifies Legal and privacy counsel, Executive team' },
        },
        {
          text: { type: 'plain_text', text: 'Revenue impact above threshold' },
          value: 'revenue_impact',
          description: { type: 'plain_text', text: 'Notifies Finance on-call' },
        },
      ],
    });
    expect(field(view, ESCALATE_FIELDS.note.blockId).optional).toBe(true);
    expectValidModal(view);
  });

  it('handles a severity without a target, no conditions, and more than 10 conditions', () => {
    const policy = makePolicy();
    const p3 = escalateModal(makeIncident({ severity: 'P3' }), { ...policy, conditions: {} });
    expect(JSON.stringify(p3.blocks[0])).toContain('has no escalation target in policy.yml');
    expect(inputs(p3).map((b) => b.block_id)).toEqual([ESCALATE_FIELDS.note.blockId]);
    expectValidModal(p3);
    const conditions = Object.fromEntries(
      Array.from({ length: 23 }, (_, i) => [
        `c${i}`,
        { label: `Condition ${i} ${'l'.repeat(100)}`, description: 'd'.repeat(3000), escalate_to: ['legal'] },
      ]),
    );
    const many = escalateModal(makeIncident(), { ...policy, conditions });
    expectValidModal(many);
    expect(inputs(many).map((b) => b.block_id)).toEqual([
      'escalate_conditions',
      'escalate_conditions:1',
      'escalate_conditions:2',
      ESCALATE_FIELDS.note.blockId,
    ]);
  });
});
