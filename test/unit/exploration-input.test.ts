/**
 * The `exploration` input field and what validation plans for "model": the range, the first
 * sizes as the config's powerValues, the default and the least budget, the baseline, the rules across fields (each error naming the field and
 * what it accepts), and the config written back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputErrors } from '../../domain/errors.js';
import {
  defaultExplorationBudget,
  explorationRange,
  gridInvocations64,
  initialSizes,
} from '../../domain/exploration-plan.js';
import { withBaseline } from '../../domain/baseline.js';
import { configToInput, validateInput } from '../../domain/validate.js';

const MODEL = { lambdaARN: 'my-fn', num: 10, exploration: 'model', confidence: 0.95 };

/** The messages of the errors naming `field` (asserting there is one, in the usual form). */
function errorsOn(input: Record<string, unknown>, field: string): string[] {
  try {
    validateInput(input);
  } catch (error) {
    assert.ok(error instanceof InputErrors, String(error));
    const named = error.errors.filter((e) => e.field === field).map((e) => e.message);
    assert.ok(named.length > 0, `no error names "${field}": ${error.message}`);
    for (const m of named) assert.match(m, new RegExp(`^Invalid input "${field}": .+\\. Accepted: .+\\.$`));
    return named;
  }
  assert.fail(`accepted ${JSON.stringify(input)}`);
}

void describe('exploration: the plan', () => {
  void it('searches from the smallest to the largest size given, starting with the first sizes', () => {
    const config = validateInput({ ...MODEL, powerValues: 'ALL' });
    assert.deepEqual(config.exploration, { lowestMb: 128, highestMb: 10240 });
    assert.deepEqual(config.powerValues, initialSizes(128, 10240));
    assert.equal(config.sampling.policy, 'adaptive');
    // A tenth of the 64-MB grid: 159 sizes × 10.
    assert.equal(gridInvocations64({ lowestMb: 128, highestMb: 10240 }, 10), 1590);
    assert.equal(config.sampling.maxInvocations, 159);
    const narrow = validateInput({ ...MODEL, powerValues: [256, 1024, 512] });
    assert.deepEqual(narrow.exploration, { lowestMb: 256, highestMb: 1024 });
    assert.deepEqual(narrow.powerValues, initialSizes(256, 1024));
  });

  void it('gives a narrow range at least twice its first round, so the model can still propose sizes', () => {
    const range = explorationRange([128, 1024]);
    const first = initialSizes(128, 1024).length * 10;
    assert.ok(gridInvocations64(range, 10) / 10 < 2 * first, 'a tenth of the grid would be less');
    assert.equal(defaultExplorationBudget(range, 10), 2 * first);
    assert.equal(validateInput({ ...MODEL, powerValues: [128, 1024] }).sampling.maxInvocations, 2 * first);
  });

  void it('accepts a budget down to the first round, and names the least one below it', () => {
    const first = initialSizes(128, 10240).length * 10;
    assert.equal(
      validateInput({ ...MODEL, powerValues: 'ALL', maxInvocations: first }).sampling.maxInvocations,
      first,
    );
    const [message] = errorsOn({ ...MODEL, powerValues: 'ALL', maxInvocations: first - 1 }, 'maxInvocations');
    assert.match(message as string, new RegExp(`from ${first} `));
  });

  void it('writes back the range and the mode, which validate to the same config', () => {
    const config = validateInput({ ...MODEL, powerValues: [128, 700, 3008] });
    const input = configToInput(config);
    assert.deepEqual(input.powerValues, [128, 3008]);
    assert.equal(input.exploration, 'model');
    const again = validateInput(input);
    assert.deepEqual(again.powerValues, config.powerValues);
    assert.deepEqual(again.exploration, config.exploration);
    assert.deepEqual(configToInput(again), input);
  });

  void it('adds the baseline with its first round to the budget, not a share of the grid', () => {
    const config = validateInput({ ...MODEL, powerValues: 'ALL' });
    const withToday = withBaseline(config, 2048);
    assert.deepEqual(
      withToday.powerValues,
      [...config.powerValues, 2048].sort((a, b) => a - b),
    );
    assert.equal(withToday.sampling.maxInvocations, config.sampling.maxInvocations + config.num);
  });

  void it('explores both architectures when asked: each pass searches the same range', () => {
    const config = validateInput({ ...MODEL, powerValues: 'ALL', architectures: ['x86_64', 'arm64'] });
    assert.deepEqual(config.architectures, ['x86_64', 'arm64']);
    assert.deepEqual(config.exploration, { lowestMb: 128, highestMb: 10240 });
  });

  void it('leaves "grid" (and no field) as the original: exactly the sizes given', () => {
    const grid = validateInput({ lambdaARN: 'my-fn', num: 10, powerValues: [128, 512], exploration: 'grid' });
    assert.deepEqual(grid.powerValues, [128, 512]);
    assert.equal(grid.exploration, undefined);
    assert.equal(configToInput(grid).exploration, undefined);
  });
});

void describe('exploration: refused inputs', () => {
  void it('names the accepted values for anything but "grid" and "model"', () => {
    for (const value of ['Model', 'bayes', 1, true]) {
      const [message] = errorsOn({ lambdaARN: 'my-fn', num: 10, exploration: value }, 'exploration');
      assert.match(message as string, /"grid" \(the default.*or "model"/);
    }
  });

  void it('needs confidence (except in a dry run) and a range of two sizes at least', () => {
    const [noConfidence] = errorsOn({ lambdaARN: 'my-fn', num: 10, exploration: 'model' }, 'exploration');
    assert.match(noConfidence as string, /"confidence" is not set/);
    assert.equal(
      validateInput({ lambdaARN: 'my-fn', exploration: 'model', dryRun: true }).sampling.policy,
      'fixed',
    );
    const [single] = errorsOn({ ...MODEL, powerValues: [512, 512] }, 'exploration');
    assert.match(single as string, /only 512 MB was given/);
  });

  void it('refuses, by name, the inputs it does not support yet', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['coldStartRate', { coldStartRate: 0.1 }],
      ['constraints', { constraints: { maxMemoryMb: 2048 } }],
    ];
    for (const [field, extra] of cases) {
      const [message] = errorsOn({ ...MODEL, ...extra }, field);
      assert.match(message as string, /exploration "model", which does not support it yet/);
    }
    const [cold] = errorsOn({ ...MODEL, confidence: undefined, onlyColdStarts: true }, 'onlyColdStarts');
    assert.match(cold as string, /does not support it yet/);
  });
});
