import type { RecordedCall } from './fakeSlack.ts';

/**
 * The longest chain of Slack calls ending at `last` in which each call started only after the one before
 * it was answered: how many sequential round trips `last` waited for (itself included).
 */
export function sequentialRoundTrips(
  calls: readonly RecordedCall[],
  last: RecordedCall,
): { depth: number; chain: string[] } {
  const memo = new Map<RecordedCall, { depth: number; chain: string[] }>();
  const of = (call: RecordedCall): { depth: number; chain: string[] } => {
    const hit = memo.get(call);
    if (hit) return hit;
    let best = { depth: 0, chain: [] as string[] };
    for (const before of calls) {
      if (before === call || before.answeredAt === undefined || before.answeredAt > call.at) continue;
      const found = of(before);
      if (found.depth > best.depth) best = found;
    }
    const result = { depth: best.depth + 1, chain: [...best.chain, call.method] };
    memo.set(call, result);
    return result;
  };
  return of(last);
}
