import type { WebClient } from '@slack/web-api';
import type { Policy } from '../domain/policy.ts';
import { slackErrorCode } from '../slack/errors.ts';
import { isPlaceholder, policyIds, withLine } from './policyIds.ts';
import type { DoctorCheck } from './types.ts';

/** The policy's channels: each must exist and have the bot in it, or posts there fail mid-incident. */
export async function channelChecks(client: WebClient, policy: Policy): Promise<DoctorCheck[]> {
  const byName = new Map<string, { id: string; isMember: boolean }>();
  // The weekly review's channel (policy review.channel), when it is not one of the four already checked.
  const review = policy.review?.channel;
  const channels: Record<string, string> =
    review && !Object.values(policy.channels).includes(review)
      ? { ...policy.channels, review }
      : { ...policy.channels };
  const needsList = Object.values(channels).some((c) => c.startsWith('#'));
  if (needsList) {
    let cursor: string | undefined;
    do {
      const page = await client.conversations.list({
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      for (const ch of page.channels ?? [])
        if (ch.name && ch.id) byName.set(ch.name, { id: ch.id, isMember: ch.is_member === true });
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
  }
  const checks: DoctorCheck[] = [];
  for (const [role, ref] of Object.entries(channels)) {
    const key = role === 'review' ? 'review.channel' : `channels.${role}`;
    const name = `${role} channel`;
    let found: { id: string; isMember: boolean } | undefined;
    if (ref.startsWith('#')) found = byName.get(ref.slice(1));
    else {
      try {
        const info = await client.conversations.info({ channel: ref });
        if (info.channel?.id) found = { id: info.channel.id, isMember: info.channel.is_member === true };
      } catch {
        found = undefined;
      }
    }
    if (!found)
      checks.push({
        name,
        ok: false,
        detail: `${ref} not found`,
        fix: `create ${ref}, or fix ${key} in policy.yml`,
      });
    else if (!found.isMember)
      checks.push({
        name,
        ok: false,
        detail: `${ref} exists but the bot is not in it`,
        fix: `invite the bot: /invite @Incident Bot in ${ref}`,
      });
    else checks.push({ name, ok: true, detail: `${ref} exists and the bot is in it` });
  }
  return checks;
}

export async function groupChecks(
  client: WebClient,
  policy: Policy,
  policySource: string,
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const group of policyIds(policy).groups) {
    try {
      const members = await client.usergroups.users.list({ usergroup: group });
      const count = members.users?.length ?? 0;
      checks.push(
        count
          ? { name: `user group ${group}`, ok: true, detail: `${count} member(s)` }
          : {
              name: `user group ${group}`,
              ok: false,
              detail: 'has no members: inviting it invites nobody',
              fix: `add people to ${group}, or remove it from policy.yml`,
            },
      );
    } catch (error) {
      checks.push({
        name: `user group ${group}`,
        ok: false,
        detail: `does not resolve (${slackErrorCode(error)})${placeholderNote(group)}`,
        fix: `replace ${withLine(group, policySource)} in policy.yml with a real user-group ID (usergroups.list shows them)`,
      });
    }
  }
  return checks;
}

function placeholderNote(id: string): string {
  return isPlaceholder(id) ? ': an example ID still in policy.yml' : ': it matches nobody in this workspace';
}

/** Every user policy.yml names must be a member of the workspace: an escalation to nobody is silent. */
export async function userChecks(
  client: WebClient,
  policy: Policy,
  policySource: string,
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const id of policyIds(policy).users) {
    const name = `user ${id}`;
    const fix = `replace ${withLine(id, policySource)} in policy.yml with a real member ID (profile -> "..." -> "Copy member ID")`;
    try {
      const info = await client.users.info({ user: id });
      if (info.user?.deleted)
        checks.push({ name, ok: false, detail: 'is deactivated: nobody gets its pages', fix });
      else checks.push({ name, ok: true, detail: `resolves to @${info.user?.name ?? id}` });
    } catch (error) {
      checks.push({
        name,
        ok: false,
        detail: `does not resolve (${slackErrorCode(error)})${placeholderNote(id)}`,
        fix,
      });
    }
  }
  return checks;
}
