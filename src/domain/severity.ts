import { z } from 'zod';

/** P0 is the worst. Runbooks, the policy, commands and incidents all speak this one scale. */
export const SeveritySchema = z.enum(['P0', 'P1', 'P2', 'P3']);
export type Severity = z.infer<typeof SeveritySchema>;
