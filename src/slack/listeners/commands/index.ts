import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../incidentFlows.ts';
import { incidentCommand } from './incident.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.command('/incident', incidentCommand(deps));
}
