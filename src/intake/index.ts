import type { AlertSource } from '../domain/incident.ts';
import type { InboxItem } from '../domain/records.ts';
import type { Logger } from '../log.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import type { StorePort } from '../usecases/ports/store.ts';
import type { NormalizedAlert } from './alert.ts';
import { AlertProcessor, type PageSink } from './processor.ts';
import { TokenBucket } from './tokenBucket.ts';
import { InboxWorker } from './worker.ts';

export type { NormalizedAlert } from './alert.ts';
export { AlertProcessor, type PageSink, STORM_KEY, type StormJoin } from './processor.ts';
export { MAX_BODY_BYTES, webhookRoutes } from './routes.ts';
export { TokenBucket } from './tokenBucket.ts';
export { InboxWorker } from './worker.ts';

/** Slack's Tier 2 rate for conversations.create; a burst of 10 opens the first incidents at once. */
export const DEFAULT_CHANNEL_RATE = { perMinute: 20, capacity: 10 };

export interface IntakeOptions {
  store: StorePort;
  service: IncidentService;
  runbooks: () => RunbookSet;
  sink: PageSink;
  botUserId: string;
  log: Logger;
  now?: () => Date;
  /** conversations.create pacing; tests and benchmarks pass a fast one (or their own bucket, or the bot's shared budget). */
  channelRate?: { perMinute: number; capacity: number } | { take(): Promise<void> };
  retryEveryMs?: number;
  /** How long a claimed page is this replica's; one that dies holding it leaves it to another then. */
  leaseMs?: number;
  onFailed?: (item: InboxItem) => void;
  onDeduplicated?: (source: AlertSource) => void;
}

export interface Intake {
  worker: InboxWorker;
  processor: AlertProcessor;
  /** A new page was stored: its parsed alerts go to the processor and the worker wakes at once. */
  accepted(page: { id: number; alerts: readonly NormalizedAlert[] }): void;
}

/** The page pipeline after the HTTP route: inbox worker -> processor -> Slack sink, paced. */
export function createIntake(options: IntakeOptions): Intake {
  const now = options.now ?? (() => new Date());
  const rate = options.channelRate ?? DEFAULT_CHANNEL_RATE;
  const bucket = 'take' in rate ? rate : new TokenBucket(rate);
  const processor = new AlertProcessor({
    store: options.store,
    service: options.service,
    runbooks: options.runbooks,
    sink: options.sink,
    pace: () => bucket.take(),
    botUserId: options.botUserId,
    now,
    log: options.log,
    ...(options.onDeduplicated ? { onDeduplicated: options.onDeduplicated } : {}),
  });
  const worker = new InboxWorker({
    inbox: options.store.inbox,
    process: (item) => processor.process(item),
    afterBatch: () => processor.flush(),
    log: options.log,
    now,
    ...(options.retryEveryMs ? { retryEveryMs: options.retryEveryMs } : {}),
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    ...(options.onFailed ? { onFailed: options.onFailed } : {}),
  });
  return {
    worker,
    processor,
    accepted: (page) => {
      processor.handOver(page.id, page.alerts);
      worker.kick();
    },
  };
}
