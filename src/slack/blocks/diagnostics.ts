import type { KnownBlock } from '@slack/types';
import type { CheckResult, CheckStatus } from '../../diagnostics/types.ts';
import type { Evidence, RecommendationView } from '../../services/diagnosticsService.ts';
import type { RemediationResult } from '../../usecases/ports/chat.ts';
import { ACTIONS } from '../ids.ts';
import { actions, actor, button, context, inline, LIMIT, type Message, section } from './kit.ts';
import { codeBlock, escapeMrkdwn, truncate } from './mrkdwn.ts';

export const STATUS_EMOJI: Record<CheckStatus, string> = {
  healthy: '✅',
  warning: '⚠️',
  critical: '🔴',
  error: '❗',
};

const DETAIL_MAX = 600;

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** One check as one line of mrkdwn, for the evidence message and the linked step. */
export function checkLine(r: CheckResult): string {
  const threshold = r.threshold ? ` · ${inline(r.threshold, 200)}` : '';
  return `${STATUS_EMOJI[r.status]} *${inline(r.title, 200)}* — ${r.status} · ${inline(r.display, 200)}${threshold} · ${seconds(r.durationMs)}`;
}

function checkText(r: CheckResult): string {
  const detail = r.detail.trim() ? `\n${codeBlock(truncate(r.detail.trim(), DETAIL_MAX))}` : '';
  return truncate(`${checkLine(r)}${detail}`, 2900);
}

function remediationButton(incidentId: number, rec: RecommendationView) {
  const value = `${incidentId}:${rec.id}`;
  if (rec.kind === 'escalate') return button({ text: 'Escalate', actionId: ACTIONS.runRemediation, value });
  if (rec.kind === 'manual') return null;
  return button({
    text: rec.needsApproval ? 'Approve and run' : 'Run',
    actionId: ACTIONS.runRemediation,
    value,
    style: rec.needsApproval ? 'danger' : 'primary',
    confirm: {
      title: { type: 'plain_text', text: rec.needsApproval ? 'Approve remediation' : 'Run remediation' },
      text: {
        type: 'mrkdwn',
        text: truncate(`Run ${inline(rec.title, 200)}?\n${rec.command ? codeBlock(rec.command) : ''}`, 300),
      },
      confirm: { type: 'plain_text', text: rec.needsApproval ? 'Approve and run' : 'Run' },
      deny: { type: 'plain_text', text: 'Cancel' },
    },
  });
}

function recommendationBlock(incidentId: number, rec: RecommendationView): KnownBlock {
  const label =
    rec.kind === 'automated'
      ? rec.needsApproval
        ? 'automated, needs the commander'
        : 'automated'
      : rec.kind;
  const description = rec.description ? `\n${escapeMrkdwn(rec.description.trim())}` : '';
  const command = rec.command ? `\n${codeBlock(rec.command)}` : '';
  const because = `\n_because ${rec.because.map((b) => inline(b, 200)).join('; ')}_`;
  const text = truncate(`*${inline(rec.title, 200)}* (${label})${description}${command}${because}`, 2900);
  const accessory = remediationButton(incidentId, rec);
  return accessory ? { type: 'section', text: { type: 'mrkdwn', text }, accessory } : section(text);
}

/** The evidence message: status per check with value, threshold, duration and detail; then the advice. */
export function evidenceMessage(incidentId: number, evidence: Evidence, by: string): Message {
  const bad = evidence.results.filter((r) => r.status !== 'healthy');
  const headline = `Diagnostics (${evidence.runbookId}): ${bad.length} of ${evidence.results.length} checks not healthy`;
  const blocks: KnownBlock[] = [
    section(`*${inline(headline, 300)}*`),
    context(`Ran in ${seconds(evidence.durationMs)}, all checks in parallel · run by ${actor(by)}`),
  ];
  const tail: KnownBlock[] = [
    actions([
      button({ text: 'Re-run diagnostics', actionId: ACTIONS.rerunDiagnostics, value: String(incidentId) }),
    ]),
  ];
  const recs = evidence.recommendations.map((r) => recommendationBlock(incidentId, r));
  const recHead: KnownBlock[] = recs.length ? [section('*Recommended*')] : [];
  const room = LIMIT.messageBlocks - blocks.length - tail.length - recHead.length - recs.length;
  const checks = evidence.results.map(checkText);
  // Many checks: pack them; the full results stay on the timeline either way.
  const packed: string[] = [];
  const perBlock = Math.ceil(checks.length / Math.max(1, room));
  for (let i = 0; i < checks.length; i += perBlock)
    packed.push(truncate(checks.slice(i, i + perBlock).join('\n'), 2900));
  return {
    text: truncate(`${bad.length ? '🔴' : '✅'} ${escapeMrkdwn(headline)}`, LIMIT.notification),
    blocks: [...blocks, ...packed.map(section), ...recHead, ...recs, ...tail],
  };
}

export function diagnosticsRunningMessage(count: number, runbookId: string): Message {
  const text = `Running ${count} diagnostic check${count === 1 ? '' : 's'} from ${inline(runbookId, 50)}…`;
  return { text, blocks: [context(`⏳ ${text}`)] };
}

/** The outcome of a remediation, posted in the channel for everyone. */
export function remediationMessage(input: RemediationResult): Message {
  const head = `${input.ok ? '✅' : '❌'} *${inline(input.title, 200)}* ${input.ok ? 'succeeded' : 'failed'}: ${inline(input.summary, 300)}`;
  const who = input.approvedBy
    ? `approved and run by ${actor(input.approvedBy)}`
    : `run by ${actor(input.by)}`;
  const blocks: KnownBlock[] = [section(head), context(who)];
  if (input.output.trim()) blocks.push(section(truncate(codeBlock(input.output.trim()), 2900)));
  return {
    text: truncate(
      `${input.ok ? '✅' : '❌'} ${escapeMrkdwn(input.title)}: ${escapeMrkdwn(input.summary)}`,
      LIMIT.notification,
    ),
    blocks,
  };
}

/** The line a linked procedure step shows under its title. */
export function stepDiagnosticsText(results: readonly CheckResult[]): string {
  return truncate(`Automated: ${results.map(checkLine).join('  ')}`, 2900);
}
