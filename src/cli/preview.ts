import type { KnownBlock } from '@slack/types';
import type { IncidentStep } from '../domain/steps.ts';
import { PROCESS_RUNBOOK_ID } from '../runbooks/catalog.ts';
import type { Runbook } from '../runbooks/model.ts';
import { checklistFor, resolutionChecklists } from '../services/checklists.ts';
import { checklistMessage, incidentHeader, type Message, stepMessage } from '../slack/blocks/index.ts';
import { createStore } from '../store/sql/index.ts';
import type { CliIO, ParsedCommand } from './args.ts';
import { defaultDir, findRunbook } from './targets.ts';
import { blocksToText } from './terminal.ts';

export interface PreviewMessage {
  /** Where and when responders see it: "Pinned header", "Step 2 of 5", ... */
  name: string;
  text: string;
  blocks: KnownBlock[];
  /** Opens the message in Slack's Block Kit Builder (needs a Slack login, no workspace install). */
  builderUrl: string;
}

export function blockKitBuilderUrl(blocks: readonly KnownBlock[]): string {
  return `https://app.slack.com/block-kit-builder/#${encodeURIComponent(JSON.stringify({ blocks }))}`;
}

function named(name: string, message: Message): PreviewMessage {
  return { name, text: message.text, blocks: message.blocks, builderUrl: blockKitBuilderUrl(message.blocks) };
}

/**
 * The messages an incident on this runbook posts, built the way the bot builds them: the incident and
 * its checklist go through the real store (in memory) and the real Block Kit builders, so the preview
 * shows whatever the bot shows. Every step is shown as it looks when it is the current one.
 */
export async function previewMessages(
  runbook: Runbook,
  process: Runbook | undefined,
  now: Date,
): Promise<PreviewMessage[]> {
  const store = await createStore({ databasePath: ':memory:', now: () => now });
  try {
    const incident = await store.incidents.create({
      title: runbook.title,
      severity: runbook.severity ?? 'P1',
      declaredBy: 'U0PREVIEW',
      source: 'slash',
      runbookId: runbook.id,
    });
    const steps = await store.checklist.insertSteps(checklistFor(incident.id, runbook, process));
    const atResolve = await store.checklist.insertSteps(
      resolutionChecklists(incident.id, steps.length + 1, runbook, process, steps, null),
    );
    const walk = steps.filter((s) => s.section === 'step');
    const label = { id: runbook.id, title: runbook.title };
    const header = incidentHeader(incident, {
      runbook: label,
      now,
      progress: { done: 0, total: walk.length },
    });
    const render = (step: IncidentStep): PreviewMessage => {
      if (step.section !== 'step') return named(checklistName(step), checklistMessage(step));
      const index = walk.indexOf(step) + 1;
      const message = stepMessage(
        { ...step, state: 'active' },
        { index, total: walk.length, runbook: label },
      );
      return named(`Step ${index} of ${walk.length}`, message);
    };
    return [named('Pinned header', header), ...steps.map(render), ...atResolve.map(render)];
  } finally {
    await store.close();
  }
}

function checklistName(step: IncidentStep): string {
  const names: Record<IncidentStep['section'], string> = {
    prerequisites: 'Prerequisites checklist',
    process: 'Incident process checklist',
    step: 'Step',
    resolution: 'Resolution verification (posted when the incident is resolved)',
    post_incident: 'Post-incident follow-up (posted when the incident is resolved)',
  };
  return names[step.section];
}

export async function preview({ target, flags }: ParsedCommand, io: CliIO): Promise<number> {
  const dir = typeof flags.dir === 'string' ? flags.dir : defaultDir();
  const { runbook, catalog } = findRunbook(target ?? '', dir, flags, 'preview');
  const messages = await previewMessages(runbook, catalog.byId(PROCESS_RUNBOOK_ID), new Date());
  if (flags.json) {
    io.out(`${JSON.stringify({ runbook: runbook.id, file: runbook.source.file, messages }, null, 2)}\n`);
    return 0;
  }
  const out = [
    `Preview of ${runbook.id}: ${runbook.title} (${runbook.source.file})`,
    `${messages.length} messages, as responders see them in the incident channel. Each is followed by its`,
    'Block Kit JSON and a Block Kit Builder link that draws it as Slack does.',
  ];
  messages.forEach((m, i) => {
    out.push('', `━━ ${i + 1}. ${m.name} ${'━'.repeat(Math.max(3, 60 - m.name.length))}`);
    out.push(blocksToText(m.blocks), '', `Block Kit Builder: ${m.builderUrl}`);
    out.push(JSON.stringify({ blocks: m.blocks }, null, 2));
  });
  io.out(`${out.join('\n')}\n`);
  return 0;
}
