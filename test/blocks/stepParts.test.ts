import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { Option, Warning } from '../../src/runbooks/model.ts';
import type { PhaseSummary } from '../../src/services/stepChoices.ts';
import { jumpTakenMessage, phaseChosenMessage, phasePrompt } from '../../src/slack/blocks/choices.ts';
import { escapeMrkdwn } from '../../src/slack/blocks/mrkdwn.ts';
import { stepMessage } from '../../src/slack/blocks/step.ts';
import { backgroundTexts, warningTexts, withoutRestatedWarnings } from '../../src/slack/blocks/stepParts.ts';
import { ACTIONS } from '../../src/slack/ids.ts';
import {
  DECLARED_AT,
  DECLARED_UNIX,
  expectValidMessage,
  makeCheck,
  makeChecks,
  makeStep,
} from './fixtures.ts';

const CTX = { index: 1, total: 4, runbook: { id: 'RUN-001', title: 'Queue backlog' } };
const DANGER: Warning = { level: 'danger', text: 'This will induce data loss.', line: 3 };
const CAUTION: Warning = { level: 'caution', text: 'Run it from the <bastion> host.', line: 4 };

const sectionText = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const contextText = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
const buttonEl = (text: string, actionId: string, value: string) => ({
  type: 'button',
  action_id: actionId,
  text: { type: 'plain_text', text },
  value,
});

function texts(blocks: KnownBlock[]): string[] {
  return blocks.map((b) =>
    b.type === 'section'
      ? (b.text?.text ?? '')
      : b.type === 'context'
        ? b.elements.map((e) => ('text' in e ? e.text : '')).join(' ')
        : `[${b.type}]`,
  );
}

const OPTIONS: Option[] = [
  {
    key: 'a',
    label: 'Restart the consumer',
    text: 'Roll the deployment.',
    commands: [{ lang: 'bash', code: 'kubectl rollout restart deploy/consumer' }],
    warnings: [],
    line: 10,
  },
  {
    key: 'b',
    label: 'Fail over',
    text: 'Promote the replica.',
    commands: [{ lang: 'bash', code: 'failover --now' }],
    warnings: [{ level: 'warning', text: 'Failover drops in-flight writes.', line: 14 }],
    line: 12,
  },
];

describe('a step with warnings', () => {
  it('shows the warnings, marked by level, above its text and commands', () => {
    const step = makeStep({
      body: 'Drain the queue.',
      commands: [{ lang: 'bash', code: 'gcloud pubsub subscriptions seek sub --time=now' }],
      warnings: [DANGER, CAUTION],
      checks: [makeCheck(0, { text: 'Backlog is zero' })],
    });
    const message = stepMessage(step, CTX);
    expectValidMessage(message);
    expect(message.blocks.slice(0, 5)).toEqual([
      contextText('*Step 1 of 4* · RUN-001: Queue backlog'),
      sectionText('*Check the pool*'),
      sectionText(
        ':no_entry: *Danger:* This will induce data loss.\n:warning: *Caution:* Run it from the &lt;bastion&gt; host.',
      ),
      sectionText('Drain the queue.'),
      sectionText('```\ngcloud pubsub subscriptions seek sub --time=now\n```'),
    ]);
    expect(message.blocks.slice(5).map((b) => b.type)).toEqual(['actions', 'context', 'actions']);
  });

  it('never cuts a long warning: it continues, marked, in the next sections, and prose gives way', () => {
    const long = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ');
    expect(long.length).toBeGreaterThan(6000);
    const step = makeStep({
      body: 'lorem ipsum '.repeat(5000),
      commands: Array.from({ length: 40 }, (_, i) => ({ lang: null, code: `run ${i} ${'x'.repeat(3000)}` })),
      warnings: [{ level: 'warning', text: long, line: 2 }, DANGER],
      checks: makeChecks(45),
    });
    const message = stepMessage(step, CTX);
    expectValidMessage(message);
    const shown = texts(message.blocks);
    const warningIdx = shown.flatMap((t, i) => (t.startsWith(':warning: *Warning') ? [i] : []));
    expect(warningIdx).toEqual([2, 3, 4]);
    const pieces = warningIdx.map((i) => shown[i] ?? '');
    expect(pieces[0]?.startsWith(':warning: *Warning:* word0 word1')).toBe(true);
    expect(pieces[1]?.startsWith(':warning: *Warning (continued):* ')).toBe(true);
    const joined = pieces
      .join('')
      .replace(/:warning: \*Warning(?: \(continued\))?:\* /g, '')
      .replace(/\n:no_entry: \*Danger:\* This will induce data loss\.$/, '');
    expect(joined).toBe(long);
    expect(shown[4]?.endsWith('\n:no_entry: *Danger:* This will induce data loss.')).toBe(true);
    expect(shown[5]?.startsWith('lorem ipsum')).toBe(true);
    expect(shown.join('\n')).toContain('more sections do not fit in one message; read the rest in RUN-001');
    const boxes = message.blocks.filter((b) => b.type === 'actions' && b.block_id?.startsWith('checks:'));
    expect(boxes).toHaveLength(5);
  });

  it('packs many warnings into few sections, every one of them whole', () => {
    const warnings = Array.from({ length: 120 }, (_, i) => ({
      level: 'important' as const,
      text: `Warning number ${i} ${'y'.repeat(100)}`,
      line: i + 1,
    }));
    const packed = warningTexts(warnings);
    expect(packed.length).toBe(6);
    expect(packed.every((t) => t.length <= 3000)).toBe(true);
    expect(packed.join('\n').split('\n')).toEqual(
      warnings.map((w) => `:exclamation: *Important:* ${w.text}`),
    );
    const message = stepMessage(makeStep({ warnings, checks: makeChecks(3) }), CTX);
    expectValidMessage(message);
  });
});

describe('prose that restates a warning', () => {
  const loss: Warning = {
    level: 'danger',
    text: 'This will induce data loss.\nUse it as a final resort.',
    line: 2,
  };
  const restart: Warning = { level: 'warning', text: 'Do not restart the primary.', line: 5 };

  it('leaves out a paragraph that is only the admonition, in any syntax', () => {
    const body = [
      'Drain the queue first.',
      '> **Warning**\n> This will induce data loss.\n> Use it as a final resort.',
      '> [!CAUTION]\n> Do not restart the primary.',
      '⚠️ Warning: Do not restart the primary.',
      'Then seek.',
    ].join('\n\n');
    expect(withoutRestatedWarnings(body, [loss, restart])).toBe('Drain the queue first.\n\nThen seek.');
  });

  it('keeps a paragraph that says more than the warning, and everything when there is no warning', () => {
    const body = 'Stop the writer. Do not restart the primary.\n\n> Note: keep the pager on.';
    expect(withoutRestatedWarnings(body, [restart])).toBe(body);
    expect(withoutRestatedWarnings(body, [])).toBe(body);
  });

  it('in the step message the warning is said once, marked, above the rest', () => {
    const step = makeStep({
      body: 'Drain it.\n\n> **Warning** This will induce data loss. Use it as a final resort.',
      warnings: [loss],
    });
    expect(texts(stepMessage(step, CTX).blocks).slice(2, 4)).toEqual([
      ':no_entry: *Danger:* This will induce data loss.\nUse it as a final resort.',
      'Drain it.',
    ]);
  });
});

describe('commands and examples', () => {
  it('shows a shell session as its command, then its output labelled as expected output', () => {
    const step = makeStep({
      commands: [
        {
          lang: 'console',
          code: '$ kubectl get pods\nNAME   READY\nweb    1/1',
          run: 'kubectl get pods',
          output: 'NAME   READY\nweb    1/1',
        },
      ],
      examples: [
        { lang: 'text', code: 'pool_used 97', label: 'output', line: 5 },
        { lang: 'log', code: 'ERROR: too many <clients>', label: 'log', line: 9 },
        { lang: 'yaml', code: 'replicas: 3', label: 'example', line: 12 },
      ],
    });
    const message = stepMessage(step, CTX);
    expectValidMessage(message);
    expect(texts(message.blocks).slice(2, 7)).toEqual([
      '```\nkubectl get pods\n```',
      '_Expected output_\n```\nNAME   READY\nweb    1/1\n```',
      '_Expected output_\n```\npool_used 97\n```',
      '_Log sample_\n```\nERROR: too many &lt;clients&gt;\n```',
      '_Example_\n```\nreplicas: 3\n```',
    ]);
  });
});

describe('alternatives', () => {
  it('before anyone picks: each option with its warnings, and one button per option', () => {
    const message = stepMessage(makeStep({ options: OPTIONS }), CTX);
    expectValidMessage(message);
    expect(message.blocks.slice(2, -2)).toEqual([
      sectionText('*Choose one of these alternatives:*'),
      sectionText('*Option A: Restart the consumer*'),
      sectionText('Roll the deployment.'),
      sectionText('*Option B: Fail over*\n:warning: *Warning:* Failover drops in-flight writes.'),
      sectionText('Promote the replica.'),
      {
        type: 'actions',
        elements: [
          buttonEl('Choose Option A: Restart the consumer', `${ACTIONS.chooseOption}:0`, '42:a'),
          buttonEl('Choose Option B: Fail over', `${ACTIONS.chooseOption}:1`, '42:b'),
        ],
      },
    ]);
    // Nobody should run both: no option's commands show before the choice.
    expect(JSON.stringify(message)).not.toContain('failover --now');
    expect(JSON.stringify(message)).not.toContain('rollout restart');
  });

  it('after the pick: who chose, the chosen option warnings above its commands, the other not taken', () => {
    const step = makeStep({
      options: OPTIONS,
      chosenOption: 'b',
      chosenBy: 'U0ALICE',
      chosenAt: DECLARED_AT,
    });
    const message = stepMessage(step, CTX);
    expectValidMessage(message);
    expect(message.blocks.slice(2, -2)).toEqual([
      sectionText(
        `:ballot_box_with_check: *Chosen: Option B: Fail over* by <@U0ALICE> <!date^${DECLARED_UNIX}^{date_short_pretty} {time}|2026-11-22 10:00 UTC>`,
      ),
      sectionText(':warning: *Warning:* Failover drops in-flight writes.'),
      sectionText('Promote the replica.'),
      sectionText('```\nfailover --now\n```'),
      contextText('Not taken: ~Option A: Restart the consumer~'),
    ]);
    expect(JSON.stringify(message)).not.toContain(ACTIONS.chooseOption);
  });

  it('shows a label that names itself as written, and does not repeat it as text', () => {
    const named = OPTIONS.map((o, i) => ({
      ...o,
      label: `Option ${i + 1}: ${o.label}`,
      text: `Option ${i + 1}: ${o.label}\n${o.text}`,
    }));
    const shown = texts(stepMessage(makeStep({ options: named }), CTX).blocks);
    expect(shown.slice(3, 7)).toEqual([
      '*Option 1: Restart the consumer*',
      'Roll the deployment.',
      '*Option 2: Fail over*\n:warning: *Warning:* Failover drops in-flight writes.',
      'Promote the replica.',
    ]);
  });

  it('a done step says which option was taken', () => {
    const step = makeStep({ options: OPTIONS, chosenOption: 'a', state: 'done', completedBy: 'U0BOB' });
    expect(texts(stepMessage(step, CTX).blocks)).toEqual([
      '✅ *Step 1 of 4* · Check the pool — done by <@U0BOB> · chose Option A: Restart the consumer',
    ]);
  });

  it('stays within limits with 40 long options', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      key: `o${i}`,
      label: `Alternative ${i} ${'z'.repeat(200)}`,
      text: 'w '.repeat(1500),
      commands: [],
      warnings:
        i % 2 ? [{ level: 'danger' as const, text: `Alternative ${i} deletes data.`, line: i + 2 }] : [],
      line: i + 1,
    }));
    const message = stepMessage(makeStep({ options: many, checks: makeChecks(12) }), CTX);
    expectValidMessage(message);
    const buttons = message.blocks.flatMap((b) =>
      b.type === 'actions'
        ? b.elements.filter((e) => e.type === 'button' && e.action_id?.startsWith(ACTIONS.chooseOption))
        : [],
    );
    expect(buttons).toHaveLength(40);
    const warned = texts(message.blocks).filter((x) => x.includes('deletes data.'));
    expect(warned).toHaveLength(20);
    expect(warned[0]).toBe(
      `*Alternative 1 ${'z'.repeat(200)}*\n:no_entry: *Danger:* Alternative 1 deletes data.`,
    );
  });
});

describe('jumps', () => {
  it('says each condition and offers a button per jump', () => {
    const step = makeStep({
      jumps: [
        { when: 'the pool is still full', to: 5, line: 3 },
        { when: 'errors > 5%', to: 7, line: 4 },
      ],
    });
    const message = stepMessage(step, CTX);
    expectValidMessage(message);
    expect(message.blocks.slice(2, 4)).toEqual([
      sectionText(
        ':arrow_right: If the pool is still full: go to step 5\n:arrow_right: If errors &gt; 5%: go to step 7',
      ),
      {
        type: 'actions',
        elements: [
          buttonEl('Go to step 5', `${ACTIONS.takeJump}:0`, '42:0'),
          buttonEl('Go to step 7', `${ACTIONS.takeJump}:1`, '42:1'),
        ],
      },
    ]);
  });
});

it('names the procedure a step belongs to next to its number', () => {
  const message = stepMessage(makeStep({ phase: 'crd', phaseTitle: 'Restore CRDs' }), CTX);
  expect(message.blocks[0]).toEqual(
    contextText('*Step 1 of 4* · RUN-001: Queue backlog · procedure: Restore CRDs'),
  );
});

describe('background with the first step', () => {
  it('shows Meaning and Impact compactly, after the warnings and before the prose', () => {
    const step = makeStep({ body: 'Check the pool.', warnings: [DANGER] });
    const background = [
      { title: 'Meaning', text: 'The pool is over 90% used.', line: 2, examples: [] },
      { title: 'Impact', text: 'Requests queue & time out.', line: 5, examples: [] },
    ];
    const message = stepMessage(step, { ...CTX, background });
    expectValidMessage(message);
    expect(texts(message.blocks).slice(2, 5)).toEqual([
      ':no_entry: *Danger:* This will induce data loss.',
      ':information_source: *Meaning:* The pool is over 90% used.\n*Impact:* Requests queue &amp; time out.',
      'Check the pool.',
    ]);
  });

  it('keeps a huge background to two sections and says where the rest is', () => {
    const background = [{ title: 'Summary', text: 'b '.repeat(9000), line: 2, examples: [] }];
    const shown = backgroundTexts(background, 'RUN-001');
    expect(shown).toHaveLength(2);
    expect(shown.every((t) => t.length <= 3000)).toBe(true);
    expect(shown[1]?.endsWith(' … the rest of the background is in RUN-001.')).toBe(true);
    expectValidMessage(stepMessage(makeStep(), { ...CTX, background }));
  });
});

describe('procedures', () => {
  const phases = [
    { key: 'mon', title: 'Restore mon quorum', steps: 3 },
    { key: 'crd', title: 'Restore CRDs', steps: 1 },
  ];

  it('asks which procedure applies, one button each', () => {
    const message = phasePrompt(7, phases);
    expect(message).toEqual({
      text: 'Which procedure applies? Restore mon quorum / Restore CRDs',
      blocks: [
        sectionText(
          ':twisted_rightwards_arrows: *This runbook holds 2 separate procedures. Which one applies?*',
        ),
        sectionText('1. *Restore mon quorum* · 3 steps\n2. *Restore CRDs* · 1 step'),
        contextText(
          'Pick one: its steps follow one at a time, and the steps of the others are marked not taken.',
        ),
        {
          type: 'actions',
          elements: [
            buttonEl('Restore mon quorum', `${ACTIONS.choosePhase}:0`, '7:mon'),
            buttonEl('Restore CRDs', `${ACTIONS.choosePhase}:1`, '7:crd'),
          ],
        },
      ],
    });
    expect(phasePrompt(7, null)).toBeNull();
    expect(phasePrompt(7, phases.slice(0, 1))).toBeNull();
  });

  it('says under each procedure when it applies, in one line cut at 300', () => {
    const about: PhaseSummary[] = [
      {
        key: 'mon',
        title: 'Restore mon quorum',
        steps: 3,
        about: 'Use this when the mons have lost quorum.',
      },
      {
        key: 'crd',
        title: 'Restore CRDs',
        steps: 1,
        about: `Use this when the <CephCluster> was deleted. ${'x'.repeat(400)}`,
      },
    ];
    const message = phasePrompt(7, about);
    if (!message) throw new Error('expected a prompt');
    expectValidMessage(message);
    const lines = texts(message.blocks)[1]?.split('\n') ?? [];
    expect(lines[0]).toBe('1. *Restore mon quorum* · 3 steps');
    expect(lines[1]).toBe('      Use this when the mons have lost quorum.');
    expect(lines[3]?.startsWith('      Use this when the &lt;CephCluster&gt; was deleted. xxx')).toBe(true);
    expect(lines[3]?.length).toBe(6 + 300);
    expect(lines[3]?.endsWith('…')).toBe(true);
  });

  it('stays within limits with 60 procedures with long titles', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      key: `p${i}`,
      title: `Procedure ${i} ${'q'.repeat(300)}`,
      steps: 2,
    }));
    const message = phasePrompt(7, many);
    if (!message) throw new Error('expected a prompt');
    expectValidMessage(message);
    const buttons = message.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons).toHaveLength(60);
  });

  it('answers the prompt with the choice, who made it and what was not taken', () => {
    const [mon, crd] = phases;
    if (!mon || !crd) throw new Error('fixture');
    const message = phaseChosenMessage({ chosen: crd, notTaken: [mon], first: null }, 'U0ALICE');
    expectValidMessage(message);
    expect(message.blocks).toEqual([
      sectionText(':ballot_box_with_check: Procedure *Restore CRDs* chosen by <@U0ALICE> · 1 step'),
      contextText('Not taken (their steps are skipped): ~Restore mon quorum~'),
    ]);
  });

  it('says where a jump went and which steps it skipped', () => {
    const from = makeStep({ number: 1 });
    const target = makeStep({ id: 45, number: 4 });
    const skipped = [makeStep({ id: 43, number: 2 }), makeStep({ id: 44, number: 3 })];
    const message = jumpTakenMessage({ from, target, skipped, when: 'the backlog is empty' }, 'U0BOB');
    expectValidMessage(message);
    expect(message).toEqual({
      text: 'Went from step 1 to step 4',
      blocks: [
        contextText(
          ':arrow_right_hook: <@U0BOB> went from step 1 to step 4: the backlog is empty. Skipped: step 2, step 3.',
        ),
      ],
    });
  });
});

it('escapes warning text: a warning cannot ping the channel', () => {
  const message = stepMessage(
    makeStep({ warnings: [{ level: 'danger', text: '<!channel> stop', line: 1 }] }),
    CTX,
  );
  expect(JSON.stringify(message)).not.toContain('<!channel>');
  expect(texts(message.blocks)[2]).toBe(`:no_entry: *Danger:* ${escapeMrkdwn('<!channel> stop')}`);
});
