import type { IncidentStatus } from './incidentState.ts';

/** A status-page update's fields: what the form is prefilled with, and what posting it takes. */
export interface UpdatePrefill {
  status: IncidentStatus;
  impact: string;
  action: string;
  nextUpdateAt: Date;
}

/** An executive brief's fields: what the form is prefilled with, and what posting it takes. */
export interface BriefPrefill {
  situation: string;
  cause: string;
  action: string;
  eta: string;
  impact: string;
  nextUpdateAt: Date;
}

/** What the status page will get from an update (see src/integrations/statuspageText.ts). */
export interface StatuspagePreview {
  name: string;
  status: IncidentStatus;
  body: string;
  components: string[];
}

/**
 * Why an update stays in the incident's own channel: a drill must never reach the real status or
 * executive audience, and a private incident's details must not leak. null: it goes out.
 */
export type KeptInChannel = 'drill' | 'private' | null;

export function keptInChannel(incident: { drill: boolean; private: boolean }): KeptInChannel {
  if (incident.drill) return 'drill';
  return incident.private ? 'private' : null;
}
