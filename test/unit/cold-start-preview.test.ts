/**
 * What a cold-start rate would change, from the cold starts every run measures
 * (domain/cold-start-preview.ts), and where the output and the recommendation's words carry it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coldStartPreview, PREVIEW_RATES } from '../../domain/cold-start-preview.js';
import { lambdaPrice } from '../../domain/pricing.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import type { InvocationResult, Strategy } from '../../domain/types.js';
import { validateInput } from '../../domain/validate.js';
import { explainRecommendation } from '../../client/format/recommendation.js';
import { analyzeFnTuning, warmInvocation } from '../support/summaries.js';

const price = lambdaPrice('us-east-1', 'x86_64');
const POWERS = [512, 1024, 1536, 1769, 3008];
/** 20 ms of I/O and 30 ms of single-threaded CPU at one vCPU. */
const handler = (power: number) => 20 + 30 / Math.min(1, power / 1769);

/** Ten warm calls around the handler's duration and one cold start with `initMs` of init. */
function size(power: number, initMs: number) {
  const warm = Array.from({ length: 10 }, (_, i) => warmInvocation(handler(power) * (1 + (i - 4.5) * 0.002)));
  const duration = handler(power) + initMs;
  const cold: InvocationResult = {
    durationMs: duration,
    billedMs: Math.ceil(duration),
    initMs,
    coldStart: true,
  };
  return { power, summary: summariseInvocations([cold, ...warm]) };
}

/** A speed tuning of POWERS, num 11, with `extra` input fields. */
const speedConfig = (extra: Record<string, unknown>) =>
  validateInput({ lambdaARN: 'fn', num: 11, powerValues: POWERS, strategy: 'speed', ...extra });
const settings = (strategy: Strategy) => ({
  strategy,
  tolerance: 0.01,
  balancedWeight: 0.5,
  discardTopBottom: 0.2,
});

describe('cold-start preview', () => {
  it('shows the rate at which a long init moves the speed choice', () => {
    // At 50% cold, 750 ms of init on every size leaves 1,536 MB within 1% of the fastest.
    const preview = coldStartPreview(
      POWERS.map((p) => size(p, 1500)),
      settings('speed'),
      price,
    );
    assert.ok(preview);
    assert.equal(preview.warmChoice, 1769);
    assert.deepEqual(
      preview.byRate,
      PREVIEW_RATES.map((rate) => ({ rate, power: rate >= 0.5 ? 1536 : 1769 })),
    );
    assert.ok(preview.init.every((i) => i.initMs === 1500 && i.coldStarts === 1));
    assert.match(
      preview.statement,
      /^Cold starts could change the choice: at a cold-start rate of 50%, 1536 MB would come first instead of 1769 MB/,
    );
    assert.match(preview.statement, /set coldStartRate to measure/);
  });

  it('says when a short init changes nothing', () => {
    const preview = coldStartPreview(
      POWERS.map((p) => size(p, 2)),
      settings('speed'),
      price,
    );
    assert.ok(preview);
    assert.ok(preview.byRate.every((r) => r.power === 1769));
    assert.match(
      preview.statement,
      /^Cold starts would not change the choice: at cold-start rates up to 50%, 1769 MB stays first/,
    );
  });

  it('has nothing to show without a measured cold start or with a single size', () => {
    const noCold = { power: 2048, summary: summariseInvocations([warmInvocation(50), warmInvocation(51)]) };
    assert.equal(coldStartPreview([size(1024, 100), noCold], settings('cost'), price), undefined);
    assert.equal(coldStartPreview([size(1024, 100)], settings('cost'), price), undefined);
  });

  it('is in the output of a run without a rate, and in the recommendation’s reasons', () => {
    const output = analyzeFnTuning(
      speedConfig({ tolerance: 0.01 }),
      POWERS.map((p) => size(p, 1500)),
    );
    assert.ok(output.coldStartPreview);
    assert.equal(output.coldStartPreview.byRate.at(-1)?.power, 1536);
    assert.ok(explainRecommendation(output).reasons.includes(output.coldStartPreview.statement));
    // A run that blends at a rate measured the cold invocations: no preview.
    assert.equal(
      analyzeFnTuning(
        speedConfig({ coldStartRate: 0.1 }),
        POWERS.map((p) => size(p, 1500)),
      ).coldStartPreview,
      undefined,
    );
  });

  it('with constraints, names only sizes that meet them', () => {
    // A memory cap of 1536 MB: 1769 and 3008 MB cannot be chosen at any cold-start rate.
    const output = analyzeFnTuning(
      speedConfig({ tolerance: 0.01, constraints: { maxMemoryMb: 1536 } }),
      POWERS.map((p) => size(p, 1500)),
    );
    assert.equal(output.power, 1536);
    assert.ok(output.coldStartPreview);
    for (const { power } of output.coldStartPreview.byRate) assert.ok(power <= 1536, `${power} MB named`);
  });
});
