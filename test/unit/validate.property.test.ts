/** Property-based tests of the validator: total on any JSON, stable on valid configs. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InputErrors } from '../../domain/errors.js';
import { allocateWeighted, isWeightedPayload } from '../../domain/payloads.js';
import { ACCEPTED_KEYS, configToInput, validateInput } from '../../domain/validate.js';

function onlyInputErrors(raw: unknown): void {
  try {
    validateInput(raw);
  } catch (error) {
    assert.ok(error instanceof InputErrors, `threw ${String(error)}`);
    for (const e of error.errors) assert.match(e.message, /^Invalid input ".*": .+\. Accepted: .+\.$/s);
  }
}

/** Objects that use the accepted keys with arbitrary JSON values: reaches every reader. */
const keyedJson = fc.dictionary(fc.constantFrom(...ACCEPTED_KEYS), fc.jsonValue({ maxDepth: 3 }), {
  maxKeys: 8,
});

const validInput = fc.record(
  {
    lambdaARN: fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
      fc.constant('arn:aws:lambda:us-east-1:123456789012:function:fn'),
      fc.constant('123456789012:function:fn:$LATEST'),
    ),
    num: fc.integer({ min: 5, max: 20 }),
    powerValues: fc.oneof(
      fc.constant('ALL' as const),
      fc.uniqueArray(fc.integer({ min: 128, max: 10240 }), { minLength: 1, maxLength: 10 }),
    ),
    payload: fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.array(
        fc.record({ payload: fc.jsonValue({ maxDepth: 1 }), weight: fc.integer({ min: 1, max: 5 }) }),
        {
          minLength: 1,
          maxLength: 5,
        },
      ),
    ),
    parallelInvocation: fc.boolean(),
    strategy: fc.constantFrom('cost' as const, 'speed' as const, 'balanced' as const),
    balancedWeight: fc.double({ min: 0, max: 1, noNaN: true }),
    discardTopBottom: fc.double({ min: 0, max: 0.4, noNaN: true }),
    disablePayloadLogs: fc.boolean(),
    includeOutputResults: fc.boolean(),
    onlyColdStarts: fc.boolean(),
    dryRun: fc.boolean(),
    allowedExceptions: fc.array(fc.stringMatching(/^[A-Za-z.]{1,20}$/), { maxLength: 3 }),
    maxParallelInvocations: fc.integer({ min: 1, max: 1000 }),
    prices: fc.record({ perGbSecond: fc.double({ min: 1e-9, max: 1, noNaN: true }) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['lambdaARN', 'num'] },
);

describe('validateInput properties', () => {
  it('throws only InputErrors, whose every line names a field, for arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), onlyInputErrors), { numRuns: 300 });
  });

  it('throws only InputErrors for objects with accepted keys and arbitrary values', () => {
    fc.assert(fc.property(keyedJson, onlyInputErrors), { numRuns: 500 });
  });

  it('accepts generated valid inputs, and configToInput round-trips them', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        // 159 "ALL" values × num cold-start versions is over the 1000-version cap, rightly rejected.
        fc.pre(!(input.onlyColdStarts && input.powerValues === 'ALL'));
        // Weights that leave a payload with no invocation are rightly rejected too.
        if (isWeightedPayload(input.payload) && !input.dryRun) {
          fc.pre(
            allocateWeighted(
              input.payload.map((e) => e.weight as number),
              input.num,
            ).every((c) => c > 0),
          );
        }
        const config = validateInput(input);
        assert.ok(config.powerValues.every((p, i, all) => i === 0 || (all[i - 1] as number) < p));
        if (config.onlyColdStarts) assert.equal(config.discardTopBottom, 0);
        if (config.dryRun) assert.equal(config.num, 1);
        assert.deepEqual(validateInput(JSON.parse(JSON.stringify(configToInput(config)))), config);
      }),
      { numRuns: 300 },
    );
  });
});
