import { z } from 'zod';

/** Durations as written in runbooks and policy.yml: `90s`, `15m`, `2h`, `2d`. */
export const DURATION_PATTERN = /^(\d+)\s*(s|m|h|d)$/;
export const DurationSchema = z
  .string()
  .trim()
  .regex(DURATION_PATTERN, 'a duration such as 90s, 15m, 2h or 2d');
