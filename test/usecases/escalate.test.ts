import { describe, expect, it } from 'vitest';
import type { IncidentStep } from '../../src/domain/steps.ts';
import { IncidentService } from '../../src/services/incidentService.ts';
import type { Escalation } from '../../src/services/outcomes.ts';
import { loadRunbookSet } from '../../src/services/runbookSet.ts';
import { EscalateIncident } from '../../src/usecases/escalate.ts';
import { manualClock, tempStore } from '../store/helpers.ts';

const NOW = new Date('2026-11-22T10:00:00Z');

async function setup() {
  const store = await tempStore(manualClock().now);
  const set = loadRunbookSet('runbooks', new Date('2026-11-22'));
  const service = new IncidentService(store, () => set);
  const said: string[] = [];
  const calledIn: { escalation: Escalation; steps: readonly IncidentStep[]; actor: string; now: Date }[] = [];
  const chat = {
    announceDrillEscalation: async (escalation: Escalation) => {
      said.push(`drill #${escalation.incident.id}`);
    },
    callIn: async (escalation: Escalation, steps: readonly IncidentStep[], actor: string, now: Date) => {
      calledIn.push({ escalation, steps, actor, now });
    },
  };
  const escalate = new EscalateIncident({ incidents: service, chat, now: () => NOW });
  return { store, service, escalate, said, calledIn };
}

describe('escalating now (use case)', () => {
  it('records the escalation, then calls the targets in with the steps as they are', async () => {
    const { store, service, escalate, said, calledIn } = await setup();
    const { incident, steps } = await service.declare({
      title: 'Payment latency high',
      severity: 'P1',
      declaredBy: 'U1',
      source: 'slash',
    });
    const escalation = await escalate.run({
      incidentId: incident.id,
      conditions: [],
      note: null,
      actor: 'U2',
    });
    expect(said).toEqual([]);
    expect(calledIn).toHaveLength(1);
    expect(calledIn[0]?.actor).toBe('U2');
    expect(calledIn[0]?.now).toEqual(NOW);
    expect(calledIn[0]?.steps.map((s) => s.id)).toEqual(steps.map((s) => s.id));
    expect(calledIn[0]?.escalation).toEqual(escalation);
    expect((await store.timeline.last(incident.id, 'escalation'))?.actor).toBe('U2');
  });

  it('a drill names who would be called in and calls nobody', async () => {
    const { store, service, escalate, said, calledIn } = await setup();
    const { incident } = await service.declare({
      title: 'DRILL RUN-001',
      severity: 'P1',
      runbookId: 'RUN-001',
      drill: true,
      declaredBy: 'U1',
      source: 'slash',
    });
    await escalate.run({ incidentId: incident.id, conditions: [], note: 'practice', actor: 'U1' });
    expect(said).toEqual([`drill #${incident.id}`]);
    expect(calledIn).toEqual([]);
    expect((await store.timeline.last(incident.id, 'escalation'))?.text).toMatch(/: practice$/);
  });
});
