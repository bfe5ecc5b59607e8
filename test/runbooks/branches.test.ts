import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunbookCatalog } from '../../src/runbooks/catalog.ts';
import { loadRunbooks } from '../../src/runbooks/loader.ts';
import type { Runbook } from '../../src/runbooks/model.ts';
import { parseRunbook } from '../../src/runbooks/parse.ts';
import { splitCatalog } from '../../src/runbooks/phases.ts';
import { loadRunbookSet } from '../../src/services/runbookSet.ts';
import { runbooksDir } from '../support/testRunbooks.ts';

const parse = (source: string, file = 'x.md'): Runbook => parseRunbook(source, file).runbook;

describe('alternatives become one step with options', () => {
  it('"Option 1 / Option 2" subsections: one step, each option with its own commands and warnings', () => {
    const rb = parse(
      '# T\n\n## Mitigation\n\n### Option 1: Restart the pod\n\n```bash\nkubectl delete pod x\n```\n\n### Option 2: Fail over\n\n> [!CAUTION]\n> Clients reconnect.\n\n```bash\npatronictl failover\n```\n',
    );
    expect(rb.steps).toEqual([
      {
        number: 1,
        title: 'Choose one: Option 1: Restart the pod | Option 2: Fail over',
        text: '',
        commands: [],
        verifications: [],
        line: 5,
        heading: 'Mitigation',
        warnings: [],
        examples: [],
        options: [
          {
            key: 'a',
            label: 'Option 1: Restart the pod',
            text: '',
            commands: [{ lang: 'bash', code: 'kubectl delete pod x' }],
            warnings: [],
            line: 5,
          },
          {
            key: 'b',
            label: 'Option 2: Fail over',
            text: '> [!CAUTION] Clients reconnect.',
            commands: [{ lang: 'bash', code: 'patronictl failover' }],
            warnings: [{ level: 'caution', text: 'Clients reconnect.', line: 13 }],
            line: 11,
          },
        ],
        jumps: [],
        phase: null,
      },
    ]);
  });

  it('a list after "either" is a choice; the commands common to both stay on the step', () => {
    const rb = parse(
      '# T\n\n## Steps\n\n### Free space\n\n```bash\ndf -h /var\n```\n\nDo either of these:\n\n- Rotate the logs: `logrotate -f /etc/logrotate.conf`\n- Grow the disk with `growpart /dev/sda 1`\n',
    );
    const step = rb.steps[0];
    expect(step?.commands).toEqual([{ lang: 'bash', code: 'df -h /var' }]);
    expect(step?.options.map((o) => [o.key, o.label, o.line])).toEqual([
      ['a', 'Rotate the logs: logrotate -f /etc/logrotate.conf', 13],
      ['b', 'Grow the disk with growpart /dev/sda 1', 14],
    ]);
  });

  it('"A)" / "B)" list items are options', () => {
    const rb = parse(
      '# T\n\n## Steps\n\n1. Pick a fix:\n   - A) Scale the pool up.\n   - B) Kill idle sessions.\n',
    );
    expect(rb.steps[0]?.options.map((o) => o.label)).toEqual([
      'A) Scale the pool up.',
      'B) Kill idle sessions.',
    ]);
  });
});

describe('a step that closes after its alternatives', () => {
  it("keeps the Verification list written after the last option as the step's own checks", () => {
    const rb = parse(
      '# T\n\n## Procedure\n\n### Step 1: Restore consumption\n\nOption 1: Restart\n\n```bash\nkubectl rollout restart deploy/c\n```\n\nOption 2: Fail over\n\n```bash\n./failover.sh\n```\n\nVerification:\n- [ ] Messages flow again\n',
    );
    const [step] = rb.steps;
    expect(step?.verifications).toEqual(['Messages flow again']);
    expect(step?.options.map((o) => [o.label, o.text, o.commands.map((c) => c.code)])).toEqual([
      ['Option 1: Restart', 'Option 1: Restart', ['kubectl rollout restart deploy/c']],
      ['Option 2: Fail over', 'Option 2: Fail over', ['./failover.sh']],
    ]);
  });

  it('ends the last option at a task list too', () => {
    const rb = parse(
      '# T\n\n## Procedure\n\n### Step 1: Pick\n\n**Option A**: scale up\n\n```bash\nkubectl scale deploy/api --replicas=10\n```\n\n**Option B**: shed load\n\n```bash\n./shed.sh 50\n```\n\n- [ ] Latency is below 200 ms\n',
    );
    expect(rb.steps[0]?.verifications).toEqual(['Latency is below 200 ms']);
    expect(rb.steps[0]?.options.map((o) => [o.text, o.commands.map((c) => c.code)])).toEqual([
      ['Option A: scale up', ['kubectl scale deploy/api --replicas=10']],
      ['Option B: shed load', ['./shed.sh 50']],
    ]);
  });
});

describe('jumps', () => {
  it('"If X, go to step N" is a jump to the model step that the author numbered N', () => {
    const rb = parse(
      '# T\n\n## Steps\n\n1. Check the pool. If the pool is below 50%, go to step 3.\n2. Raise the pool size.\n3. Confirm recovery.\n',
    );
    expect(rb.steps[0]?.jumps).toEqual([{ when: 'the pool is below 50%', to: 3, line: 5 }]);
    expect(rb.steps[0]?.text).toBe('If the pool is below 50%, go to step 3.');
    expect(rb.steps.slice(1).flatMap((s) => s.jumps)).toEqual([]);
  });

  it('a jump to a step that does not exist is left in the text only', () => {
    const rb = parse('# T\n\n## Steps\n\n1. Check. If it is red, go to step 9.\n2. Done.\n');
    expect(rb.steps[0]?.jumps).toEqual([]);
  });
});

describe('several procedures in one document become phases', () => {
  const rb = parse(
    '# Run book\n\n## Restaging apps\n\nWhen the API needs to be restaged:\n\n1. Open the API action.\n2. Run it.\n\nWhen the SMS broker needs to be restaged:\n\n1. Open the broker action.\n2. Run it.\n\n## Rotating keys\n\n1. Make a new key.\n2. Revoke the old key.\n',
  );

  it('each procedure is a phase with its own steps, numbered 1..n over the runbook', () => {
    expect(rb.phases).toEqual([
      {
        key: 'when-the-api-needs-to-be-restaged',
        title: 'When the API needs to be restaged',
        line: 5,
        alerts: [],
        steps: [1, 2],
        context: [],
      },
      {
        key: 'when-the-sms-broker-needs-to-be-restaged',
        title: 'When the SMS broker needs to be restaged',
        line: 10,
        alerts: [],
        steps: [3, 4],
        context: [],
      },
      { key: 'rotating-keys', title: 'Rotating keys', line: 15, alerts: [], steps: [5, 6], context: [] },
    ]);
    expect(rb.steps.map((s) => [s.number, s.title, s.phase])).toEqual([
      [1, 'Open the API action.', 'when-the-api-needs-to-be-restaged'],
      [2, 'Run it.', 'when-the-api-needs-to-be-restaged'],
      [3, 'Open the broker action.', 'when-the-sms-broker-needs-to-be-restaged'],
      [4, 'Run it.', 'when-the-sms-broker-needs-to-be-restaged'],
      [5, 'Make a new key.', 'rotating-keys'],
      [6, 'Revoke the old key.', 'rotating-keys'],
    ]);
  });

  it('Diagnosis and Mitigation are stages of one procedure, not phases', () => {
    const one = parse('# T\n\n## Diagnosis\n\n1. Look.\n2. See.\n\n## Mitigation\n\n1. Fix.\n2. Check.\n');
    expect(one.phases).toEqual([]);
    expect(one.steps.map((s) => s.phase)).toEqual([null, null, null, null]);
  });
});

const CATALOGUE = [
  '# Kubernetes Alert Runbooks',
  '',
  'Alerts of the cluster.',
  '',
  '### Group Name: "kubernetes-apps"',
  '',
  '##### Alert Name: "KubePodCrashLooping"',
  '+ *Message*: `Pod is crash looping.`',
  '+ *Severity*: warning',
  '',
  '##### Alert Name: "KubePodNotReady"',
  '+ *Message*: `Pod has been in a non-ready state for more than an hour.`',
  '',
  '###### Mitigation',
  '',
  '1. Describe the pod.',
  '',
  '   ```bash',
  '   kubectl describe pod "$POD"',
  '   ```',
  '2. Delete it if it is stuck.',
  '',
  '##### Alert Name: KubeDeploymentGenerationMismatch',
  '+ *Message*: `Deployment generation mismatch due to possible roll-back`',
  '',
].join('\n');

describe('alert catalogues', () => {
  const rb = parse(CATALOGUE, 'runbook.md');

  it('become layout catalog with one phase per alert, its context and its steps', () => {
    expect(rb.source.layout).toBe('catalog');
    expect(rb.phases.map((p) => [p.key, p.alerts, p.steps, p.context.map((c) => c.text)])).toEqual([
      [
        'KubePodCrashLooping',
        ['KubePodCrashLooping'],
        [],
        ['- Message: Pod is crash looping.\n- Severity: warning'],
      ],
      [
        'KubePodNotReady',
        ['KubePodNotReady'],
        [1, 2],
        ['- Message: Pod has been in a non-ready state for more than an hour.'],
      ],
      [
        'KubeDeploymentGenerationMismatch',
        ['KubeDeploymentGenerationMismatch'],
        [],
        ['- Message: Deployment generation mismatch due to possible roll-back'],
      ],
    ]);
    expect(rb.context.map((c) => c.text)).toEqual(['Alerts of the cluster.']);
  });

  it('split into one runbook per alert, steps renumbered from 1, file context then the alert context', () => {
    const split = splitCatalog(rb);
    expect(split.map((r) => [r.id, r.title, r.source.alert, r.meta.alerts, r.steps.length])).toEqual([
      [
        'runbook#KubePodCrashLooping',
        'KubePodCrashLooping',
        'KubePodCrashLooping',
        ['KubePodCrashLooping'],
        0,
      ],
      ['runbook#KubePodNotReady', 'KubePodNotReady', 'KubePodNotReady', ['KubePodNotReady'], 2],
      [
        'runbook#KubeDeploymentGenerationMismatch',
        'KubeDeploymentGenerationMismatch',
        'KubeDeploymentGenerationMismatch',
        ['KubeDeploymentGenerationMismatch'],
        0,
      ],
    ]);
    const notReady = split[1] as Runbook;
    expect(notReady.steps.map((s) => [s.number, s.title, s.phase, s.commands.map((c) => c.code)])).toEqual([
      [1, 'Describe the pod.', null, ['kubectl describe pod "$POD"']],
      [2, 'Delete it if it is stuck.', null, []],
    ]);
    expect(notReady.context.map((c) => c.text)).toEqual([
      'Alerts of the cluster.',
      '- Message: Pod has been in a non-ready state for more than an hour.',
    ]);
    expect(notReady.phases).toEqual([]);
  });

  it('a catalog index opens the alert section for a page, and lists the file once', () => {
    const catalog = new RunbookCatalog([rb]);
    expect(catalog.runbooks.map((r) => r.id)).toEqual(['runbook']);
    expect(catalog.forAlert('KubePodNotReady').map((r) => r.id)).toEqual(['runbook#KubePodNotReady']);
    expect(catalog.byId('runbook#KubePodNotReady')?.steps).toHaveLength(2);
  });

  it('the bot set loaded from a folder indexes the split runbooks by alert', () => {
    const dir = runbooksDir();
    dirs.push(dir);
    writeFileSync(join(dir, 'k8s-catalogue.md'), CATALOGUE);
    const set = loadRunbookSet(dir, new Date('2026-11-22T10:00:00Z'));
    expect(set.catalog.forAlert('KubePodNotReady').map((r) => r.id)).toEqual([
      'k8s-catalogue#KubePodNotReady',
    ]);
    const loaded = loadRunbooks(dir, { today: new Date('2026-11-22'), maxAgeDays: 90 });
    expect(loaded.files.filter((f) => f.file.endsWith('k8s-catalogue.md'))).toHaveLength(1);
  });
});

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('lint', () => {
  it('reports unplaced content as a note with its line', async () => {
    const { lintRunbook } = await import('../../src/runbooks/lint.ts');
    const parsed = parseRunbook('# T\n\n## Steps\n\n1. Do it.\n', 'n.md');
    parsed.runbook.notes = [{ text: 'Orphan paragraph', line: 7 }];
    const issues = lintRunbook(parsed, { today: new Date('2026-11-22'), maxAgeDays: 90 });
    expect(issues.filter((i) => i.rule === 'unplaced-content')).toEqual([
      {
        level: 'warning',
        rule: 'unplaced-content',
        file: 'n.md',
        line: 7,
        message:
          '"Orphan paragraph" is not part of any step or context section, so it is kept as a note: put it under a step or a Notes heading',
      },
    ]);
  });
});
