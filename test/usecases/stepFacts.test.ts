import { describe, expect, it } from 'vitest';
import type { IncidentStep } from '../../src/domain/steps.ts';
import { UserError } from '../../src/services/outcomes.ts';
import { type StepUseCaseDeps, StepUseCases } from '../../src/usecases/stepChanged.ts';

/** Use cases over a store of one step (id 7) that counts its reads; other ids do not exist. */
function withOneStep() {
  const reads: number[] = [];
  const step = {
    id: 7,
    incidentId: 3,
    section: 'step',
    state: 'active',
    chosenOption: null,
    warnings: [],
    options: [],
    checks: [{ position: 0, text: 'Pool below 80%', checked: false }],
  } as unknown as IncidentStep;
  const incidents = {
    step: async (id: number) => {
      reads.push(id);
      if (id !== 7) throw new UserError(`There is no step ${id}.`);
      return step;
    },
  } as unknown as StepUseCaseDeps['incidents'];
  const useCases = new StepUseCases({ incidents } as unknown as StepUseCaseDeps);
  return { useCases, reads };
}

describe('StepUseCases.stepFacts', () => {
  it('reads a step once and keeps only what never changes of it', async () => {
    const { useCases, reads } = withOneStep();
    const first = await useCases.stepFacts(7);
    const again = await useCases.stepFacts(7);
    expect(reads).toEqual([7]);
    expect(again).toBe(first);
    expect(first).toEqual({ id: 7, incidentId: 3, section: 'step', warnings: [], options: [] });
  });

  it('keeps nothing for a step that does not exist: the next click asks again and is told again', async () => {
    const { useCases, reads } = withOneStep();
    await expect(useCases.stepFacts(8)).rejects.toThrow('There is no step 8.');
    await expect(useCases.stepFacts(8)).rejects.toThrow('There is no step 8.');
    expect(reads).toEqual([8, 8]);
  });
});
