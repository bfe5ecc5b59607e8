import { describe, expect, it } from 'vitest';
import type { Runbook, Step } from '../../src/runbooks/model.ts';
import { parseRunbook } from '../../src/runbooks/parse.ts';

const parse = (source: string, file = 'x.md'): Runbook => parseRunbook(source, file).runbook;
const step = (source: string, n = 0): Step => parse(source).steps[n] as Step;
const RESTART = '```bash\nsystemctl restart x\n```\n';
const under = (body: string) => `# T\n\n## Steps\n\n### Restart\n\n${body}\n${RESTART}`;

describe('admonitions, in every syntax, attach to their step as warnings', () => {
  it('GitHub alerts: > [!WARNING]', () => {
    expect(step(under('> [!WARNING]\n> This drops the cache.\n'))).toMatchObject({
      title: 'Restart',
      text: '> [!WARNING] This drops the cache.',
      warnings: [{ level: 'warning', text: 'This drops the cache.', line: 7 }],
      commands: [{ lang: 'bash', code: 'systemctl restart x' }],
    });
  });

  it('GitHub [!CAUTION] and [!IMPORTANT]; a [!NOTE] is no warning', () => {
    const s = step(
      under(
        '> [!CAUTION]\n> One node at a time.\n\n> [!IMPORTANT]\n> Tell #ops.\n\n> [!NOTE]\n> Takes 2 minutes.\n',
      ),
    );
    expect(s.warnings).toEqual([
      { level: 'caution', text: 'One node at a time.', line: 7 },
      { level: 'important', text: 'Tell #ops.', line: 10 },
    ]);
    expect(s.text).toContain('> [!NOTE] Takes 2 minutes.');
  });

  it('bold labels: > **Warning**: and a **Danger**: paragraph', () => {
    const s = step(under('> **Warning**: Restarting drops sessions.\n\n**Danger**: the disk is wiped.\n'));
    expect(s.warnings).toEqual([
      { level: 'warning', text: 'Restarting drops sessions.', line: 7 },
      { level: 'danger', text: 'the disk is wiped.', line: 9 },
    ]);
  });

  it('mkdocs: !!! danger "Title" with an indented body, which keeps its kind in the text', () => {
    const s = step(under('!!! danger "Data loss"\n\n    Deletes every queued job.\n'));
    expect(s.warnings).toEqual([{ level: 'danger', text: 'Data loss: Deletes every queued job.', line: 7 }]);
    expect(s.text).toBe('> DANGER: Data loss\n> Deletes every queued job.');
    expect(s.commands).toEqual([{ lang: 'bash', code: 'systemctl restart x' }]);
  });

  it('mkdocs: a fence inside the admonition body stays a byte-exact command', () => {
    const s = step(
      under('!!! warning\n\n    Drain first:\n\n    ```bash\n    kubectl drain node-1\n    ```\n'),
    );
    expect(s.warnings).toEqual([{ level: 'warning', text: 'Drain first:', line: 7 }]);
    expect(s.commands.map((c) => c.code)).toEqual(['kubectl drain node-1', 'systemctl restart x']);
  });

  it('Hugo shortcodes: {{< caution >}} and {{% notice warning %}}', () => {
    const s = step(
      under(
        '{{< caution >}}\nOnly one node at a time.\n{{< /caution >}}\n\n{{% notice warning %}}\nBackups first.\n{{% /notice %}}\n',
      ),
    );
    expect(s.warnings).toEqual([
      { level: 'caution', text: 'Only one node at a time.', line: 7 },
      { level: 'warning', text: 'Backups first.', line: 11 },
    ]);
  });

  it('a warning in a background section stays in the context, not on a step', () => {
    const rb = parse(`# T\n\n## Impact\n\n> [!WARNING]\n> Users lose carts.\n\n## Steps\n\n${RESTART}`);
    expect(rb.context).toEqual([
      { title: 'Impact', text: '> [!WARNING] Users lose carts.', line: 3, examples: [] },
    ]);
    expect(rb.steps.flatMap((s) => s.warnings)).toEqual([]);
  });
});

describe('warning sentences', () => {
  it('"data loss" in a numbered step attaches as danger and stays in the text', () => {
    const s = step(
      '# T\n\n## Steps\n\n1. Seek the subscription to now. This will induce data loss, so use it as a final resort.\n\n   ```bash\n   gcloud pubsub subscriptions seek s --time=now\n   ```\n',
    );
    expect(s).toMatchObject({
      title: 'Seek the subscription to now.',
      text: 'This will induce data loss, so use it as a final resort.',
      warnings: [
        { level: 'danger', text: 'This will induce data loss, so use it as a final resort.', line: 5 },
      ],
      commands: [{ lang: 'bash', code: 'gcloud pubsub subscriptions seek s --time=now' }],
    });
  });

  it('"do not" and "never" in a nested bullet attach as warnings', () => {
    const s = step(
      '# T\n\n## Steps\n\n1. Upgrade the tiers.\n   - Never upgrade the front end first.\n   - Do not skip a version.\n',
    );
    expect(s.text).toBe('- Never upgrade the front end first.\n- Do not skip a version.');
    expect(s.warnings.map((w) => [w.level, w.text])).toEqual([
      ['warning', 'Never upgrade the front end first.'],
      ['warning', 'Do not skip a version.'],
    ]);
  });
});

describe('commands and examples', () => {
  const session = step(
    '# T\n\n## Steps\n\n### Check\n\n```console\n$ kubectl get pods\nNAME READY\nweb-1 1/1\n```\n\nExpected output:\n\n```\nNAME READY\n```\n\n```log\nERROR boom\n```\n\n```text\n2024-01-01 connection refused\n```\n',
  );

  it('a $ prompt fence keeps its code byte-exact and splits run from output', () => {
    expect(session.commands).toEqual([
      {
        lang: 'console',
        code: '$ kubectl get pods\nNAME READY\nweb-1 1/1',
        run: 'kubectl get pods',
        output: 'NAME READY\nweb-1 1/1',
      },
    ]);
  });

  it('output fences (labelled, log, text) are examples, never commands', () => {
    expect(session.examples).toEqual([
      { lang: null, code: 'NAME READY', label: 'output', line: 15 },
      { lang: 'log', code: 'ERROR boom', label: 'log', line: 19 },
      { lang: 'text', code: '2024-01-01 connection refused', label: 'output', line: 23 },
    ]);
  });

  it('a # root prompt outside a script fence is a prompt; in a bash fence it is a comment', () => {
    const s = step(
      '# T\n\n## Steps\n\n### Ceph\n\n```\n# ceph status\n  health: HEALTH_OK\n```\n\n```bash\n# ceph status\nceph osd tree\n```\n',
    );
    expect(s.commands).toEqual([
      {
        lang: null,
        code: '# ceph status\n  health: HEALTH_OK',
        run: 'ceph status',
        output: '  health: HEALTH_OK',
      },
      { lang: 'bash', code: '# ceph status\nceph osd tree' },
    ]);
  });

  it('samples under Symptoms are context examples', () => {
    const rb = parse(`# T\n\n## Symptoms\n\n\`\`\`\nOOMKilled\n\`\`\`\n\n## Steps\n\n${RESTART}`);
    expect(rb.context).toEqual([
      {
        title: 'Symptoms',
        text: '',
        line: 3,
        examples: [{ lang: null, code: 'OOMKilled', label: 'example', line: 5 }],
      },
    ]);
  });

  it('inline code is a command only as a whole command line with arguments', () => {
    const s = step(
      '# T\n\n## Steps\n\n### Look\n\nUse `oc describe` on it, then run `oc describe pod web-1 -n shop` and `df -h`.\n',
    );
    expect(s.commands).toEqual([
      { lang: null, code: 'oc describe pod web-1 -n shop' },
      { lang: null, code: 'df -h' },
    ]);
  });
});

describe('titles and text', () => {
  const s = step(
    '# T\n\n## Steps\n\n1. The oc describe command will retrieve a large\n   amount of detail. Read it.\n\n   Then check the storage class:\n\n   Check the events.\n',
  );

  it('a title is the first sentence across soft line breaks', () => {
    expect(s.title).toBe('The oc describe command will retrieve a large amount of detail.');
  });

  it('paragraphs stay separated by a blank line, never glued', () => {
    expect(s.text).toBe('Read it.\n\nThen check the storage class:\n\nCheck the events.');
  });

  it('tables keep their rows, cells separated; nested lists keep their nesting; links keep their address', () => {
    const t = step(
      `# T\n\n## Steps\n\n### Roles\n\n| Role | System |\n|---|---|\n| admin | db |\n\n- parent\n  - nested child\n\nSee [the dashboard](https://grafana.example/d/1).\n\n${RESTART}`,
    );
    expect(t.text).toBe(
      'Role | System\nadmin | db\n\n- parent\n  - nested child\n\nSee the dashboard (https://grafana.example/d/1).',
    );
  });

  it('background sections and the preamble become context', () => {
    const rb = parse(
      `# T\n\nPages when carts fail.\n\n## Meaning\n\nThe cart API is down.\n\n## Steps\n\n${RESTART}`,
    );
    expect(rb.context.map((c) => [c.title, c.text, c.line])).toEqual([
      ['Overview', 'Pages when carts fail.', 3],
      ['Meaning', 'The cart API is down.', 5],
    ]);
  });
});

describe('front matter of other sites and headingless pages', () => {
  const rb = parseRunbook(
    '---\ntitle: Restart the cache\nowner_slack: "#cache-team"\nparent: Ops\nlayout: page\n---\n\n1. Stop the cache.\n2. Start the cache.\n',
    'cache.md',
  );

  it('accepts title, owner_slack "#channel", parent and layout without an error, and uses the title', () => {
    expect(rb.issues).toEqual([]);
    expect(rb.runbook.title).toBe('Restart the cache');
    expect(rb.runbook.meta.ownerSlack).toBeNull();
  });

  it('a page that is only an ordered list is a procedure', () => {
    expect(rb.runbook.steps.map((s) => [s.number, s.title, s.line])).toEqual([
      [1, 'Stop the cache.', 8],
      [2, 'Start the cache.', 9],
    ]);
    expect(rb.runbook.source.layout).toBe('guide');
  });
});

describe('verification', () => {
  it('"you should see" sentences and a Post checks section verify the step they follow', () => {
    const rb = parse(
      '# T\n\n## Steps\n\n### Step 1: Resize\n\n```bash\nkubectl edit pvc x\n```\n\nYou should see the new size in the PVC status.\n\n### Post checks\n\n- [ ] Pods are running\n',
    );
    expect(rb.steps).toHaveLength(1);
    expect(rb.steps[0]?.verifications).toEqual([
      'You should see the new size in the PVC status.',
      'Pods are running',
    ]);
  });

  it('a "Step 5: Post-operation checks" heading that carries commands stays a step', () => {
    const rb = parse(
      '# T\n\n## Step 4: Resize\n\n```bash\nkubectl edit pvc x\n```\n\n## Step 5: Post-operation checks\n\n```bash\nkubectl get pvc\n```\n',
    );
    expect(rb.steps.map((s) => [s.title, s.commands.map((c) => c.code)])).toEqual([
      ['Resize', ['kubectl edit pvc x']],
      ['Post-operation checks', ['kubectl get pvc']],
    ]);
  });
});

describe('notes', () => {
  it('nothing is a note when every block is placed', () => {
    expect(parse(`# T\n\nIntro.\n\n## Steps\n\n${RESTART}`).notes).toEqual([]);
  });
});
