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
export async function finishInterruptedDeclares(deps: RecoveryDeps, pageSize = PAGE): Promise<number[]> {
  const queued: number[] = [];
  // Read in pages of the few incidents concerned, never the whole open list: with 10k open incidents that
  // list alone held some 20 MiB at every start.
  let after = 0;
  for (;;) {
    const page = await deps.store.incidents.listUnopened(after, pageSize);
    for (const incident of page) {
      if ((await deps.chat.queueOpen(incident)) === 0) continue;
      queued.push(incident.id);
      deps.log.warn(
        { incident: incident.id },
        'queued the opening of an incident whose declaration a restart interrupted',
      );
    }
    const last = page.at(-1);
    if (!last || page.length < pageSize) return queued;
    after = last.id;
  }
}

const PAGE = 100;
