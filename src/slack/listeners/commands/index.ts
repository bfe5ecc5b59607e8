import type { ListenerDeps } from '../deps.ts';
import { guarded } from '../guard.ts';
import type { ListenerRouter } from '../router.ts';
import { incidentCommand } from './incident.ts';

export function register(app: ListenerRouter, deps: ListenerDeps): void {
  app.command('/incident', guarded(deps, 'incidentCommand', incidentCommand(deps)));
}
