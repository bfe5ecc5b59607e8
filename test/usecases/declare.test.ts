import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.ts';
import { IncidentService, UserError } from '../../src/services/incidentService.ts';
import type { Declared } from '../../src/services/outcomes.ts';
import { loadRunbookSet } from '../../src/services/runbookSet.ts';
import { DeclareIncident } from '../../src/usecases/declare.ts';
import type { DeclarerReply } from '../../src/usecases/ports/chat.ts';
import { manualClock, tempStore } from '../store/helpers.ts';

async function setup() {
  const store = await tempStore(manualClock().now);
  const set = loadRunbookSet('runbooks', new Date('2026-11-22'));
  const opened: { declared: Declared; reply: DeclarerReply | null }[] = [];
  const chat = {
    open: async (declared: Declared, reply: DeclarerReply | null): Promise<Incident> => {
      opened.push({ declared, reply });
      return { ...declared.incident, channelId: 'C42' };
    },
  };
  const declare = new DeclareIncident({
    incidents: new IncidentService(store, () => set),
    runbooks: () => set,
    chat,
  });
  return { store, declare, opened };
}

describe('declaring by hand (use case)', () => {
  it('declares, then opens the channel with the reply addressed to the new incident', async () => {
    const { store, declare, opened } = await setup();
    const incident = await declare.run(
      { title: 'Payment latency high', severity: 'P1', declaredBy: 'U1', source: 'slash' },
      (id) => ({ via: 'ephemeral', channel: 'D1', user: 'U1', lead: `Incident #${id} declared` }),
    );
    expect(incident.channelId).toBe('C42');
    expect(await store.incidents.get(incident.id)).toMatchObject({
      title: 'Payment latency high',
      severity: 'P1',
    });
    expect(opened.map((o) => o.reply)).toEqual([
      { via: 'ephemeral', channel: 'D1', user: 'U1', lead: `Incident #${incident.id} declared` },
    ]);
  });

  it('starts a drill of a runbook at its severity, and refuses an unknown runbook before declaring', async () => {
    const { store, declare, opened } = await setup();
    await expect(declare.drill('RUN-404', 'U1')).rejects.toThrow(UserError);
    expect(await store.incidents.listOpen()).toEqual([]);
    const drill = await declare.drill('RUN-001', 'U1');
    expect(await store.incidents.get(drill.id)).toMatchObject({
      drill: true,
      severity: 'P1',
      runbookId: 'RUN-001',
      declaredBy: 'U1',
    });
    expect(opened).toHaveLength(1);
    expect(opened[0]?.declared.incident.title).toMatch(/^DRILL RUN-001: /);
  });
});
