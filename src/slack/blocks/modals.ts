import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { Incident } from '../../domain/incident.ts';
import type { IncidentStatus } from '../../domain/incidentState.ts';
import type { Policy } from '../../domain/policy.ts';
import type { IncidentStep } from '../../domain/steps.ts';
import { PROCESS_RUNBOOK_ID } from '../../runbooks/catalog.ts';
import type { Severity } from '../../runbooks/model.ts';
import { VIEWS } from '../ids.ts';
import { incidentHeadline } from './header.ts';
import { inline, LIMIT, plain, SEVERITY_EMOJI, section } from './kit.ts';
import { escapeMrkdwn, splitText, truncate } from './mrkdwn.ts';

/**
 * Where a submitted modal's answers are: `view.state.values[blockId][actionId]`. Builders and
 * view listeners both use these, so the two cannot drift.
 */
export const DECLARE_FIELDS = {
  /** plain_text_input: `.value` */
  title: { blockId: 'declare_title', actionId: 'title' },
  /** static_select: `.selected_option.value` is `P0`..`P3` */
  severity: { blockId: 'declare_severity', actionId: 'severity' },
  /** static_select, optional: `.selected_option?.value` is a runbook ID; none means match from the title */
  runbook: { blockId: 'declare_runbook', actionId: 'runbook' },
  /** plain_text_input, optional: `.value` may be null */
  description: { blockId: 'declare_description', actionId: 'description' },
  /** radio_buttons: `.selected_option.value` is `public` or `private` */
  visibility: { blockId: 'declare_visibility', actionId: 'visibility' },
} as const;

export const SKIP_FIELDS = {
  /** plain_text_input, required: `.value` */
  reason: { blockId: 'skip_reason', actionId: 'reason' },
} as const;

export const STATUS_FIELDS = {
  /** radio_buttons: `.selected_option.value` is `investigating`, `identified` or `monitoring` */
  status: { blockId: 'status_status', actionId: 'status' },
  /** plain_text_input, optional: `.value` may be null */
  note: { blockId: 'status_note', actionId: 'note' },
} as const;

export const SEVERITY_FIELDS = {
  /** radio_buttons: `.selected_option.value` is `P0`..`P3` */
  severity: { blockId: 'severity_severity', actionId: 'severity' },
  /** plain_text_input, optional: `.value` may be null */
  note: { blockId: 'severity_note', actionId: 'note' },
} as const;

export const ESCALATE_FIELDS = {
  /**
   * checkboxes, optional: `.selected_options[].value` are keys of policy.yml `conditions`. Beyond 10
   * conditions the boxes continue in blocks `escalate_conditions:1`, `:2`, ...: read every block
   * whose ID is `blockId` or starts with `${blockId}:`.
   */
  conditions: { blockId: 'escalate_conditions', actionId: 'conditions' },
  /** plain_text_input, optional: `.value` may be null */
  note: { blockId: 'escalate_note', actionId: 'note' },
} as const;

export const VISIBILITY = { public: 'public', private: 'private' } as const;

/** The statuses a responder sets by hand; resolving has its own button and checklist. */
export const MANUAL_STATUSES = [
  'investigating',
  'identified',
  'monitoring',
] as const satisfies readonly IncidentStatus[];

const STATUS_HELP: Record<(typeof MANUAL_STATUSES)[number], { label: string; help: string }> = {
  investigating: { label: 'Investigating', help: 'Looking for the cause' },
  identified: { label: 'Identified', help: 'Cause known, a fix is under way' },
  monitoring: { label: 'Monitoring', help: 'Fix deployed, watching that it holds' },
};

const SEVERITIES: readonly Severity[] = ['P0', 'P1', 'P2', 'P3'];

export interface SeverityInfo {
  name: string;
  meaning: string;
}

/** The defaults of DESIGN.md's severity table; pass `policy.severities` to show the team's own words. */
export const SEVERITY_INFO: Record<Severity, SeverityInfo> = {
  P0: { name: 'Critical', meaning: 'Service down, data loss or security breach' },
  P1: { name: 'High', meaning: 'Major feature broken, 50%+ errors or 10x latency' },
  P2: { name: 'Medium', meaning: 'Minor feature broken, a workaround exists' },
  P3: { name: 'Low', meaning: 'Cosmetic issue, no functional impact' },
};

type SeverityTable = Partial<Record<Severity, SeverityInfo>>;

/** Option text is plain_text: shown literally, never a mention, so it is trimmed and cut but not escaped. */
function optionText(text: string): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), LIMIT.optionText);
}

function severityOption(level: Severity, table: SeverityTable | undefined): PlainTextOption {
  const info = table?.[level] ?? SEVERITY_INFO[level];
  return {
    text: plain(optionText(`${SEVERITY_EMOJI[level]} ${level} · ${info.name}`)),
    value: level,
    description: plain(optionText(info.meaning)),
  };
}

export function modal(options: {
  callbackId: string;
  title: string;
  submit: string;
  privateMetadata: string;
  blocks: KnownBlock[];
}): ModalView {
  return {
    type: 'modal',
    callback_id: options.callbackId,
    title: plain(options.title),
    submit: plain(options.submit),
    close: plain('Cancel'),
    private_metadata: options.privateMetadata,
    blocks: options.blocks.slice(0, LIMIT.modalBlocks),
  };
}

function noteInput(
  field: { blockId: string; actionId: string },
  label: string,
  placeholder: string,
): InputBlock {
  return {
    type: 'input',
    block_id: field.blockId,
    optional: true,
    label: plain(label),
    element: {
      type: 'plain_text_input',
      action_id: field.actionId,
      multiline: true,
      max_length: 2000,
      placeholder: plain(placeholder),
    },
  };
}

export interface DeclareModalInput {
  runbooks: readonly { id: string; title: string }[];
  initial?: { title?: string; severity?: Severity; runbookId?: string };
  /** Where `/incident` was typed: errors after submission are reported there. */
  channelId: string;
  /** `policy.severities`, to show the team's names and meanings instead of the defaults. */
  severities?: SeverityTable;
}

/**
 * The declare form. `private_metadata` is the channel ID the command came from. RUN-000 is not
 * offered: it applies to every incident anyway.
 */
export function declareModal(input: DeclareModalInput): ModalView {
  const scenario = input.runbooks.filter(
    (rb) => rb.id !== PROCESS_RUNBOOK_ID && rb.id.length > 0 && rb.id.length <= LIMIT.optionValue,
  );
  const offered = scenario.slice(0, LIMIT.selectOptions);
  const runbookOptions: PlainTextOption[] = offered.map((rb) => ({
    text: plain(optionText(`${rb.id} · ${rb.title}`)),
    value: rb.id,
  }));
  const severityOptions = SEVERITIES.map((level) => severityOption(level, input.severities));
  const initialSeverity = severityOptions.find((o) => o.value === input.initial?.severity);
  const initialRunbook = runbookOptions.find((o) => o.value === input.initial?.runbookId);
  const initialTitle = input.initial?.title?.trim();
  const visibility: PlainTextOption[] = [
    {
      text: plain('Public'),
      value: VISIBILITY.public,
      description: plain('Announced with a link to the incident channel'),
    },
    {
      text: plain('Private'),
      value: VISIBILITY.private,
      description: plain('Only invited responders see it; the announcement names no details'),
    },
  ];
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: DECLARE_FIELDS.title.blockId,
      label: plain('What is happening?'),
      element: {
        type: 'plain_text_input',
        action_id: DECLARE_FIELDS.title.actionId,
        max_length: 150,
        placeholder: plain('e.g. Payment latency high'),
        ...(initialTitle ? { initial_value: initialTitle.slice(0, 150) } : {}),
      },
    },
    {
      type: 'input',
      block_id: DECLARE_FIELDS.severity.blockId,
      label: plain('Severity'),
      element: {
        type: 'static_select',
        action_id: DECLARE_FIELDS.severity.actionId,
        placeholder: plain('Choose a severity'),
        options: severityOptions,
        ...(initialSeverity ? { initial_option: initialSeverity } : {}),
      },
    },
  ];
  if (runbookOptions.length > 0) {
    const more = scenario.length - offered.length;
    blocks.push({
      type: 'input',
      block_id: DECLARE_FIELDS.runbook.blockId,
      optional: true,
      label: plain('Runbook'),
      hint: plain(
        `Leave empty to match one from the title. ${PROCESS_RUNBOOK_ID}, the incident process, always applies.${
          more > 0
            ? ` ${more} more runbooks are not listed: name one with /incident declare P1 <title> --runbook RUN-…`
            : ''
        }`,
      ),
      element: {
        type: 'static_select',
        action_id: DECLARE_FIELDS.runbook.actionId,
        placeholder: plain('Match from the title'),
        options: runbookOptions,
        ...(initialRunbook ? { initial_option: initialRunbook } : {}),
      },
    });
  }
  blocks.push(
    noteInput(DECLARE_FIELDS.description, 'Description', 'What do you see, since when, who is affected?'),
    {
      type: 'input',
      block_id: DECLARE_FIELDS.visibility.blockId,
      label: plain('Visibility'),
      element: {
        type: 'radio_buttons',
        action_id: DECLARE_FIELDS.visibility.actionId,
        options: visibility,
        initial_option: visibility[0],
      },
    },
  );
  return modal({
    callbackId: VIEWS.declare,
    title: 'Declare an incident',
    submit: 'Declare',
    privateMetadata: input.channelId,
    blocks,
  });
}

/** Asks why a step is skipped; `private_metadata` is the step ID. */
export function skipStepModal(step: IncidentStep): ModalView {
  return modal({
    callbackId: VIEWS.skipStep,
    title: 'Skip step',
    submit: 'Skip step',
    privateMetadata: String(step.id),
    blocks: [
      section(
        `Skipping *${inline(step.title, 1000)}*. The reason goes on the timeline and into the post-mortem.`,
      ),
      {
        type: 'input',
        block_id: SKIP_FIELDS.reason.blockId,
        label: plain('Why skip it?'),
        element: {
          type: 'plain_text_input',
          action_id: SKIP_FIELDS.reason.actionId,
          multiline: true,
          max_length: 1000,
          placeholder: plain('e.g. Not applicable: the pool is already below 50%'),
        },
      },
    ],
  });
}

/** Sets investigating / identified / monitoring with a note; `private_metadata` is the incident ID. */
export function statusModal(incident: Incident): ModalView {
  const options: PlainTextOption[] = MANUAL_STATUSES.map((status) => ({
    text: plain(STATUS_HELP[status].label),
    value: status,
    description: plain(STATUS_HELP[status].help),
  }));
  const initial = options.find((o) => o.value === incident.status);
  return modal({
    callbackId: VIEWS.status,
    title: 'Change status',
    submit: 'Update',
    privateMetadata: String(incident.id),
    blocks: [
      section(incidentHeadline(incident)),
      {
        type: 'input',
        block_id: STATUS_FIELDS.status.blockId,
        label: plain('Status'),
        element: {
          type: 'radio_buttons',
          action_id: STATUS_FIELDS.status.actionId,
          options,
          ...(initial ? { initial_option: initial } : {}),
        },
      },
      noteInput(STATUS_FIELDS.note, 'Note for the timeline', 'What changed?'),
    ],
  });
}

/** Re-grades the incident; `private_metadata` is the incident ID. */
export function severityModal(incident: Incident, severities?: SeverityTable): ModalView {
  const options = SEVERITIES.map((level) => severityOption(level, severities));
  const initial = options.find((o) => o.value === incident.severity);
  return modal({
    callbackId: VIEWS.severity,
    title: 'Change severity',
    submit: 'Change',
    privateMetadata: String(incident.id),
    blocks: [
      section(incidentHeadline(incident)),
      {
        type: 'input',
        block_id: SEVERITY_FIELDS.severity.blockId,
        label: plain('Severity'),
        hint: plain('A higher severity invites its larger response team and tightens the escalation timer.'),
        element: {
          type: 'radio_buttons',
          action_id: SEVERITY_FIELDS.severity.actionId,
          options,
          ...(initial ? { initial_option: initial } : {}),
        },
      },
      noteInput(SEVERITY_FIELDS.note, 'Why?', 'e.g. Errors now above 50%'),
    ],
  });
}

function targetLabels(policy: Policy, names: readonly string[]): string {
  return names.map((name) => policy.targets[name]?.label ?? name).join(', ');
}

/**
 * Escalates now, optionally flagging the policy's conditions (data breach, user data, revenue
 * impact, ...), each of which goes to its own targets. `private_metadata` is the incident ID.
 */
export function escalateModal(incident: Incident, policy: Policy): ModalView {
  const escalateTo = policy.severities[incident.severity]?.escalate_to ?? null;
  const intro = escalateTo
    ? `Escalating ${incidentHeadline(incident)} notifies *${escapeMrkdwn(targetLabels(policy, [escalateTo]))}*.`
    : `${incidentHeadline(incident)} has no escalation target in policy.yml; flagged conditions still reach theirs.`;
  const conditions = Object.entries(policy.conditions).filter(([key]) => key.length <= LIMIT.optionValue);
  const blocks: KnownBlock[] = [section(truncate(intro, 3000))];
  if (conditions.length > 0) {
    const options: PlainTextOption[] = conditions.map(([key, condition]) => ({
      text: plain(optionText(condition.label)),
      value: key,
      description: plain(optionText(`Notifies ${targetLabels(policy, condition.escalate_to)}`)),
    }));
    for (let start = 0, chunk = 0; start < options.length; start += LIMIT.checkboxOptions, chunk += 1) {
      blocks.push({
        type: 'input',
        block_id:
          chunk === 0 ? ESCALATE_FIELDS.conditions.blockId : `${ESCALATE_FIELDS.conditions.blockId}:${chunk}`,
        optional: true,
        label: plain(chunk === 0 ? 'Flag what applies' : 'More conditions'),
        element: {
          type: 'checkboxes',
          action_id: ESCALATE_FIELDS.conditions.actionId,
          options: options.slice(start, start + LIMIT.checkboxOptions),
        },
      });
    }
    const explained = conditions
      .filter(([, condition]) => condition.description)
      .map(
        ([, condition]) => `*${escapeMrkdwn(condition.label)}*: ${escapeMrkdwn(condition.description ?? '')}`,
      )
      .join('\n');
    // The option descriptions only have room for the targets; the full explanations help decide.
    for (const text of splitText(explained).slice(0, 10)) blocks.push(section(text));
  }
  blocks.push(
    noteInput(ESCALATE_FIELDS.note, 'What should they know?', 'Impact so far, what you need from them'),
  );
  return modal({
    callbackId: VIEWS.escalate,
    title: 'Escalate incident',
    submit: 'Escalate',
    privateMetadata: String(incident.id),
    blocks,
  });
}
