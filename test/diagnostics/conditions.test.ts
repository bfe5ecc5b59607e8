import { describe, expect, it } from 'vitest';
import {
  ConditionError,
  decisionProblem,
  evaluateDecision,
  evaluateThreshold,
  parseCondition,
  thresholdProblem,
} from '../../src/domain/conditions.ts';

const one = (value: number) => [{ value }];
const urls = [
  { name: 'a', status: 200, latency: 120, ready: true, unreachable: false },
  { name: 'b', status: 503, latency: 800, ready: false, unreachable: false },
  { name: 'c', status: null, latency: null, ready: false, unreachable: true },
];

describe('thresholds', () => {
  it('compares the value', () => {
    expect(evaluateThreshold(parseCondition('>= 90'), one(90))).toBe(true);
    expect(evaluateThreshold(parseCondition('>= 90'), one(89.9))).toBe(false);
    expect(evaluateThreshold(parseCondition('< 0.5'), one(0.25))).toBe(true);
    expect(evaluateThreshold(parseCondition('!= 0'), one(0))).toBe(false);
  });

  it('reads fields, units and quantifiers over items', () => {
    expect(evaluateThreshold(parseCondition('latency > 500ms'), urls)).toBe(true);
    expect(evaluateThreshold(parseCondition('latency > 1s'), urls)).toBe(false);
    expect(evaluateThreshold(parseCondition('any unreachable'), urls)).toBe(true);
    expect(evaluateThreshold(parseCondition('all ready'), urls)).toBe(false);
    expect(evaluateThreshold(parseCondition('not all ready'), urls)).toBe(true);
    expect(evaluateThreshold(parseCondition('none unreachable'), urls.slice(0, 2))).toBe(true);
    expect(evaluateThreshold(parseCondition('status >= 500 and not any unreachable'), urls)).toBe(false);
    expect(evaluateThreshold(parseCondition('(status >= 500 or latency > 2s) and any ready'), urls)).toBe(
      true,
    );
  });

  it('never matches a missing or non-numeric field', () => {
    expect(evaluateThreshold(parseCondition('latency < 10000'), [{ latency: null }])).toBe(false);
    expect(evaluateThreshold(parseCondition('all ready'), [])).toBe(false);
  });

  it('rejects anything that is not the grammar, naming the position', () => {
    for (const bad of [
      'process.exit(1)',
      '>= 90; rm -rf /',
      'value >=',
      '>= ninety',
      '(value > 1',
      'constructor.constructor("return 1")()',
      '',
      'a == critical',
    ]) {
      expect(thresholdProblem(bad), bad).not.toBeNull();
    }
    expect(() => parseCondition('value > 1 )')).toThrow(ConditionError);
    expect(thresholdProblem('latency > 500ms')).toBeNull();
  });
});

describe('decisions', () => {
  const statuses = { pool_usage: 'critical', http_api: 'warning', logs: 'healthy' } as const;

  it('evaluates status comparisons with and/or/not and status order', () => {
    expect(evaluateDecision(parseCondition('pool_usage == critical and http_api != healthy'), statuses)).toBe(
      true,
    );
    expect(evaluateDecision(parseCondition('pool_usage == critical and http_api == healthy'), statuses)).toBe(
      false,
    );
    expect(evaluateDecision(parseCondition('logs >= warning or http_api >= warning'), statuses)).toBe(true);
    expect(evaluateDecision(parseCondition('not logs == healthy'), statuses)).toBe(false);
  });

  it('treats a check that did not run as an error, never healthy', () => {
    expect(evaluateDecision(parseCondition('missing == healthy'), statuses)).toBe(false);
    expect(evaluateDecision(parseCondition('missing >= critical'), statuses)).toBe(true);
  });

  it('validates names against the checks', () => {
    expect(decisionProblem('pool_usage == critical', ['pool_usage'])).toBeNull();
    expect(decisionProblem('pool == critical', ['pool_usage'])).toMatch(/no check "pool"/);
    expect(decisionProblem('pool_usage > 90', ['pool_usage'])).toMatch(/statuses/);
    expect(decisionProblem('pool_usage == on fire', ['pool_usage'])).not.toBeNull();
  });
});
