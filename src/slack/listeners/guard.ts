import type { AckFn, RespondFn } from '@slack/bolt';
import { UserError } from '../../services/incidentService.ts';
import { RunbookSetError } from '../../services/runbookSet.ts';
import type { Actor, ListenerDeps } from './deps.ts';

/** What the guard reads of any listener's arguments: every Bolt listener has `ack` or `body`. */
interface GuardedArgs {
  ack?: AckFn<never>;
  respond?: RespondFn;
  body: unknown;
}

/** The one who caused the error and where they were, read from the request Slack sent. */
function requester(body: unknown): { user: string | null; channel: string | null } {
  const b = body as {
    user?: { id?: string } | string;
    user_id?: string;
    channel?: { id?: string };
    channel_id?: string;
  };
  const user = typeof b.user === 'string' ? b.user : (b.user?.id ?? b.user_id ?? null);
  return { user, channel: b.channel?.id ?? b.channel_id ?? null };
}

/** A refusal the user can act on (its message says what to do), as opposed to a defect. */
export function isUserFacing(error: unknown): error is Error {
  return error instanceof UserError || error instanceof RunbookSetError;
}

async function answer(deps: ListenerDeps, args: GuardedArgs, text: string): Promise<void> {
  const { user, channel } = requester(args.body);
  const body = args.body as { command?: string; response_url?: string };
  // A click is answered privately in the channel where it happened. A slash command is answered through
  // its response_url, which works where the bot is not a member; a modal, in the user's DM with the bot.
  if (user && channel && !body.command) return deps.workflow.ephemeral(channel, user, text);
  if (args.respond && body.response_url) {
    await args.respond({ response_type: 'ephemeral', text });
    return;
  }
  if (user) await deps.workflow.ephemeral(user, user, text);
}

/**
 * Every listener runs inside this. It makes sure Slack gets its ack (a listener that fails before acking
 * would leave the user looking at a spinner and an error), tells the user who caused a UserError what to
 * do, and logs anything else with the listener's name.
 */
export function guarded<A extends GuardedArgs>(
  deps: ListenerDeps,
  name: string,
  listener: (args: A) => Promise<void>,
): (args: A) => Promise<void> {
  return async (args) => {
    let acked = !args.ack;
    const ack = args.ack;
    const tracked = ack
      ? ((async (...ackArgs: Parameters<typeof ack>) => {
          acked = true;
          await ack(...ackArgs);
          // The work after an ack waits for the next turn of the event loop: requests that arrived meanwhile
          // get their acks first, so 50 responders clicking at once do not wait for each other's work.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }) as typeof ack)
      : undefined;
    try {
      await listener(tracked ? { ...args, ack: tracked } : args);
    } catch (error) {
      if (!acked && ack) await ack().catch(() => undefined);
      if (!isUserFacing(error)) {
        deps.log.error({ err: error, listener: name }, 'a Slack listener failed; the user saw no answer');
        return;
      }
      deps.log.info({ listener: name, refusal: error.message }, 'refused');
      await answer(deps, args, error.message).catch((failure: unknown) =>
        deps.log.warn(
          { err: failure, listener: name },
          'could not tell the user why their request was refused',
        ),
      );
    }
  };
}

/**
 * Runs `work`, telling `actor` (rather than the guard's default place) why it was refused: where the
 * person acted, e.g. the incident's channel for a form opened from its header.
 */
export async function refusalsTo(actor: Actor, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    await actor.reply(error.message);
  }
}
