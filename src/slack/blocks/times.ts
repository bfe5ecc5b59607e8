import type { InputBlock, ModalView } from '@slack/types';
import type { Incident } from '../../domain/incident.ts';
import { MILESTONE_LABEL, MILESTONES, type Milestone } from '../../domain/milestones.ts';
import type { TimeChange } from '../../services/milestoneService.ts';
import { VIEWS } from '../ids.ts';
import { incidentHeadline } from './header.ts';
import { type Message, plain, section } from './kit.ts';
import { modal } from './modals.ts';
import { slackDate, user } from './mrkdwn.ts';

/** Where each picker's answer is: `view.state.values[blockId][actionId].selected_date_time`. */
export const TIME_FIELDS: Record<Milestone, { blockId: string; actionId: string }> = Object.fromEntries(
  MILESTONES.map((m) => [m, { blockId: `time_${m}`, actionId: m }]),
) as Record<Milestone, { blockId: string; actionId: string }>;

const HINT: Record<Milestone, string> = {
  impactStartedAt: 'When users were first hurt (from graphs or reports), often before anyone noticed.',
  detectedAt: 'When someone or an alert first noticed. Empty: the declaration time counts.',
  acknowledgedAt: 'When a responder took it on.',
  mitigatedAt: 'When the impact stopped, even if the cause is not fixed yet.',
  resolvedAt: 'Set when the incident is resolved; correct it here if it was resolved late.',
};

function picker(incident: Incident, m: Milestone): InputBlock {
  const at = incident[m];
  return {
    type: 'input',
    block_id: TIME_FIELDS[m].blockId,
    optional: true,
    label: plain(MILESTONE_LABEL[m]),
    hint: plain(HINT[m]),
    element: {
      type: 'datetimepicker',
      action_id: TIME_FIELDS[m].actionId,
      ...(at ? { initial_date_time: Math.floor(Date.parse(at) / 1000) } : {}),
    },
  };
}

/** "Edit times" on the header: one picker per structured time, prefilled with what is recorded. */
export function timesModal(incident: Incident): ModalView {
  return modal({
    callbackId: VIEWS.editTimes,
    title: 'Incident times',
    submit: 'Save',
    privateMetadata: String(incident.id),
    blocks: [
      section(
        `${incidentHeadline(incident)}\nThese times give MTTD, MTTA, MTTM and MTTR. Every change is on the timeline.`,
      ),
      ...MILESTONES.map((m) => picker(incident, m)),
    ],
  });
}

export function timesChangedMessage(changes: readonly TimeChange[], by: string): Message {
  const lines = changes.map(
    (c) =>
      `• ${MILESTONE_LABEL[c.milestone]}: ${c.at ? slackDate(c.at) : 'cleared'}${c.was ? ` (was ${slackDate(c.was)})` : ''}`,
  );
  return {
    text: `Incident times changed by ${user(by)}`,
    blocks: [section(`🕒 ${user(by)} changed the incident's times:\n${lines.join('\n')}`)],
  };
}
