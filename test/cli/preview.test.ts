import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type PreviewMessage, previewMessages } from '../../src/cli/preview.ts';
import { mrkdwnToText } from '../../src/cli/terminal.ts';
import { runCli } from '../../src/cli.ts';
import { PROCESS_RUNBOOK_ID } from '../../src/runbooks/catalog.ts';
import { parseRunbook } from '../../src/runbooks/parse.ts';
import { LIMITS, validateBlocks } from '../support/blockLimits.ts';

const NOW = new Date('2026-11-22T03:00:00Z');
const load = (file: string) => parseRunbook(readFileSync(file, 'utf8'), file).runbook;
const PROCESS = load('runbooks/RUN-000-incident-response.md');

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join(''), err: err.join('') };
}

function expectValid(messages: PreviewMessage[], label: string): void {
  for (const m of messages) {
    expect(validateBlocks(m.blocks, 'message'), `${label}: ${m.name}`).toEqual([]);
    expect(m.text.length, `${label}: ${m.name}`).toBeLessThanOrEqual(LIMITS.messageText);
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('preview: what responders will see, built by the bot’s own builders', () => {
  it('shows the header, the checklists, every step and the resolve-time lists of RUN-001, in order', async () => {
    const rb = load('runbooks/RUN-001-database-connection-pool-exhaustion.md');
    const messages = await previewMessages(rb, PROCESS, NOW);
    const steps = rb.steps.map((_, i) => `Step ${i + 1} of ${rb.steps.length}`);
    expect(messages.map((m) => m.name)).toEqual([
      'Pinned header',
      'Prerequisites checklist',
      'Incident process checklist',
      ...steps,
      'Resolution verification (posted when the incident is resolved)',
      'Post-incident follow-up (posted when the incident is resolved)',
    ]);
    const first = messages[3];
    const text = JSON.stringify(first?.blocks);
    expect(text).toContain(rb.steps[0]?.title);
    for (const check of rb.steps[0]?.verifications ?? []) expect(text).toContain(check.slice(0, 40));
    // Every step is shown as the active step, with its checkboxes and buttons.
    for (const m of messages.slice(3, 3 + steps.length))
      expect(m.blocks.some((b) => b.type === 'actions')).toBe(true);
  });

  it('produces blocks within Slack’s limits for every shipped runbook and long corpus runbooks', async () => {
    for (const file of readdirSync('runbooks').filter((f) => f.endsWith('.md'))) {
      const rb = load(join('runbooks', file));
      expectValid(await previewMessages(rb, rb.id === PROCESS_RUNBOOK_ID ? undefined : PROCESS, NOW), file);
    }
    const corpus = 'test/fixtures/corpus/mattrussi__gitlab-com-runbooks';
    for (const file of [
      'docs__redis__redis.md',
      'docs__patroni__postgres.md',
      'docs__frontend__haproxy.md',
    ]) {
      const rb = load(join(corpus, file));
      const messages = await previewMessages(rb, PROCESS, NOW);
      expect(messages.length).toBeGreaterThan(3);
      expectValid(messages, file);
    }
  });

  it('links each message to Block Kit Builder with exactly its blocks', async () => {
    const rb = load('runbooks/RUN-002-service-down.md');
    for (const m of await previewMessages(rb, PROCESS, NOW)) {
      const prefix = 'https://app.slack.com/block-kit-builder/#';
      expect(m.builderUrl.startsWith(prefix)).toBe(true);
      expect(JSON.parse(decodeURIComponent(m.builderUrl.slice(prefix.length)))).toEqual({ blocks: m.blocks });
    }
  });

  it('prints each message as text, then its JSON and link; --json gives the same messages', async () => {
    const file = 'runbooks/RUN-002-service-down.md';
    const rb = load(file);
    const text = await run(['preview', file]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^Preview of RUN-002: Service Down \(runbooks\/RUN-002-service-down\.md\)\n/);
    const step = rb.steps[0];
    expect(text.out).toContain(`━━ 4. Step 1 of ${rb.steps.length} `);
    expect(text.out).toContain(`\n${step?.title}\n`);
    // Commands are indented code; checks are boxes; buttons are bracketed.
    for (const line of (step?.commands[0]?.code ?? '').split('\n').filter(Boolean).slice(0, 2))
      expect(text.out).toContain(`\n    ${line}\n`);
    expect(text.out).toContain(`\n☐ ${step?.verifications[0]?.slice(0, 30)}`);
    expect(text.out).toContain('[ Skip step ]');
    expect(text.out).toContain('\nBlock Kit Builder: https://app.slack.com/block-kit-builder/#');
    const byId = JSON.parse((await run(['preview', 'RUN-002', '--dir', 'runbooks', '--json'])).out) as {
      runbook: string;
      messages: PreviewMessage[];
    };
    expect(byId.runbook).toBe('RUN-002');
    expect(byId.messages.map((m) => m.name)).toEqual(
      (await previewMessages(rb, PROCESS, NOW)).map((m) => m.name),
    );
  });

  it('previews a runbook of a folder without RUN-000 with no process checklist', async () => {
    const d = mkdtempSync(join(tmpdir(), 'preview-'));
    dirs.push(d);
    writeFileSync(
      join(d, 'RUN-080-x.md'),
      '# RUN-080: Disk full\n\n### Step 1: Free space\n```bash\ndf -h\n```\n',
    );
    const r = JSON.parse((await run(['preview', join(d, 'RUN-080-x.md'), '--json'])).out) as {
      messages: PreviewMessage[];
    };
    expect(r.messages.map((m) => m.name)).toEqual(['Pinned header', 'Step 1 of 1']);
  });

  it('turns mrkdwn into terminal text', async () => {
    expect(
      mrkdwnToText(
        '*Step 1* · <@U123> at <!date^1^{time}|03:00 UTC> see <https://x.io|the doc> &lt;b&gt; &amp;',
      ),
    ).toBe('Step 1 · @U123 at 03:00 UTC see the doc (https://x.io) <b> &');
  });
});
