import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.ts';
import { createLogger } from '../../src/log.ts';
import { IncidentService, UserError } from '../../src/services/incidentService.ts';
import { loadRunbookSet } from '../../src/services/runbookSet.ts';
import { PageFollowUps } from '../../src/usecases/pages.ts';
import type { ResolveInput } from '../../src/usecases/resolve.ts';
import { manualClock, tempStore } from '../store/helpers.ts';

/** The use case with a recording chat port and a resolve that does what the test says. */
async function setup(resolving: (input: ResolveInput) => Promise<Incident>) {
  const port = await tempStore(manualClock().now);
  const set = loadRunbookSet('runbooks', new Date('2026-11-22'));
  const incidents = new IncidentService(port, () => set);
  const said: string[] = [];
  const resolved: ResolveInput[] = [];
  const quiet = async () => {};
  const chat = {
    open: async (declared: { incident: Incident }) => declared.incident,
    refreshHeader: quiet,
    showLive: quiet,
    postAlerts: quiet,
    announceStormJoined: quiet,
    announceStillFiring: quiet,
    announceAlertsResolved: async (incident: Incident, commanderId: string) => {
      said.push(`#${incident.id}: all alerts resolved, ${commanderId} decides`);
    },
  };
  const resolve = {
    run: (input: ResolveInput) => {
      resolved.push(input);
      return resolving(input);
    },
  };
  const pages = new PageFollowUps({ incidents, resolve, chat, log: createLogger('silent') });
  const declare = async () =>
    (
      await incidents.declare({
        title: 'Disk full',
        severity: 'P2',
        declaredBy: 'bot',
        source: 'alertmanager',
      })
    ).incident;
  return { pages, said, resolved, declare };
}

describe('all alerts of a page resolved (use case)', () => {
  it('resolves through the one resolve path when nobody is commander', async () => {
    const { pages, said, resolved, declare } = await setup(
      async (input) => ({ id: input.incidentId }) as Incident,
    );
    const incident = { ...(await declare()), channelId: 'C42' };
    await pages.allResolved(incident);
    expect(resolved).toEqual([
      { incidentId: incident.id, note: 'all alerts resolved (policy: alerts.auto_resolve)', actor: 'bot' },
    ]);
    expect(said).toEqual([]);
  });

  it('leaves the decision to the commander when there is one, and to nobody without a channel', async () => {
    const { pages, said, resolved, declare } = await setup(async () => {
      throw new Error('must not resolve');
    });
    const incident = await declare();
    await pages.allResolved({ ...incident, channelId: 'C42', commanderId: 'UC' });
    await pages.allResolved({ ...incident, channelId: null });
    expect(said).toEqual([`#${incident.id}: all alerts resolved, UC decides`]);
    expect(resolved).toEqual([]);
  });

  it('takes a refused resolve (resolved meanwhile) quietly, and lets any other failure through', async () => {
    const refused = await setup(async () => {
      throw new UserError('The incident is already resolved.');
    });
    const incident = { ...(await refused.declare()), channelId: 'C42' };
    await expect(refused.pages.allResolved(incident)).resolves.toBeUndefined();
    const broken = await setup(async () => {
      throw new Error('disk I/O error');
    });
    const other = { ...(await broken.declare()), channelId: 'C42' };
    await expect(broken.pages.allResolved(other)).rejects.toThrow('disk I/O error');
  });
});
