import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Runbook, Step } from '../../src/runbooks/model.ts';
import { ACTIONS } from '../../src/slack/ids.ts';
import type { StoredMessage } from '../support/fakeSlack.ts';
import { buttonClick, checkboxChange } from '../support/slackRequests.ts';
import { alertmanagerGroup, postWebhook, WEBHOOK_TOKEN } from '../support/webhooks.ts';
import { DECLARER, GENERAL, OTHER, startTestBot, type TestBot } from './testBot.ts';

const FIXTURES = 'test/fixtures/runbooks/choices';
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const RUNBOOKS = {
  'RUN-950-pubsub-backlog.md': fixture('RUN-950-pubsub-backlog.md'),
  'kubernetes-alerts.md': fixture('kubernetes-alerts.md'),
  'ceph-disaster-recovery.md': fixture('ceph-disaster-recovery.md'),
};

let t: TestBot | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function start(): Promise<TestBot> {
  t = await startTestBot({ runbooks: RUNBOOKS, env: { WEBHOOK_TOKEN } });
  return t;
}

/** Each block as the text a responder reads (sections and context), or `[type]` for the rest. */
function blockTexts(message: { blocks: readonly unknown[] }): string[] {
  return message.blocks.map((b) => {
    const block = b as { type: string; text?: { text: string }; elements?: { text?: string }[] };
    if (block.type === 'section') return block.text?.text ?? '';
    if (block.type === 'context') return (block.elements ?? []).map((e) => e.text ?? '').join(' ');
    return `[${block.type}]`;
  });
}

/** The latest version of the bot's message whose blocks contain `needle`. */
function messageWith(bot: TestBot, channel: string, needle: string): StoredMessage {
  const found = bot.slack.messages(channel).findLast((m) => JSON.stringify(m.blocks).includes(needle));
  if (!found) throw new Error(`no message in ${channel} contains ${needle}`);
  return found;
}

function stepWith(runbook: Runbook | undefined, test: (step: Step) => boolean, what: string): Step {
  const step = runbook?.steps.find(test);
  if (!step) throw new Error(`${runbook?.id ?? 'the runbook'} has no step with ${what}: check the importer`);
  return step;
}

function firstCommandLine(step: Step | { commands: Step['commands'] }): string {
  const command = step.commands[0];
  return (command?.run ?? command?.code ?? '').split('\n')[0] ?? '';
}

describe('a step with a warning', () => {
  it('shows the warning above its commands, and the timeline records it was shown when the step is ticked', async () => {
    const bot = await start();
    const runbook = bot.bot.runbooks().catalog.byId('RUN-950');
    const risky = stepWith(runbook, (s) => s.warnings.length > 0 && s.commands.length > 0, 'a warning');
    expect(risky.warnings[0]?.text).toContain('This will induce data loss');
    const { incident, channel } = await bot.declare('declare P2 Orders backlog --runbook RUN-950');
    // Walk to the risky step: pick the first alternative where there is one, tick every check.
    for (const step of runbook?.steps ?? []) {
      if (step.number === risky.number) break;
      const message = messageWith(bot, channel, step.title);
      if (step.options.length)
        await bot.act(DECLARER, message, buttonClick(message, `${ACTIONS.chooseOption}:0`));
      const current = messageWith(bot, channel, step.title);
      const checks = step.verifications.map((_, i) => String(i));
      await bot.act(
        DECLARER,
        current,
        checks.length
          ? checkboxChange(current, ACTIONS.toggleChecks, { check: checks })
          : buttonClick(current, ACTIONS.completeStep),
      );
    }
    const posted = bot.slack
      .callsTo('chat.postMessage')
      .findLast((c) => JSON.stringify(c.args).includes(risky.title));
    const texts = blockTexts(posted?.args as { blocks: unknown[] });
    const warningAt = texts.findIndex((x) => x.startsWith(':warning: *Warning:* This will induce data loss'));
    const commandAt = texts.findIndex((x) => x.includes(firstCommandLine(risky)));
    expect(warningAt).toBeGreaterThan(1);
    expect(commandAt).toBeGreaterThan(warningAt);
    expect(texts[warningAt]).toContain('Use it only as a final resort.');
    // Said once, marked: the admonition's paragraph is not repeated as prose.
    expect(texts.filter((x) => x.includes('This will induce data loss'))).toHaveLength(1);

    const message = messageWith(bot, channel, risky.title);
    await bot.act(OTHER, message, checkboxChange(message, ACTIONS.toggleChecks, { check: ['0'] }));
    const shown = (await bot.bot.service.timeline(incident.id)).filter((e) => e.kind === 'warning_shown');
    expect(shown.at(-1)).toMatchObject({
      actor: OTHER,
      data: { warnings: risky.warnings.map((w) => ({ level: w.level, text: w.text })) },
    });
  });
});

describe('a step with two alternatives', () => {
  it('offers the choice, records who chose what, marks the other not taken and shows the chosen commands', async () => {
    const bot = await start();
    const runbook = bot.bot.runbooks().catalog.byId('RUN-950');
    const branched = stepWith(runbook, (s) => s.options.length === 2, 'two options');
    const [first, second] = branched.options;
    if (!first || !second) throw new Error('two options expected');
    const { incident, channel } = await bot.declare('declare P2 Orders backlog again --runbook RUN-950');
    const before = runbook?.steps.filter((s) => s.number < branched.number) ?? [];
    for (const step of before) {
      const message = messageWith(bot, channel, step.title);
      await bot.act(DECLARER, message, checkboxChange(message, ACTIONS.toggleChecks, { check: ['0'] }));
    }
    const offered = messageWith(bot, channel, branched.title);
    const offeredTexts = blockTexts(offered);
    expect(offeredTexts).toContain('*Choose one of these alternatives:*');
    // Labels that name themselves ("Option 1: ...") are shown as written, and not repeated as text.
    expect(offeredTexts.filter((x) => x.includes(first.label))).toEqual([`*${first.label}*`]);
    expect(JSON.stringify(offered.blocks)).not.toContain(firstCommandLine(second));

    // The step's own Verification list, written after the alternatives, is the step's checkbox.
    expect(branched.verifications).toEqual(['Messages are consumed again']);
    // Ticking it before anyone chose an option is refused, privately, and changes nothing.
    await bot.act(DECLARER, offered, checkboxChange(offered, ACTIONS.toggleChecks, { check: ['0'] }));
    expect(bot.slack.ephemerals(channel).at(-1)).toMatchObject({
      user: DECLARER,
      text: `Step ${branched.number} offers options: choose the option you followed first, then mark it done.`,
    });
    expect(
      (await bot.bot.service.steps(incident.id)).find(
        (s) => s.section === 'step' && s.number === branched.number,
      )?.state,
    ).toBe('active');

    // Someone else's click on option A from the same message, before it is updated, arrives second.
    const staleClick = buttonClick(offered, `${ACTIONS.chooseOption}:0`);
    await bot.act(OTHER, offered, buttonClick(offered, `${ACTIONS.chooseOption}:1`));
    const entry = (await bot.bot.service.timeline(incident.id)).find((e) => e.kind === 'option_chosen');
    expect(entry).toMatchObject({ actor: OTHER, data: { option: second.key, notTaken: [first.key] } });

    const updated = bot.slack.callsTo('chat.update').findLast((c) => c.args.ts === offered.ts);
    const texts = blockTexts(updated?.args as { blocks: unknown[] });
    const chosenAt = texts.findIndex((x) =>
      x.startsWith(`:ballot_box_with_check: *Chosen: ${second.label}*`),
    );
    const warningAt = texts.findIndex((x) => x.startsWith(':warning: *Warning:* Failover drops'));
    const commandAt = texts.findIndex((x) => x.includes(firstCommandLine(second)));
    expect(chosenAt).toBeGreaterThan(1);
    expect(warningAt).toBeGreaterThan(chosenAt);
    expect(commandAt).toBeGreaterThan(warningAt);
    expect(texts).toContain(`Not taken: ~${first.label}~`);
    expect(JSON.stringify(updated?.args)).not.toContain(firstCommandLine(first));

    // A second click from the stale message is refused, privately, to the one who clicked.
    await bot.act(DECLARER, offered, staleClick);
    expect(bot.slack.ephemerals(channel).at(-1)).toMatchObject({
      user: DECLARER,
      text: `${second.label} was already chosen by <@${OTHER}>: follow it, or reopen the step and skip it with a reason.`,
    });

    // Once an option is chosen, the step's checkbox completes it.
    const chosen = messageWith(bot, channel, branched.title);
    await bot.act(OTHER, chosen, checkboxChange(chosen, ACTIONS.toggleChecks, { check: ['0'] }));
    expect(
      (await bot.bot.service.steps(incident.id)).find(
        (s) => s.section === 'step' && s.number === branched.number,
      )?.state,
    ).toBe('done');
  });

  it('a jump finishes the step, skips the steps in between with the reason, and posts the target', async () => {
    const bot = await start();
    const runbook = bot.bot.runbooks().catalog.byId('RUN-950');
    const from = stepWith(runbook, (s) => s.jumps.length > 0, 'a jump');
    const to = from.jumps[0]?.to ?? 0;
    const { incident, channel } = await bot.declare('declare P2 Orders backlog jump --runbook RUN-950');
    const message = messageWith(bot, channel, from.title);
    // The same button replayed from another channel is refused, to the clicker only, and changes nothing.
    await bot.act(OTHER, { ...message, channel: GENERAL }, buttonClick(message, `${ACTIONS.takeJump}:0`));
    expect(bot.slack.ephemerals(GENERAL).at(-1)).toMatchObject({
      user: OTHER,
      text: 'That belongs to another incident channel: act on it there.',
    });
    expect((await bot.bot.service.steps(incident.id)).find((s) => s.number === from.number)?.state).toBe(
      'active',
    );
    await bot.act(DECLARER, message, buttonClick(message, `${ACTIONS.takeJump}:0`));
    const steps = (await bot.bot.service.steps(incident.id)).filter((s) => s.section === 'step');
    const reason = `Jumped from step ${from.number} to step ${to}: ${from.jumps[0]?.when}`;
    expect([from.number, to]).toEqual([1, 4]);
    expect(steps.map((s) => [s.number, s.state, s.skipReason])).toEqual([
      [1, 'done', null],
      [2, 'skipped', reason],
      [3, 'skipped', reason],
      [4, 'active', null],
    ]);
    const target = runbook?.steps.find((s) => s.number === to);
    expect(bot.slack.messages(channel).at(-1)?.text).toBe(`Step ${to} of ${steps.length}: ${target?.title}`);
    expect((await bot.bot.service.timeline(incident.id)).at(-1)).toMatchObject({
      actor: DECLARER,
      kind: 'jump',
    });
  });
});

describe('a runbook with several procedures', () => {
  it('asks which applies, and walks only the chosen one', async () => {
    const bot = await start();
    const runbook = bot.bot
      .runbooks()
      .catalog.runbooks.find((r) => r.source.file.endsWith('ceph-disaster-recovery.md'));
    expect(runbook?.phases.length).toBe(2);
    const [mon, crd] = runbook?.phases ?? [];
    const { incident, channel } = await bot.declare(`declare P1 Ceph is down --runbook RUN-952`);
    const prompt = messageWith(bot, channel, ACTIONS.choosePhase);
    expect(blockTexts(prompt)[0]).toBe(
      ':twisted_rightwards_arrows: *This runbook holds 2 separate procedures. Which one applies?*',
    );
    // Each procedure says when it applies, from the runbook's intro to it.
    expect(blockTexts(prompt)[1]).toContain('Use this when the mons have lost quorum');
    expect((await bot.bot.service.steps(incident.id)).filter((s) => s.state === 'active')).toEqual([]);

    await bot.act(OTHER, prompt, buttonClick(prompt, `${ACTIONS.choosePhase}:1`));
    expect(blockTexts(messageWith(bot, channel, 'chosen by'))[0]).toBe(
      `:ballot_box_with_check: Procedure *${crd?.title}* chosen by <@${OTHER}> · ${crd?.steps.length} steps`,
    );
    const steps = (await bot.bot.service.steps(incident.id)).filter((s) => s.section === 'step');
    expect(steps.filter((s) => s.phase === mon?.key).map((s) => s.state)).toEqual(
      mon?.steps.map(() => 'skipped'),
    );
    expect(steps.find((s) => s.state === 'active')?.number).toBe(crd?.steps[0]);
    expect((await bot.bot.service.timeline(incident.id)).at(-1)).toMatchObject({
      actor: OTHER,
      kind: 'phase_chosen',
      data: { phase: crd?.key, notTaken: [mon?.key] },
    });
  });
});

describe('a page for an alert of a catalogue file', () => {
  it("opens that alert's section, not the whole file", async () => {
    const bot = await start();
    const body = alertmanagerGroup({ alertname: 'KubePodCrashLooping', group: 'prod', alerts: 1 });
    expect((await postWebhook(bot.url, 'alertmanager', body)).status).toBe(202);
    await bot.bot.intake.worker.idle();
    const incident = (await bot.bot.service.listOpen()).at(-1);
    const runbook = bot.bot.runbooks().catalog.byId(incident?.runbookId ?? '');
    expect(runbook?.source.alert).toBe('KubePodCrashLooping');
    expect(runbook?.id.endsWith('#KubePodCrashLooping')).toBe(true);
    const channel = incident?.channelId ?? '';
    const all = JSON.stringify(bot.slack.messages(channel).map((m) => m.blocks));
    expect(all).toContain('logs --previous');
    expect(all).toContain('A pod restarts over and over');
    expect(all).not.toContain('kubectl drain');
    expect(all).not.toContain('KubeNodeNotReady');
    // The alert's first step opens the walk: "Step 1 of 2" of its own section, its background first.
    const first = bot.slack.messages(channel).find((m) => m.text.startsWith('Step 1 of 2: '));
    const texts = blockTexts(first ?? { blocks: [] });
    expect(texts[0]).toBe(`*Step 1 of 2* · ${runbook?.id}: KubePodCrashLooping`);
    const meaningAt = texts.findIndex((x) => x.includes('*Meaning:* A pod restarts over and over'));
    const commandAt = texts.findIndex((x) => x.includes('logs --previous'));
    expect(meaningAt).toBeGreaterThan(1);
    expect(commandAt).toBeGreaterThan(meaningAt);
  });
});
