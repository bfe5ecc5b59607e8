import { describe, expect, it } from 'vitest';
import { AuditedRefusal, refusing, UserError } from '../../src/services/outcomes.ts';
import { manualClock, tempStore } from '../store/helpers.ts';

const INCIDENT = { title: 'Checkout down', severity: 'P1', declaredBy: 'U1', source: 'slash' } as const;

describe('an audited refusal', () => {
  it('is recorded on the timeline although the transaction it aborted rolled back', async () => {
    const port = await tempStore(manualClock().now);
    const incident = await port.incidents.create(INCIDENT);
    const refusal = refusing(port, async (tx) => {
      await tx.timeline.append({
        incidentId: incident.id,
        actor: 'UX',
        kind: 'note',
        text: 'half-done work',
      });
      await tx.incidents.update(incident.id, { severity: 'P0' });
      throw new AuditedRefusal('Only the commander may.', {
        incidentId: incident.id,
        actor: 'UX',
        kind: 'refused',
        text: 'Refused: <@UX> tried to change the severity of the incident',
        data: { what: 'change the severity of' },
      });
    });
    await expect(refusal).rejects.toThrow(UserError);
    await expect(refusal).rejects.toMatchObject({ message: 'Only the commander may.' });
    // The work before the refusal is undone; the refusal itself is kept, once.
    expect((await port.incidents.get(incident.id))?.severity).toBe('P1');
    expect((await port.timeline.list(incident.id)).map((e) => [e.actor, e.kind, e.text, e.data])).toEqual([
      [
        'UX',
        'refused',
        'Refused: <@UX> tried to change the severity of the incident',
        { what: 'change the severity of' },
      ],
    ]);
  });

  it('leaves any other error as it is, with nothing recorded', async () => {
    const port = await tempStore(manualClock().now);
    const incident = await port.incidents.create(INCIDENT);
    const failing = refusing(port, async (tx) => {
      await tx.timeline.append({
        incidentId: incident.id,
        actor: 'UX',
        kind: 'note',
        text: 'half-done work',
      });
      throw new UserError('No such step.');
    });
    await expect(failing).rejects.toMatchObject({ name: 'UserError', message: 'No such step.' });
    expect(await port.timeline.list(incident.id)).toEqual([]);
  });
});
