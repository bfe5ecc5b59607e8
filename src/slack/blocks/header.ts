import type { Button, KnownBlock } from '@slack/types';
import { formatDuration } from '../../domain/duration.ts';
import type { Incident } from '../../domain/incident.ts';
import { ACTIONS } from '../ids.ts';
import {
  actions,
  button,
  context,
  inline,
  LIMIT,
  type Message,
  mrkdwn,
  plain,
  SEVERITY_EMOJI,
  STATUS_LABEL,
  section,
} from './kit.ts';
import { boldSafe, slackDate, truncate, user } from './mrkdwn.ts';

/** Something the paging tool reported: by whom, through which tool, when, and (reassigned) to whom. */
export interface PagingMark {
  by: string;
  via: string;
  at: string;
  to: string | null;
}

export interface HeaderContext {
  runbook: { id: string; title: string } | null;
  now: Date;
  /** Runbook steps done (or skipped) of all runbook steps. */
  progress: { done: number; total: number };
  /** The latest acknowledgement made in the paging tool (PagerDuty), if any. */
  acknowledged?: { by: string; via: string; at: string } | null;
  /** The latest resolve and reassignment reported by the paging tool. */
  paging?: { resolved: PagingMark | null; reassigned: PagingMark | null } | null;
  /** The severity's meeting bridge (policy.yml `bridge`), filled in for this incident. */
  bridge?: string | null;
}

const TITLE_MAX = 1000;

/** "🟠 P1 · title", with the drill and private markers a reader must not miss. */
export function incidentHeadline(incident: Incident): string {
  const markers = `${incident.drill ? '🧪 *DRILL* · ' : ''}${incident.private ? '🔒 ' : ''}`;
  return `${markers}${SEVERITY_EMOJI[incident.severity]} *${incident.severity}* · *${boldSafe(inline(incident.title, TITLE_MAX))}*`;
}

function isOver(incident: Incident): boolean {
  return incident.status === 'resolved' || incident.status === 'closed';
}

/**
 * The pinned header of an incident, updated in place on every change. A private incident's header
 * is the same: it is posted only in the private channel.
 */
export function incidentHeader(incident: Incident, ctx: HeaderContext): Message {
  const ack = ctx.acknowledged;
  const commander = incident.commanderId
    ? user(incident.commanderId)
    : ack
      ? `unassigned — acknowledged in ${inline(ack.via, 50)} by ${inline(ack.by, 200)}; claim it`
      : 'unassigned — claim it';
  const over = isOver(incident);
  const end = over && incident.resolvedAt ? Date.parse(incident.resolvedAt) : ctx.now.getTime();
  const sofar = formatDuration(end - Date.parse(incident.declaredAt));
  // A live incident's elapsed time is Slack's {ago} token, which every client keeps current; the
  // fallback is the time when the header was last rendered. A resolved incident's duration is fixed.
  const elapsed = over
    ? sofar
    : `<!date^${Math.floor(Date.parse(incident.declaredAt) / 1000)}^started {ago}|${sofar} so far>`;
  const runbook = ctx.runbook ? `${inline(ctx.runbook.id, 50)}: ${inline(ctx.runbook.title, 500)}` : 'none';
  const steps =
    // Says "runbook steps": the process checklist (RUN-000) keeps its own "of N" counter beside this one.
    ctx.progress.total > 0
      ? `${ctx.progress.done} of ${ctx.progress.total} runbook steps done`
      : 'no runbook steps';
  const blocks: KnownBlock[] = [
    section(incidentHeadline(incident)),
    {
      type: 'section',
      fields: [
        mrkdwn(`*Status*\n${STATUS_LABEL[incident.status]}`),
        mrkdwn(`*Commander*\n${commander}`),
        mrkdwn(`*Started*\n${slackDate(incident.declaredAt)}`),
        mrkdwn(`*${over ? 'Duration' : 'Elapsed'}*\n${elapsed}`),
        mrkdwn(`*Runbook*\n${runbook}`),
        mrkdwn(`*Steps*\n${steps}`),
      ],
    },
  ];
  if (ctx.bridge && !over) blocks.push(context(`📞 Bridge: <${ctx.bridge}|join the call>`));
  if (ack) {
    blocks.push(
      context(`✅ Acknowledged in ${inline(ack.via, 50)} by ${inline(ack.by, 200)} ${slackDate(ack.at)}`),
    );
  }
  blocks.push(...pagingLines(ctx.paging, over));
  if (incident.inFallback) {
    blocks.push(context('⚠️ Running in this channel: a dedicated incident channel could not be created.'));
  }
  const buttons = headerButtons(incident);
  if (buttons.length > 0) blocks.push(actions(buttons));
  const text = truncate(
    `${SEVERITY_EMOJI[incident.severity]} ${incident.severity} · ${inline(incident.title, LIMIT.notification)} · ${STATUS_LABEL[incident.status]} · commander ${commander}`,
    LIMIT.notification,
  );
  return { text, blocks };
}

/** What the paging tool says that Slack does not know yet: who it is assigned to, that it was resolved there. */
function pagingLines(paging: HeaderContext['paging'], over: boolean): KnownBlock[] {
  const lines: KnownBlock[] = [];
  const moved = paging?.reassigned;
  if (moved && !over)
    lines.push(
      context(
        `👤 Assigned in ${inline(moved.via, 50)} to ${inline(moved.to ?? 'nobody', 200)} (by ${inline(moved.by, 200)}) ${slackDate(moved.at)}`,
      ),
    );
  const resolved = paging?.resolved;
  if (resolved && !over)
    lines.push(
      context(
        `☑️ Resolved in ${inline(resolved.via, 50)} by ${inline(resolved.by, 200)} ${slackDate(resolved.at)}: resolve here too once the responders agree`,
      ),
    );
  return lines;
}

function headerButtons(incident: Incident): Button[] {
  const value = String(incident.id);
  if (incident.status === 'closed') return [];
  const changeStatus = button({ text: 'Change status', actionId: ACTIONS.changeStatus, value });
  const changeSeverity = button({ text: 'Change severity', actionId: ACTIONS.changeSeverity, value });
  const editTimes = button({ text: 'Edit times', actionId: ACTIONS.editTimes, value });
  // After resolution only a reclassification, a reopen (through the status modal) or a time corrected.
  if (isOver(incident)) return [changeStatus, changeSeverity, editTimes];
  const claim = button({
    text: 'Claim commander',
    actionId: ACTIONS.claimCommander,
    value,
    ...(incident.commanderId
      ? {
          confirm: {
            title: plain('Take over as commander?'),
            text: mrkdwn(
              `${user(incident.commanderId)} is the commander. Taking over hands the role to you and is recorded on the timeline.`,
            ),
            confirm: plain('Take over'),
            deny: plain('Cancel'),
          },
        }
      : {}),
  });
  return [
    claim,
    changeStatus,
    changeSeverity,
    button({ text: 'Escalate', actionId: ACTIONS.escalate, value, style: 'danger' }),
    // Changing course: the matched runbook was wrong, or the incident needs a step of its own.
    button({ text: 'Switch runbook', actionId: ACTIONS.switchRunbook, value }),
    button({ text: 'Add step', actionId: ACTIONS.addStep, value }),
    editTimes,
    button({
      text: 'Resolve',
      actionId: ACTIONS.resolve,
      value,
      style: 'primary',
      confirm: {
        title: plain('Resolve this incident?'),
        text: plain(
          'This marks it resolved and posts the resolution verification and post-incident checklists. Only the commander can resolve, or anyone while there is none.',
        ),
        confirm: plain('Resolve'),
        deny: plain('Not yet'),
      },
    }),
  ];
}
