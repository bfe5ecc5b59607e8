import { errorText } from '../commands/incident.ts';
import type { ListenerDeps } from '../deps.ts';
import { type ActionArgs, actorOf } from './context.ts';

/** `<id>:<rest>` as the numeric ID and the rest (an option key, a phase key, a jump index). */
export function splitValue(action: ActionArgs['action']): { id: number; rest: string } | null {
  const value = 'value' in action ? (action.value ?? '') : '';
  const match = /^(\d+):(.{1,200})$/.exec(value);
  if (!match) return null;
  return { id: Number(match[1]), rest: match[2] ?? '' };
}

/** A click must come from the incident's own channel; anything else is a forged or misrouted payload. */
function fromIncidentChannel(args: ActionArgs, channelId: string | null): boolean {
  return channelId !== null && args.body.channel?.id === channelId;
}

const ELSEWHERE = 'That belongs to another incident channel: act on it there.';

type Actor = ReturnType<typeof actorOf>;

/** Acks, then runs the click; whatever goes wrong is said to the one who clicked. */
function guarded(deps: ListenerDeps, run: (args: ActionArgs, actor: Actor) => Promise<void>) {
  return async (args: ActionArgs): Promise<void> => {
    await args.ack();
    const actor = actorOf(deps, args.body);
    try {
      await run(args, actor);
    } catch (error) {
      await actor.reply(errorText(error, deps));
    }
  };
}

/** "Choose A: ..." on a step's alternatives: records the choice and shows the chosen option's commands. */
export function chooseOption(deps: ListenerDeps) {
  return guarded(deps, async (args, actor) => {
    const target = splitValue(args.action);
    if (!target) return;
    await deps.stepUseCases.assertLive(target.id);
    const incident = await deps.service.get((await deps.service.step(target.id)).incidentId);
    if (!fromIncidentChannel(args, incident.channelId)) return actor.reply(ELSEWHERE);
    await deps.stepUseCases.chooseOption({ stepId: target.id, key: target.rest, actor: actor.user });
  });
}

/** "Go to step N": finishes this step, skips the ones in between, and posts step N. */
export function takeJump(deps: ListenerDeps) {
  return guarded(deps, async (args, actor) => {
    const target = splitValue(args.action);
    const index = Number(target?.rest);
    if (!target || !Number.isInteger(index)) return;
    await deps.stepUseCases.assertLive(target.id);
    const incident = await deps.service.get((await deps.service.step(target.id)).incidentId);
    if (!fromIncidentChannel(args, incident.channelId) || !incident.channelId) return actor.reply(ELSEWHERE);
    await deps.stepUseCases.takeJump({ stepId: target.id, index, actor: actor.user });
  });
}

/** Which procedure applies: the prompt becomes the answer, and the chosen procedure's first step is posted. */
export function choosePhase(deps: ListenerDeps) {
  return guarded(deps, async (args, actor) => {
    const target = splitValue(args.action);
    if (!target) return;
    const incident = await deps.service.get(target.id);
    if (!fromIncidentChannel(args, incident.channelId) || !incident.channelId) return actor.reply(ELSEWHERE);
    const choice = { incidentId: incident.id, phase: target.rest, actor: actor.user };
    await deps.stepUseCases.choosePhase(choice, args.body.message?.ts ?? null);
  });
}
