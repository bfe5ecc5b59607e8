import type { Logger } from '../log.ts';
import type { ChatPort } from './ports/chat.ts';
import type { StoreRepositories } from './ports/store.ts';

export interface RecoveryDeps {
  store: Pick<StoreRepositories, 'incidents'>;
  chat: Pick<ChatPort, 'queueOpen'>;
  log: Logger;
}

/**
 * Start-up recovery: incidents declared by hand whose channel was never opened (the process died
 * mid-declare) get their opening queued now, once. Paged incidents are left to the inbox worker, which
 * replays their delivery. Returns the incidents whose opening was queued.
 */
export async function finishInterruptedDeclares(deps: RecoveryDeps): Promise<number[]> {
  const queued: number[] = [];
  for (const incident of await deps.store.incidents.listOpen()) {
    if (incident.channelId || (incident.source !== 'slash' && incident.source !== 'modal')) continue;
    if ((await deps.chat.queueOpen(incident)) === 0) continue;
    queued.push(incident.id);
    deps.log.warn(
      { incident: incident.id },
      'queued the opening of an incident whose declaration a restart interrupted',
    );
  }
  return queued;
}
