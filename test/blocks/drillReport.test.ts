import type { SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { DrillReport } from '../../src/services/postmortemService.ts';
import { drillReportMessage } from '../../src/slack/blocks/aftermath.ts';
import { expectValidMessage, makeIncident } from './fixtures.ts';

const step = (number: number, state: string, extra: Partial<DrillReport['steps'][number]> = {}) => ({
  number,
  title: `Step title ${number}`,
  state,
  tookMs: state === 'done' || state === 'skipped' ? 120_000 : null,
  skipReason: null,
  ...extra,
});

function report(steps: DrillReport['steps']): DrillReport {
  return {
    incident: makeIncident({ drill: true }),
    runbook: { id: 'RUN-001', title: 'Pool exhaustion', owner: 'Backend Team' },
    steps,
    totalMs: 600_000,
    today: '2026-12-03',
  };
}

const verdict = (r: DrillReport) => {
  const message = drillReportMessage(r);
  expectValidMessage(message);
  return (message.blocks.at(-1) as SectionBlock).text?.text;
};

describe('drillReportMessage', () => {
  it('reports an empty drill as nothing done, and not a test', () => {
    const r = report([step(1, 'active'), step(2, 'pending'), step(3, 'pending')]);
    expect(verdict(r)).toBe(
      '*0 of 3 steps completed, 0 skipped, 3 not done.* Nothing was done, so it does not count as a test of the runbook: `npx incident-bot lint` still uses its Last Tested date. Run the drill again and complete or skip (with a reason) every step.',
    );
    expect(JSON.stringify(drillReportMessage(r).blocks)).not.toContain('Every step was done');
  });

  it('reports a drill stopped part-way with every number', () => {
    const r = report([step(1, 'skipped', { skipReason: 'unclear' }), step(2, 'done'), step(3, 'active')]);
    expect(verdict(r)).toBe(
      '*1 of 3 steps completed, 1 skipped, 1 not done.* The drill stopped part-way, so it does not count as a test of the runbook: `npx incident-bot lint` still uses its Last Tested date. Run the drill again and complete or skip (with a reason) every step.',
    );
  });

  it('counts a finished drill, naming the skipped steps as where the runbook is unclear', () => {
    expect(verdict(report([step(1, 'skipped', { skipReason: 'which db?' }), step(2, 'done')]))).toBe(
      '*1 of 2 steps completed, 1 skipped.* One step was skipped: the runbook is unclear there. Backend Team: update it there, and set `Last Tested: 2026-12-03`. `npx incident-bot lint` already counts this drill as a test.',
    );
    expect(verdict(report([step(1, 'done'), step(2, 'done')]))).toBe(
      '*2 of 2 steps completed, 0 skipped.* Every step was done as written. Backend Team: set `Last Tested: 2026-12-03`. `npx incident-bot lint` already counts this drill as a test.',
    );
  });
});
