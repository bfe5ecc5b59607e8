import type { AllMiddlewareArgs, RespondFn, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { type IncidentCommand, parseIncidentCommand, subcommandOf } from '../../../domain/command.ts';
import type { Incident } from '../../../domain/incident.ts';
import { UserError } from '../../../services/incidentService.ts';
import { type ReloadResult, RunbookSetError } from '../../../services/runbookSet.ts';
import { IncidentAccess, privateRefusal } from '../../access.ts';
import { followupAdded, statsMessage } from '../../blocks/aftermath.ts';
import { catchupMessage } from '../../blocks/catchup.ts';
import { addStepModal } from '../../blocks/courseModals.ts';
import { timelineOneMessage } from '../../blocks/largeTimeline.ts';
import { declareModal } from '../../blocks/modals.ts';
import { channel as channelLink, escapeMrkdwn } from '../../blocks/mrkdwn.ts';
import { incidentList, pickIncident, runbookSearch, usage, usageError } from '../../blocks/replies.ts';
import type { Message } from '../../workflow.ts';
import type { Actor, ListenerDeps } from '../deps.ts';
import { refusalsTo } from '../guard.ts';
import { openExecBrief, openStatusUpdate } from '../updateModals.ts';
import { runDoctorCommand } from './doctor.ts';

/** `/incident list` reads this many (the oldest) and counts the rest, so its ack costs the same at any size. */
const LIST_LIMIT = 50;
/** Slack's most options in one static select: more would be read for nothing. */
const PICK_LIMIT = 100;

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type Targeted = Extract<IncidentCommand, { incidentId: number | null }>;

/** `/incident ...`: parse, ack at once (usage errors go back in the ack), then do the work. */
export function incidentCommand(deps: ListenerDeps) {
  return async ({ command, ack, client, respond }: Args): Promise<void> => {
    const parsed = parseIncidentCommand(command.text);
    const reply = replier(respond);
    switch (parsed.kind) {
      case 'invalid':
        return ack({ response_type: 'ephemeral', ...usageError(parsed.error, subcommandOf(command.text)) });
      case 'help':
        return ack({ response_type: 'ephemeral', ...usage() });
      case 'list': {
        const { incidents, total } = await deps.service.openPage(LIST_LIMIT);
        const options = { canSee: canSee(command.user_id, command.channel_id) };
        return ack({ response_type: 'ephemeral', ...incidentList(incidents, deps.now(), options, total) });
      }
      case 'runbooks': {
        const { catalog } = deps.runbooks();
        // No keyword: the whole index, like a runbook README's "search keywords" table.
        const hits = parsed.query.trim()
          ? catalog.search(parsed.query)
          : catalog.runbooks.map((runbook) => ({ runbook, score: 0, matched: [] }));
        return ack({ response_type: 'ephemeral', ...runbookSearch(parsed.query, hits) });
      }
      case 'runbooks-reload':
        return reloadRunbooks(deps, ack, command.user_id);
      case 'doctor':
        return runDoctorCommand(deps, ack, reply, command.user_id);
      case 'declare-modal': {
        await ack();
        const runbooks = deps.runbooks().catalog.runbooks.map((r) => ({ id: r.id, title: r.title }));
        await client.views.open({
          trigger_id: command.trigger_id,
          view: declareModal({ runbooks, channelId: command.channel_id }),
        });
        return;
      }
      case 'declare': {
        await ack({ response_type: 'ephemeral', text: `Declaring a ${parsed.severity} incident…` });
        try {
          // The reply is a durable job too: if Slack is down it arrives once the channel opens.
          await deps.declare.run(
            {
              title: parsed.title,
              severity: parsed.severity,
              runbookId: parsed.runbookId,
              declaredBy: command.user_id,
              source: 'slash',
            },
            (id) => ({
              via: 'response_url',
              url: command.response_url,
              user: command.user_id,
              lead: `Incident #${id} declared`,
            }),
          );
        } catch (error) {
          await reply(errorText(error, deps));
        }
        return;
      }
      case 'stats':
        return ack({
          response_type: 'ephemeral',
          ...statsMessage(await deps.postmortems.stats(parsed.days), parsed.days),
        });
      case 'drill': {
        await ack({ response_type: 'ephemeral', text: `Starting a drill of ${parsed.runbookId}…` });
        try {
          await startDrill(deps, parsed.runbookId, { user: command.user_id, reply });
        } catch (error) {
          await reply(errorText(error, deps));
        }
        return;
      }
      default: {
        const incidentId =
          parsed.incidentId ?? (await deps.service.forChannel(command.channel_id))?.id ?? null;
        if (incidentId === null) {
          // Outside an incident channel the command needs a target: offer the open incidents.
          const visibility = { canSee: canSee(command.user_id, command.channel_id) };
          return ack({
            response_type: 'ephemeral',
            ...pickIncident(await deps.service.listOpen(PICK_LIMIT), command.text, visibility),
          });
        }
        await ack();
        try {
          // The forms need the command's trigger_id, which only this request has.
          if (parsed.kind === 'update')
            return await openStatusUpdate(deps, client, command.trigger_id, incidentId);
          if (parsed.kind === 'exec')
            return await openExecBrief(deps, client, command.trigger_id, incidentId);
          if (parsed.kind === 'step-add-modal' && (await mayAct(deps, incidentId, command.user_id)))
            return void (await client.views.open({
              trigger_id: command.trigger_id,
              view: addStepModal(await deps.service.get(incidentId)),
            }));
          await runTargeted(deps, parsed, incidentId, { user: command.user_id, reply });
        } catch (error) {
          await reply(errorText(error, deps));
        }
      }
    }
  };
}

/**
 * Who may see a private incident's title in a list: its declarer and commander, and anyone asking from
 * inside its channel (Slack only lets members in). Everyone else sees "a private incident".
 */
function canSee(userId: string, channelId: string) {
  return (incident: Incident): boolean =>
    !incident.private ||
    incident.channelId === channelId ||
    incident.declaredBy === userId ||
    incident.commanderId === userId;
}

/** Runs a subcommand that acts on one incident; also used when the user picks the incident from a list. */
export async function runTargeted(
  deps: ListenerDeps,
  parsed: Targeted,
  incidentId: number,
  actor: Actor,
): Promise<void> {
  // Only members act on a private incident; the refusal names nothing of it.
  if (!(await mayAct(deps, incidentId, actor.user))) return actor.reply(privateRefusal(incidentId));
  const { user } = actor;
  switch (parsed.kind) {
    case 'status':
      return refusalsTo(actor, () =>
        deps.changes.status({ incidentId, status: parsed.status, note: parsed.note, actor: user }),
      );
    case 'severity':
      return refusalsTo(actor, () =>
        deps.changes.severity({ incidentId, severity: parsed.severity, actor: user }),
      );
    case 'commander':
      return refusalsTo(actor, () =>
        deps.changes.commander({ incidentId, userId: parsed.userId, actor: user }),
      );
    case 'resolve':
      return refusalsTo(actor, () => deps.resolve.run({ incidentId, note: parsed.note, actor: user }));
    case 'timeline': {
      const { incident, entries, posted } = await deps.aftermath.timeline(incidentId);
      return posted ? undefined : actor.reply(timelineOneMessage(incident, entries));
    }
    case 'runbook':
      return deps.course.switchRunbook({ incidentId, runbookId: parsed.runbookId, actor: actor.user });
    case 'step-add':
      return void (await deps.course.addStep({
        incidentId,
        title: parsed.title,
        checks: parsed.checks,
        actor: actor.user,
      }));
    case 'assign':
      return void (await deps.course.assignNumber({
        incidentId,
        number: parsed.stepNumber,
        assignee: parsed.userId,
        actor: actor.user,
      }));
    case 'catchup':
      return actor.reply(catchupMessage(await deps.catchup.of(incidentId)));
    case 'step-add-modal':
      return actor.reply(
        `Run /incident step add #${incidentId} <title> | <check>, or run /incident step add in the incident's channel to open the form.`,
      );
    case 'update':
    case 'exec':
      return actor.reply(
        `Run /incident ${parsed.kind} #${incidentId} (or run it in the incident's channel) to open the form.`,
      );
    case 'postmortem': {
      // No channel of its own to attach a file to: the draft goes to the person who asked.
      const draft = await deps.aftermath.draftPostmortem(incidentId, user);
      return draft === null ? undefined : actor.reply(draft.slice(0, 39_000));
    }
    case 'postmortem-done':
      return deps.aftermath.closePostmortem(incidentId, parsed.link, user);
    case 'followup': {
      const { text, ownerId, dueDate } = parsed;
      const added = await deps.aftermath.addFollowup({ incidentId, text, ownerId, dueDate, actor: user });
      return added.posted ? undefined : actor.reply(followupAdded(added.followup));
    }
  }
}

async function mayAct(deps: ListenerDeps, incidentId: number, user: string): Promise<boolean> {
  const incident = await deps.service.get(incidentId);
  return deps.access
    ? deps.access.allows(incident, user)
    : !incident.private || IncidentAccess.named(incident, user);
}

async function reloadRunbooks(deps: ListenerDeps, ack: Args['ack'], userId: string): Promise<void> {
  if (!(await mayReload(deps, userId))) {
    return ack({
      response_type: 'ephemeral',
      text:
        'Only a bot admin (`admins:` in policy.yml) or the commander of an open incident can reload the runbooks. ' +
        "Ask one of them, or send SIGHUP to the bot's process.",
    });
  }
  try {
    await ack({ response_type: 'ephemeral', text: reloadReport(deps.reload()) });
  } catch (error) {
    await ack({
      response_type: 'ephemeral',
      text: `Reload failed; the previous runbooks stay in use.\n${errorText(error, deps)}`,
    });
  }
}

/** Starts a drill of a runbook (the use case) and tells the one who asked where it runs. */
export async function startDrill(deps: ListenerDeps, runbookId: string, actor: Actor): Promise<void> {
  const incident = await deps.declare.drill(runbookId, actor.user);
  const where = incident.channelId ? channelLink(incident.channelId) : 'your DM';
  await actor.reply(`Drill #${incident.id} of ${runbookId} started: ${where}`);
}

export function replier(respond: RespondFn) {
  return async (message: Message | string): Promise<void> => {
    await respond(
      typeof message === 'string'
        ? { response_type: 'ephemeral', text: message }
        : { response_type: 'ephemeral', ...message },
    );
  };
}

/** A UserError is the user's to fix and is shown as it is; anything else is logged and summarised. */
export function errorText(error: unknown, deps: ListenerDeps): string {
  if (error instanceof UserError) return error.message;
  if (error instanceof RunbookSetError) return error.message;
  deps.log.error({ err: error }, 'incident command failed');
  return 'Something went wrong on our side; it is logged. Try again, and tell the bot admins if it persists.';
}

/** Reloading changes what every responder sees mid-incident, so it is not for everyone. */
async function mayReload(deps: ListenerDeps, userId: string): Promise<boolean> {
  if (deps.runbooks().policy.admins?.includes(userId)) return true;
  return (await deps.service.listOpen()).some((incident) => incident.commanderId === userId);
}

/** At most this many problems are listed in the reply; the log line has them all. */
const MAX_PROBLEMS_SHOWN = 15;

function reloadReport(result: ReloadResult): string {
  const head = `Reloaded ${result.set.catalog.runbooks.length} runbooks and the policy.`;
  if (result.problems.length === 0) return head;
  const kept = result.kept.length
    ? `\nThese broken files keep their previous version: ${result.kept.map((f) => `\`${escapeMrkdwn(f)}\``).join(', ')}.`
    : '';
  const shown = result.problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `• ${escapeMrkdwn(p)}`);
  const more =
    result.problems.length > shown.length
      ? `\n…and ${result.problems.length - shown.length} more (see the log)`
      : '';
  return `${head}\n⚠️ ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} to fix, then reload again:${kept}\n${shown.join('\n')}${more}`;
}
