import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withBaseline } from '../../domain/baseline.js';
import { validateInput } from '../../domain/validate.js';

describe('withBaseline', () => {
  const config = (extra: Record<string, unknown> = {}) =>
    validateInput({ lambdaARN: 'fn', num: 10, powerValues: [128, 512, 2048], ...extra });

  it('adds today’s size to the sizes to test, in order, and grows an adaptive budget with it', () => {
    const adaptive = config({ confidence: 0.95 });
    const out = withBaseline(adaptive, 1024);
    assert.deepEqual(out.powerValues, [128, 512, 1024, 2048]);
    assert.equal(out.sampling.maxInvocations, adaptive.sampling.maxInvocations + 30);
    const fixed = withBaseline(config(), 1024);
    assert.deepEqual(fixed.powerValues, [128, 512, 1024, 2048]);
  });

  it('keeps a budget the user set: the baseline shares it, and is left out when its first round does not fit', () => {
    const given = config({ confidence: 0.95, maxInvocations: 100 });
    const out = withBaseline(given, 1024);
    assert.deepEqual(out.powerValues, [128, 512, 1024, 2048]);
    assert.equal(out.sampling.maxInvocations, 100);
    // 4 sizes × num 10 need 40 for the first round; a budget of 35 holds only the 3 sizes asked for.
    const tight = config({ confidence: 0.95, maxInvocations: 35 });
    assert.equal(withBaseline(tight, 1024), tight);
  });

  it('leaves the config as it is when the size is there, out of range, or the run is dry', () => {
    const c = config();
    assert.equal(withBaseline(c, 512), c);
    assert.equal(withBaseline(c, 64), c);
    assert.equal(withBaseline(c, 20480), c);
    const dry = config({ dryRun: true });
    assert.equal(withBaseline(dry, 1024), dry);
  });
});

describe('withBaseline and the limits', () => {
  it('does not push onlyColdStarts past its version limit', () => {
    const c = validateInput({
      lambdaARN: 'fn',
      num: 250,
      powerValues: [128, 512, 2048, 3008],
      onlyColdStarts: true,
    });
    assert.equal(withBaseline(c, 1024), c);
  });

  it('does not push the versions of sizes spread over environments past the limit', () => {
    // 200 sizes × 5 environments are exactly 1000 versions: today's size would make 1005.
    const sizes = Array.from({ length: 200 }, (_, i) => 128 + 32 * i).filter((p) => p !== 1024);
    const full = validateInput({
      lambdaARN: 'fn',
      num: 6,
      powerValues: [...sizes, 10240],
      confidence: 0.95,
      environments: 5,
    });
    assert.equal(full.powerValues.length * full.environments, 1000);
    assert.equal(withBaseline(full, 1024), full);
    // With room left, today's size joins as usual.
    const roomy = validateInput({
      lambdaARN: 'fn',
      num: 6,
      powerValues: sizes.slice(0, 150),
      confidence: 0.95,
      environments: 5,
    });
    assert.equal(withBaseline(roomy, 1024).powerValues.length, 151);
  });
});
