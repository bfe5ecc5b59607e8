import type { AlertSource } from '../domain/incident.ts';
import type { IntakeSource } from './alert.ts';
import { alertmanager } from './alertmanager.ts';
import { generic } from './generic.ts';
import { pagerduty } from './pagerduty.ts';

/** Every source, by the name in its route (`POST /webhooks/<name>`) and in the inbox. */
export const SOURCES: Record<AlertSource, IntakeSource<unknown>> = {
  alertmanager: alertmanager as IntakeSource<unknown>,
  pagerduty: pagerduty as IntakeSource<unknown>,
  generic: generic as IntakeSource<unknown>,
};
