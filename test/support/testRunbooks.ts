import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_BOT, type FakeSlackOptions } from './fakeSlack.ts';

export const ANNOUNCE = 'C0ANNOUNCE';
export const ESCALATIONS = 'C0ESCALATE';
export const GENERAL = 'C0GENERAL1';
export const IC = 'U0COMMAND1';
export const ONCALL = ['U0ONCALL01', 'U0ONCALL02'];
export const LEADS = ['U0LEAD0001'];
export const DECLARER = 'U0DECLARE1';
export const OTHER = 'U0RESPOND1';

/** The fake Slack workspace TEST_POLICY names: its channels (the bot in announce and escalations) and groups. */
export const TEST_WORKSPACE: FakeSlackOptions = {
  channels: [
    { id: ANNOUNCE, name: 'incidents', members: [FAKE_BOT.userId] },
    { id: ESCALATIONS, name: 'escalations', members: [FAKE_BOT.userId] },
    { id: GENERAL, name: 'general' },
  ],
  usergroups: { S0ONCALL01: ONCALL, S0LEADS001: LEADS },
};

/** The shipped runbooks with a policy whose people, groups and channels exist in the fake Slack. */
export const TEST_POLICY = `
timezone: UTC
channels: { announce: ${ANNOUNCE}, status: C0STATUS01, executive: C0EXECUTIV, escalation: ${ESCALATIONS} }
severities:
  P0: { name: Critical, meaning: down, response_time: 5m, update_every: 15m, executive_brief: true, escalate_after: 30m, escalate_to: leadership,
        team: { incident_commander: { users: [${IC}] }, root_cause: { groups: [S0ONCALL01, S0LEADS001] } } }
  P1: { name: High, meaning: major, response_time: 1h, update_every: 30m, escalate_after: 2h, escalate_to: leadership,
        team: { incident_commander: { users: [${IC}] }, root_cause: { groups: [S0ONCALL01] } } }
  P2: { name: Medium, meaning: minor, response_time: 4h, update_every: 2h, escalate_after: next_business_day, escalate_to: leadership,
        team: { root_cause: { groups: [S0ONCALL01] } } }
  P3: { name: Low, meaning: cosmetic, response_time: 2d, update_every: none, escalate_after: none, escalate_to: null }
targets:
  leadership: { label: Leadership, users: [${LEADS[0]}], groups: [S0LEADS001] }
  legal: { label: Legal, users: [U0LEGAL001] }
conditions:
  data_breach: { label: Data breach suspected, escalate_to: [legal] }
`;

export function runbooksDir(policy = TEST_POLICY): string {
  const dir = mkdtempSync(join(tmpdir(), 'incident-bot-runbooks-'));
  for (const file of readdirSync('runbooks'))
    if (file.endsWith('.md')) copyFileSync(join('runbooks', file), join(dir, file));
  writeFileSync(join(dir, 'policy.yml'), policy);
  return dir;
}
