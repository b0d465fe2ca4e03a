/**
 * The current size against the recommendation, as a CI gate reads it: within, beyond or
 * uncertain, on the strategy's own metric.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeTuning, type PowerValueSummary } from '../../domain/analysis.js';
import { currentRegression } from '../../domain/current-regression.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import { validateInput } from '../../domain/validate.js';
import { createRng } from '../support/prng.js';
import { warmInvocation as ok } from '../support/summaries.js';

const sized = (power: number, mean: number, seed: number, sd = 0.02): PowerValueSummary => {
  const rng = createRng(seed);
  return {
    power,
    summary: summariseInvocations(Array.from({ length: 40 }, () => ok(mean * Math.exp(sd * rng.normal())))),
  };
};

function output(strategy: 'cost' | 'speed' | 'balanced', results: PowerValueSummary[]) {
  const config = validateInput({
    lambdaARN: 'fn',
    num: 40,
    powerValues: results.map((r) => r.power),
    strategy,
  });
  return analyzeTuning({ config, functionName: 'fn', region: 'us-east-1', architecture: 'x86_64', results });
}

describe('currentRegression', () => {
  // CPU-bound: 1024 MB half as fast as 2048 MB at the same cost; 4096 MB no faster, twice the cost.
  const results = [sized(1024, 400, 1), sized(2048, 200, 2), sized(4096, 200, 3)];

  it('a current size far dearer than the recommendation is beyond a 10% allowance', () => {
    const out = output('cost', results);
    const r = currentRegression(out, 4096, 0.1)!;
    assert.ok([1024, 2048].includes(r.recommendedPower));
    assert.ok(r.regression.estimate > 0.8 && r.regression.lower > 0.1, JSON.stringify(r.regression));
    assert.equal(r.verdict, 'beyond');
  });

  it('the recommended size itself is within any allowance', () => {
    const out = output('speed', results);
    const r = currentRegression(out, out.power!, 0)!;
    assert.deepEqual(r.regression, { estimate: 0, lower: 0, upper: 0 });
    assert.equal(r.verdict, 'within');
  });

  it('speed: a size twice as slow is beyond 10%; within 150%', () => {
    const out = output('speed', results);
    assert.equal(currentRegression(out, 1024, 0.1)?.verdict, 'beyond');
    assert.equal(currentRegression(out, 1024, 1.5)?.verdict, 'within');
  });

  it('noisy figures straddling the allowance are uncertain, not a verdict', () => {
    const noisy = [sized(1024, 210, 4, 0.3), sized(2048, 200, 5, 0.3)];
    const out = output('speed', noisy);
    const r = currentRegression(out, out.power === 1024 ? 2048 : 1024, 0.05)!;
    assert.ok(r.regression.lower < 0.05 && r.regression.upper > 0.05, JSON.stringify(r.regression));
    assert.equal(r.verdict, 'uncertain');
  });

  it('is undefined when the current size was not measured', () => {
    assert.equal(currentRegression(output('cost', results), 512, 0.1), undefined);
  });
});
