import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.ts';
import type { IncidentStep } from '../../src/domain/steps.ts';
import type { TimerPayload } from '../../src/domain/timerPlan.ts';
import { UserError } from '../../src/services/incidentService.ts';
import type { Escalation } from '../../src/services/outcomes.ts';
import { withDurableKeys } from '../../src/usecases/durableKeys.ts';
import { EscalationTimers } from '../../src/usecases/escalate.ts';
import type { TimerCall } from '../../src/usecases/ports/chat.ts';
import { incidentRules } from './rules.ts';

const NOW = new Date('2026-11-22T10:00:00Z');

/** The use case on a real store and services; the chat port records what it was asked to say. */
async function setup() {
  const { clock, port, set, timekeeper, incidents } = await incidentRules(() => NOW);
  const said: string[] = [];
  const briefs: { escalation: Escalation; steps: readonly IncidentStep[]; call: TimerCall; now: Date }[] = [];
  const chat = {
    repage: async (incident: Incident, team: { users: string[]; groups: string[] }, reason: string) => {
      said.push(`repage #${incident.id} ${team.groups.join(',')}: ${reason}`);
    },
    announceDrillRepage: async (incident: Incident, reason: string) => {
      said.push(`drill repage #${incident.id}: ${reason}`);
    },
    announceDrillTimerEscalation: async (escalation: Escalation, reason: string) => {
      said.push(`drill escalation #${escalation.incident.id}: ${reason}`);
    },
    callInByTimer: async (
      escalation: Escalation,
      steps: readonly IncidentStep[],
      call: TimerCall,
      now: Date,
    ) => {
      briefs.push({ escalation, steps, call, now });
    },
    announceAcknowledged: async (incident: Incident, by: string) => {
      said.push(`acknowledged #${incident.id} by ${by}`);
    },
  };
  const timers = new EscalationTimers({ incidents, timekeeper, runbooks: () => set, chat, now: () => NOW });
  const declare = (drill = false) =>
    incidents.declare({
      title: drill ? 'DRILL RUN-001' : 'Payment latency high',
      severity: 'P1',
      ...(drill ? { runbookId: 'RUN-001', drill: true } : {}),
      declaredBy: 'U1',
      source: 'slash',
    });
  return { port, clock, incidents, timers, said, briefs, declare };
}

const PAYLOAD: TimerPayload = {
  since: NOW.toISOString(),
  target: 'project_lead',
  who: null,
  reason: 'P1 unresolved after 2 h',
  round: 1,
};

describe('an escalation timer fires (use case)', () => {
  it('records the escalation and plans its repeat once when a replica fires the timer again after a takeover', async () => {
    const { port, clock, timers, briefs, declare } = await setup();
    const { incident } = await declare();
    // The scheduler runs each firing keyed by its timer; the replica that fired first died before `complete`.
    await withDurableKeys('timer:41', () => timers.escalate(incident, PAYLOAD, ''));
    clock.advance(120_000);
    await withDurableKeys('timer:41', () => timers.escalate(incident, PAYLOAD, ' (fired 2 min late)'));

    const escalations = (await port.timeline.list(incident.id)).filter((e) => e.kind === 'escalation');
    expect(escalations.map((e) => [e.at, e.text])).toEqual([
      ['2026-11-22T10:00:00.000Z', expect.stringMatching(/^Escalated to .+: P1 unresolved after 2 h$/)],
    ]);
    const repeats = (await port.timers.listOpen(incident.id)).filter((t) => t.kind === 'escalate_repeat');
    expect(repeats.map((t) => t.dueAt)).toEqual(['2026-11-22T10:30:00.000Z']);
    // The brief is asked for again: its Slack posts are durable jobs keyed by the same timer, sent once.
    expect(briefs).toHaveLength(2);

    // Another timer's firing is another escalation.
    await withDurableKeys('timer:42', () => timers.escalate(incident, { ...PAYLOAD, round: 2 }, ''));
    expect((await port.timeline.list(incident.id)).filter((e) => e.kind === 'escalation')).toHaveLength(2);
  });

  it('records the escalation, plans the repeat, then briefs with why it fired', async () => {
    const { port, timers, briefs, said, declare } = await setup();
    const { incident, steps } = await declare();
    await timers.escalate(incident, PAYLOAD, ' (fired 3 min late)');
    const entry = await port.timeline.last(incident.id, 'escalation');
    expect(entry?.text).toMatch(/^Escalated to .+: P1 unresolved after 2 h \(fired 3 min late\)$/);
    expect(entry?.actor).toBe('bot');
    const repeats = (await port.timers.listOpen(incident.id)).filter((t) => t.kind === 'escalate_repeat');
    expect(repeats.map((t) => [t.dueAt, (t.payload as TimerPayload).round])).toEqual([
      [new Date(NOW.getTime() + 30 * 60_000).toISOString(), 2],
    ]);
    expect(briefs).toHaveLength(1);
    expect(briefs[0]?.call).toEqual({
      reason: 'P1 unresolved after 2 h',
      who: null,
      round: 1,
      late: ' (fired 3 min late)',
    });
    expect(briefs[0]?.escalation.targets.map((t) => t.key)).toEqual(['project_lead']);
    expect(briefs[0]?.steps.map((s) => s.id)).toEqual(steps.map((s) => s.id));
    expect(briefs[0]?.now).toEqual(NOW);
    expect(said).toEqual([]);
  });

  it('in a drill: recorded and named in its channel, no repeat, nobody called in', async () => {
    const { port, timers, briefs, said, declare } = await setup();
    const { incident } = await declare(true);
    await timers.escalate(incident, PAYLOAD, '');
    expect((await port.timeline.last(incident.id, 'escalation'))?.actor).toBe('bot');
    expect((await port.timers.listOpen(incident.id)).filter((t) => t.kind === 'escalate_repeat')).toEqual([]);
    expect(briefs).toEqual([]);
    expect(said).toEqual([`drill escalation #${incident.id}: P1 unresolved after 2 h`]);
  });

  it('an Acknowledge stops the repeats, is said in the channel, and a second one is refused', async () => {
    const { port, incidents, timers, said, declare } = await setup();
    const { incident } = await declare();
    await timers.escalate(incident, PAYLOAD, '');
    const withChannel = { ...incident, channelId: 'C42' };
    await port.incidents.update(incident.id, { channelId: 'C42' });
    await timers.acknowledge({ incidentId: incident.id, actor: 'U2', shownIn: '#escalations' });
    expect((await port.timers.listOpen(incident.id)).filter((t) => t.kind === 'escalate_repeat')).toEqual([]);
    expect(said).toEqual([`acknowledged #${withChannel.id} by U2`]);
    await expect(
      timers.acknowledge({ incidentId: incident.id, actor: 'U3', shownIn: 'C42' }),
    ).rejects.toThrow(new UserError('<@U2> already acknowledged this escalation.'));
    expect((await incidents.timeline(incident.id)).filter((e) => e.kind === 'escalation_ack')).toHaveLength(
      1,
    );
  });

  it('repages the team when nobody took command, and not once someone has', async () => {
    const { port, incidents, timers, said, declare } = await setup();
    const { incident } = await declare();
    const open = { ...incident, channelId: 'C42' };
    await timers.repage(open, { ...PAYLOAD, reason: 'no commander after 1 h' }, '');
    expect(said).toEqual([
      `repage #${incident.id} S0ICROTA01,S0ONCALL01,S0BACKEND01,S0SREOPS01,S0QAVERIFY: no commander after 1 h`,
    ]);
    expect((await port.timeline.last(incident.id, 'repage'))?.text).toBe(
      'Paged the response team again: no commander after 1 h',
    );
    await incidents.setCommander({ incidentId: incident.id, userId: 'U1', actor: 'U1' });
    await timers.repage({ ...open, commanderId: 'U1' }, PAYLOAD, '');
    expect(said).toHaveLength(1);
  });
});
