import type { Incident } from '../../../src/domain/incident.ts';
import type { StoreKind, storeDatabases } from '../../support/storeDatabases.ts';
import { manualClock } from '../helpers.ts';

/** A fresh store of `kind` on a manual clock at 2026-11-22 10:00 UTC, as each contract test starts. */
export async function openStore(databases: ReturnType<typeof storeDatabases>, kind: StoreKind) {
  const clock = manualClock('2026-11-22T10:00:00.000Z');
  const store = await (await databases.fresh(kind)).open(clock.now);
  return { clock, store };
}

/** The same, with one P1 incident declared from `source` for the records under test to belong to. */
export async function openWithIncident(
  databases: ReturnType<typeof storeDatabases>,
  kind: StoreKind,
  source: Incident['source'],
) {
  const opened = await openStore(databases, kind);
  const incident = await opened.store.incidents.create({
    title: 'A',
    severity: 'P1',
    declaredBy: 'U1',
    source,
  });
  return { ...opened, incident };
}
