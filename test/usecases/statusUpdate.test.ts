import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.ts';
import type { KeptInChannel } from '../../src/domain/updates.ts';
import { UserError } from '../../src/services/incidentService.ts';
import { ChangeIncident } from '../../src/usecases/changeIncident.ts';
import type { StatusUpdate } from '../../src/usecases/ports/chat.ts';
import type { ResolveIncident } from '../../src/usecases/resolve.ts';
import { type PublishableUpdate, StatusUpdates } from '../../src/usecases/statusUpdate.ts';
import { incidentRules } from './rules.ts';

const NOW = new Date('2026-11-22T10:00:00Z');
const NEXT = new Date('2026-11-22T10:30:00Z');

/** The use case on a real store and services; the chat port and the status page record what they got. */
async function setup() {
  const { port, set, timekeeper, incidents } = await incidentRules(() => NOW);
  const posted: { incident: Incident; update: StatusUpdate; kept: KeptInChannel }[] = [];
  const published: (PublishableUpdate & { entryId: number })[] = [];
  const quiet = async () => {};
  const chat = {
    postStatusUpdate: async (incident: Incident, update: StatusUpdate, kept: KeptInChannel) => {
      posted.push({ incident, update, kept });
    },
    postExecBrief: quiet,
    remindUpdate: quiet,
    invite: quiet,
    showLive: quiet,
    announceStatus: quiet,
    announceSeverity: quiet,
    announceCommander: quiet,
  };
  const change = new ChangeIncident({ incidents, runbooks: () => set, chat, now: () => NOW });
  const resolve: Pick<ResolveIncident, 'run'> = {
    run: async (input) => (await incidents.resolve({ ...input, note: input.note ?? '' })).incident,
  };
  const statusPage = {
    preview: () => null,
    publish: (_incident: Incident, update: PublishableUpdate & { entryId: number }) => {
      published.push(update);
    },
  };
  const updates = new StatusUpdates({
    incidents,
    timekeeper,
    change,
    resolve,
    runbooks: () => set,
    chat,
    statusPage,
    now: () => NOW,
  });
  const declare = (isPrivate = false) =>
    incidents.declare({
      title: 'Payment latency high',
      severity: 'P1',
      private: isPrivate,
      declaredBy: 'U1',
      source: 'slash',
    });
  return { port, incidents, updates, posted, published, declare };
}

const UPDATE = { impact: 'Checkout slow for EU users', action: 'Rolling back', nextUpdateAt: NEXT };

describe('posting a status update (use case)', () => {
  it('applies the status it carries, records the update, posts it and publishes it', async () => {
    const { port, updates, posted, published, declare } = await setup();
    const { incident } = await declare();
    await updates.post(incident.id, { status: 'identified', ...UPDATE }, 'U1');
    expect((await port.incidents.get(incident.id))?.status).toBe('identified');
    const entry = await port.timeline.last(incident.id, 'status_update');
    expect(entry?.text).toBe('Status update (Identified): Checkout slow for EU users');
    // The status page names the service of the runbook matched from the title (its front matter).
    expect(posted.map((p) => [p.update, p.kept])).toEqual([
      [{ status: 'identified', ...UPDATE, at: NOW, service: 'api' }, null],
    ]);
    expect(published).toEqual([
      { entryId: entry?.id, status: 'identified', impact: UPDATE.impact, action: 'Rolling back' },
    ]);
  });

  it('keeps a private incident’s update in its own channel and off the status page', async () => {
    const { updates, posted, published, declare } = await setup();
    const { incident } = await declare(true);
    await updates.post(incident.id, { status: 'declared', ...UPDATE }, 'U1');
    expect(posted.map((p) => p.kept)).toEqual(['private']);
    expect(published).toEqual([]);
  });

  it('refuses the whole update when the status it carries is refused: nothing recorded, said or published', async () => {
    const { port, incidents, updates, posted, published, declare } = await setup();
    const { incident } = await declare();
    await incidents.setCommander({ incidentId: incident.id, userId: 'UC', actor: 'UC' });
    await expect(updates.post(incident.id, { status: 'resolved', ...UPDATE }, 'UX')).rejects.toThrow(
      UserError,
    );
    expect((await port.incidents.get(incident.id))?.status).toBe('declared');
    expect(await port.timeline.last(incident.id, 'status_update')).toBeNull();
    expect((await port.timeline.last(incident.id, 'refused'))?.text).toBe(
      'Refused: <@UX> tried to resolve the incident',
    );
    expect(posted).toEqual([]);
    expect(published).toEqual([]);
  });
});
