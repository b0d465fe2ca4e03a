/**
 * A model exploration in the views: the terminal summary states what was measured against the
 * grid and that the rest of the range is only predicted, and lists the measured sizes only.
 * Outputs come from the analysis the workflow runs, on simulated invocations of two-thread code
 * (faster up to 3,538 MB).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainRecommendation } from '../../client/format/recommendation.js';
import { renderResultSummary, renderResultTable } from '../../client/format/table.js';
import type { TuningOutput } from '../../domain/types.js';
import { simulatedOutput } from './simulated.js';

const twoThreads = (power: number) => 10 + 400 / Math.min(power / 1769, 2);

function explored(
  powers: number[],
  extra: { errorRate?: (power: number) => number; sigma?: number } = {},
): TuningOutput {
  const output = simulatedOutput({
    seed: 11,
    num: 20,
    powers,
    sigma: extra.sigma ?? 0.05,
    base: twoThreads,
    ...(extra.errorRate ? { errorRate: extra.errorRate } : {}),
    input: { powerValues: [128, 10240], exploration: 'model', confidence: 0.95, strategy: 'speed' },
  });
  assert.ok(output.exploration, 'the analysis reports the exploration');
  return output;
}

/** The first sizes of a whole-range exploration and three the curve pointed at. */
const MEASURED = [128, 307, 739, 1769, 2600, 3200, 3538, 4263, 10240];

void describe('model exploration in the terminal summary', () => {
  const output = explored(MEASURED);
  const summary = renderResultSummary(output);
  const reasons = explainRecommendation(output).reasons;

  void it('states what was measured against the grid, and that the rest is only predicted', () => {
    assert.ok(reasons.includes(output.exploration?.statement ?? '?'), reasons.join('\n'));
    assert.equal(
      reasons[reasons.length - 1],
      `These 9 sizes were measured: ${MEASURED.join(', ')} MB. The rest of the range from 128 to 10240 MB is only predicted by the fitted curve, not measured.`,
    );
    assert.doesNotMatch(summary, /Only these sizes were measured|nothing is known/);
    assert.match(summary, /Invocations: 180 spent \/ 3180 on the 64-MB grid of the range/);
  });

  void it('lists the measured sizes only in the table, and calls the fastest a measured one', () => {
    const rows = renderResultTable(output)
      .split('\n')
      .flatMap((l) => /^│\s+(?:★ )?(\d+) │/.exec(l)?.[1] ?? []);
    assert.deepEqual(rows.map(Number), MEASURED);
    const predictedOnly = output.exploration?.curve?.points.filter((p) => !p.measured) ?? [];
    assert.ok(predictedOnly.length > 100, 'the curve has many sizes that were not measured');
    assert.match(summary, /The cheapest measured size, 128 MB/);
  });

  void it('says nothing is known beyond the measured sizes when no curve could be fitted', () => {
    const two = explored([128, 10240]);
    assert.equal(two.exploration?.curve, undefined);
    const last = explainRecommendation(two).reasons.at(-1);
    assert.equal(
      last,
      'These 2 sizes were measured: 128, 10240 MB. No curve could be fitted, so nothing is known about the rest of the range from 128 to 10240 MB.',
    );
  });

  void it('leaves a grid run’s wording as it was', () => {
    const grid = simulatedOutput({ seed: 11, input: { confidence: 0.95 } });
    assert.equal(grid.exploration, undefined);
    const text = renderResultSummary(grid);
    assert.match(text, /Only these sizes were measured: 128, 256, 512, 1024, 2048 MB\. Sizes in between/);
    assert.match(text, /grid \(num × sizes\)/);
    assert.doesNotMatch(text, /predicted|64-MB|measured size,/);
  });
});
