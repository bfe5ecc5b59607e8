import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/diagnostics/types.ts';
import type { Evidence } from '../../src/services/diagnosticsService.ts';
import { evidenceMessage, remediationMessage } from '../../src/slack/blocks/diagnostics.ts';
import { ACTIONS } from '../../src/slack/ids.ts';
import { expectValidMessage } from './fixtures.ts';

/** Buttons by action_id; builders leave block_id to Slack, so the fake's findElement does not apply. */
function buttons(message: { blocks: unknown[] }, actionId: string): Record<string, unknown>[] {
  return message.blocks.flatMap((b) => {
    const block = b as { accessory?: Record<string, unknown>; elements?: Record<string, unknown>[] };
    return [block.accessory, ...(block.elements ?? [])].filter(
      (e): e is Record<string, unknown> => e?.action_id === actionId,
    );
  });
}

function result(i: number, over: Partial<CheckResult> = {}): CheckResult {
  return {
    id: `check_${i}`,
    title: `Check ${i}`,
    kind: 'http_check',
    status: 'healthy',
    value: 12,
    display: '1/1 ready, max 12 ms',
    threshold: null,
    detail: 'http://127.0.0.1/ → 200 in 12 ms',
    durationMs: 12,
    step: null,
    ...over,
  };
}

function evidence(results: CheckResult[], recommendations: Evidence['recommendations'] = []): Evidence {
  return { runbookId: 'RUN-001', results, recommendations, durationMs: 1234 };
}

describe('evidenceMessage', () => {
  it('escapes runbook and output text, shows threshold and duration, and offers the buttons', () => {
    const message = evidenceMessage(
      7,
      evidence(
        [
          result(1, {
            title: '<!channel> pool',
            status: 'critical',
            threshold: 'critical >= 90',
            detail: '<@U1> & co',
          }),
        ],
        [
          {
            id: 'restart',
            title: 'Restart <!here>',
            kind: 'automated',
            description: 'Rolls the pods',
            command: 'kubectl rollout restart deploy/api',
            needsApproval: true,
            because: ['check_1 == critical'],
          },
        ],
      ),
      'bot',
    );
    expectValidMessage(message);
    const text = JSON.stringify(message.blocks);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<!here>');
    expect(text).not.toContain('<@U1>');
    expect(text).toContain('critical &gt;= 90 · 12 ms');
    expect(buttons(message, ACTIONS.runRemediation)[0]).toMatchObject({
      value: '7:restart',
      style: 'danger',
    });
    expect(buttons(message, ACTIONS.rerunDiagnostics)[0]?.value).toBe('7');
  });

  it('stays within Slack limits for 80 checks with long output', () => {
    const many = Array.from({ length: 80 }, (_, i) =>
      result(i, { detail: 'x'.repeat(5000), status: 'error' }),
    );
    const recs = Array.from({ length: 10 }, (_, i) => ({
      id: `r${i}`,
      title: `Remediation ${i}`,
      kind: 'manual' as const,
      description: 'y'.repeat(4000),
      command: null,
      needsApproval: false,
      because: ['a == critical'],
    }));
    expectValidMessage(evidenceMessage(1, evidence(many, recs), 'U0ALICE'));
    expectValidMessage(
      remediationMessage({
        title: 'T',
        ok: false,
        summary: 'exit 1',
        output: 'z'.repeat(9000),
        by: 'U1',
        approvedBy: null,
      }),
    );
  });
});
