import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { Incident } from '../../domain/incident.ts';
import type { IncidentStatus } from '../../domain/incidentState.ts';
import {
  type ExecBriefFields,
  renderTemplate,
  type StatusUpdateFields,
  type Templates,
} from '../../domain/templates.ts';
import type { BriefPrefill, StatuspagePreview, UpdatePrefill } from '../../domain/updates.ts';
import { VIEWS } from '../ids.ts';

export type { BriefPrefill, StatuspagePreview, UpdatePrefill };

import { incidentHeadline } from './header.ts';
import { context, inline, type Message, plain, STATUS_LABEL, section } from './kit.ts';
import { escapeMrkdwn, slackDate, splitText, truncate } from './mrkdwn.ts';

/** Where a submitted update or brief modal's answers are: `view.state.values[blockId][actionId]`. */
export const UPDATE_FIELDS = {
  /** static_select: `.selected_option.value` is an incident status */
  status: { blockId: 'update_status', actionId: 'status' },
  /** plain_text_input: `.value` */
  impact: { blockId: 'update_impact', actionId: 'impact' },
  /** plain_text_input: `.value` */
  action: { blockId: 'update_action', actionId: 'action' },
  /** datetimepicker: `.selected_date_time` (unix seconds) */
  next: { blockId: 'update_next', actionId: 'next' },
} as const;

export const BRIEF_FIELDS = {
  /** plain_text_input: `.value` */
  situation: { blockId: 'brief_situation', actionId: 'situation' },
  /** plain_text_input, optional */
  cause: { blockId: 'brief_cause', actionId: 'cause' },
  /** plain_text_input: `.value` */
  action: { blockId: 'brief_action', actionId: 'action' },
  /** plain_text_input, optional: free text such as "30 min" or "14:00 UTC" */
  eta: { blockId: 'brief_eta', actionId: 'eta' },
  /** plain_text_input: `.value` */
  impact: { blockId: 'brief_impact', actionId: 'impact' },
  /** datetimepicker: `.selected_date_time` (unix seconds) */
  next: { blockId: 'brief_next', actionId: 'next' },
} as const;

/** The statuses a status-page update may announce: the working ones, and resolved for the last update. */
export const UPDATE_STATUSES = [
  'investigating',
  'identified',
  'monitoring',
  'resolved',
] as const satisfies readonly IncidentStatus[];

const TEXT_MAX = 1000;

function textInput(
  field: { blockId: string; actionId: string },
  label: string,
  initial: string,
  options: { optional?: boolean; multiline?: boolean; placeholder?: string } = {},
): InputBlock {
  const value = truncate(initial.trim(), TEXT_MAX);
  return {
    type: 'input',
    block_id: field.blockId,
    optional: options.optional ?? false,
    label: plain(label),
    element: {
      type: 'plain_text_input',
      action_id: field.actionId,
      multiline: options.multiline ?? true,
      max_length: TEXT_MAX,
      ...(value ? { initial_value: value } : {}),
      ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}),
    },
  };
}

function nextInput(field: { blockId: string; actionId: string }, initial: Date): InputBlock {
  return {
    type: 'input',
    block_id: field.blockId,
    label: plain('Next update'),
    hint: plain('Prefilled from the severity’s update cadence; the reminder comes at this time.'),
    element: {
      type: 'datetimepicker',
      action_id: field.actionId,
      initial_date_time: Math.floor(initial.getTime() / 1000),
    },
  };
}

/** The text the status page will get, quoted as it will read, so nobody publishes a surprise. */
function previewBlocks(preview: StatuspagePreview): KnownBlock[] {
  const quoted = preview.body
    .split('\n')
    .map((line) => `>${escapeMrkdwn(line)}`)
    .join('\n');
  const affected = preview.components.length
    ? ` · affected: ${preview.components.map((c) => escapeMrkdwn(c)).join(', ')}`
    : '';
  return [
    context(
      `🌐 On Post update, the public status page gets (from the fields as they are when this form opened): *${inline(preview.name, 200)}* · ${STATUS_LABEL[preview.status]}${affected}`,
    ),
    section(quoted.slice(0, 2900)),
  ];
}

/** `/incident update`: the status-page update, prefilled; `private_metadata` is the incident ID. */
export function statusUpdateModal(
  incident: Incident,
  prefill: UpdatePrefill,
  preview: StatuspagePreview | null = null,
): ModalView {
  const options: PlainTextOption[] = UPDATE_STATUSES.map((s) => ({ text: plain(STATUS_LABEL[s]), value: s }));
  const initial = options.find((o) => o.value === prefill.status);
  const blocks: KnownBlock[] = [
    section(`${incidentHeadline(incident)}\nPosted to the incident channel and the status channel.`),
    {
      type: 'input',
      block_id: UPDATE_FIELDS.status.blockId,
      label: plain('Status'),
      element: {
        type: 'static_select',
        action_id: UPDATE_FIELDS.status.actionId,
        options,
        ...(initial ? { initial_option: initial } : {}),
      },
    },
    textInput(UPDATE_FIELDS.impact, 'Impact', prefill.impact, { placeholder: 'Who is affected, and how' }),
    textInput(UPDATE_FIELDS.action, 'Current action', prefill.action, {
      placeholder: 'What the team is doing now',
    }),
    nextInput(UPDATE_FIELDS.next, prefill.nextUpdateAt),
    ...(preview ? previewBlocks(preview) : []),
  ];
  return {
    type: 'modal',
    callback_id: VIEWS.statusUpdate,
    title: plain('Status update'),
    submit: plain('Post update'),
    close: plain('Cancel'),
    private_metadata: String(incident.id),
    blocks,
  };
}

/** `/incident exec`: the executive brief, prefilled; `private_metadata` is the incident ID. */
export function execBriefModal(
  incident: Incident,
  prefill: BriefPrefill,
  executiveChannel: string,
): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.execBrief,
    title: plain('Executive brief'),
    submit: plain('Post brief'),
    close: plain('Cancel'),
    private_metadata: String(incident.id),
    blocks: [
      section(
        `${incidentHeadline(incident)}\nPosted to ${escapeMrkdwn(executiveChannel)}. Plain words: no jargon, numbers where you have them.`,
      ),
      textInput(BRIEF_FIELDS.situation, 'Situation', prefill.situation),
      textInput(BRIEF_FIELDS.cause, 'Cause', prefill.cause, {
        optional: true,
        placeholder: 'Empty: "Under investigation"',
      }),
      textInput(BRIEF_FIELDS.action, 'Action', prefill.action),
      textInput(BRIEF_FIELDS.eta, 'ETA', prefill.eta, {
        optional: true,
        multiline: false,
        placeholder: 'e.g. 30 min, 14:00 UTC. Empty: "unknown"',
      }),
      textInput(BRIEF_FIELDS.impact, 'Impact', prefill.impact),
      nextInput(BRIEF_FIELDS.next, prefill.nextUpdateAt),
    ],
  };
}

/** User text on one line of a template: whitespace collapsed (the layout is line-based), then escaped. */
export function oneLine(text: string, empty: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return escapeMrkdwn(flat || empty);
}

function rendered(text: string): Message {
  const blocks = splitText(text).map(section);
  return { text: truncate(text, 3000), blocks };
}

/**
 * The status-page update in the team's template (default: `[TIMESTAMP] — [SERVICE NAME] Incident` /
 * `Status:` / `Impact:` / `Current action:` / `Next update:`). Times become Slack date tokens with a UTC fallback.
 */
export function statusUpdateText(
  templates: Templates,
  input: {
    at: Date;
    service: string;
    status: IncidentStatus;
    impact: string;
    action: string;
    nextUpdateAt: Date;
  },
): string {
  const fields: StatusUpdateFields = {
    timestamp: slackDate(input.at.toISOString()),
    service: oneLine(input.service, 'Service'),
    status: STATUS_LABEL[input.status],
    impact: oneLine(input.impact, 'Being assessed'),
    action: oneLine(input.action, 'Investigating'),
    next_update: slackDate(input.nextUpdateAt.toISOString()),
  };
  return renderTemplate(templates.status_update, fields);
}

export function statusUpdateMessage(...args: Parameters<typeof statusUpdateText>): Message {
  return rendered(statusUpdateText(...args));
}

/** The executive brief in the team's template (default: `INCIDENT BRIEF — [TIMESTAMP]` / `SITUATION:` / ...). */
export function execBriefText(templates: Templates, input: BriefPrefill & { at: Date }): string {
  const fields: ExecBriefFields = {
    timestamp: slackDate(input.at.toISOString()),
    situation: oneLine(input.situation, 'Being assessed'),
    cause: oneLine(input.cause, 'Under investigation'),
    action: oneLine(input.action, 'Investigating'),
    eta: oneLine(input.eta, 'unknown'),
    impact: oneLine(input.impact, 'Being assessed'),
    next_update: slackDate(input.nextUpdateAt.toISOString()),
  };
  return renderTemplate(templates.executive_brief, fields);
}

export function execBriefMessage(...args: Parameters<typeof execBriefText>): Message {
  return rendered(execBriefText(...args));
}
