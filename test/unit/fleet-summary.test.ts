/** One function's outcome in a fleet, and the fleet's totals (domain/fleet-summary.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LOCK_FAILURE_TYPES,
  countByStatus,
  relativeChange,
  savingTotals,
  tunedResult,
  unfinishedResult,
} from '../../domain/fleet-summary.js';
import { CONCURRENT_TUNING, STRANDED_TUNING } from '../../domain/naming.js';
import type { FleetMember } from '../../domain/fleet-types.js';
import { statisticalOutput } from '../client/fixtures.js';

const MEMBER: FleetMember = {
  functionName: 'my-function',
  functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:my-function',
  region: 'us-east-1',
  accountId: '111111111111',
  memorySize: 1024,
};
const IDS = { childWorkflowId: 'fleet--my-function', childRunId: 'run-1' };

const MONTHLY = {
  invocationsPerMonth: 1_000_000,
  source: 'input' as const,
  level: 0.95,
  sizes: [],
  currentPower: 1024,
  saving: { estimate: 1.9, lower: 1.7, upper: 2.1 },
  statement: '256 MB saves $1.90 a month against 1024 MB.',
};

describe('fleet function outcome', () => {
  it("keeps today's size, the recommendation, both sizes' figures, the monthly saving and the confidence", () => {
    const result = tunedResult(MEMBER, IDS, statisticalOutput({ currentPower: 1024, monthly: MONTHLY }));
    assert.equal(result.status, 'tuned');
    assert.equal(result.currentPower, 1024);
    assert.equal(result.recommendedPower, 256);
    assert.deepEqual(result.current, { power: 1024, averageDuration: 220, averagePrice: 4e-6 });
    assert.deepEqual(result.recommended, { power: 256, averageDuration: 800, averagePrice: 2.1e-6 });
    assert.deepEqual(result.monthly, {
      invocationsPerMonth: 1_000_000,
      source: 'input',
      level: 0.95,
      saving: { estimate: 1.9, lower: 1.7, upper: 2.1 },
    });
    assert.equal(result.confidence?.settled, true);
    assert.equal(result.confidence?.level, 0.95);
    assert.equal(result.childWorkflowId, IDS.childWorkflowId);
    assert.equal(result.childRunId, IDS.childRunId);
    // Compact: none of the per-size statistics travel with it.
    assert.ok(JSON.stringify(result).length < 1000, JSON.stringify(result));
  });

  it('falls back to the listed memory size for older outputs, and leaves out what was not measured', () => {
    const result = tunedResult(MEMBER, IDS, statisticalOutput());
    assert.equal(result.currentPower, 1024);
    const unmeasured = tunedResult({ ...MEMBER, memorySize: 2048 }, IDS, statisticalOutput());
    assert.equal(unmeasured.current, undefined);
    assert.equal(unmeasured.monthly, undefined);
  });

  it('says why there is no recommendation when the constraints ruled every size out', () => {
    const output = statisticalOutput({
      power: null,
      cost: null,
      duration: null,
      constraints: {
        bounds: { percentile: 95, maxDurationMs: 10 },
        met: false,
        level: 0.99,
        sizes: [],
        statement: 'No size met the constraints.',
      },
    });
    const result = tunedResult(MEMBER, IDS, output);
    assert.equal(result.recommendedPower, null);
    assert.equal(result.recommended, undefined);
    assert.equal(result.note, 'No size met the constraints.');
  });

  it('tells a function locked by another tuning from a failed or cancelled one', () => {
    const outcome = (errorType: string | undefined, cancelled = false) =>
      unfinishedResult(MEMBER, IDS, {
        cancelled,
        reason: 'why',
        ...(errorType === undefined ? {} : { errorType }),
      }).status;
    assert.equal(outcome('ConcurrentTuning'), 'locked');
    assert.equal(outcome('StrandedTuning'), 'locked');
    assert.equal(outcome('NoFeasiblePower'), 'failed');
    assert.equal(outcome(undefined), 'failed');
    assert.equal(outcome(undefined, true), 'cancelled');
    const failed = unfinishedResult(
      MEMBER,
      { childWorkflowId: 'x' },
      { cancelled: false, reason: 'boom', errorType: 'E' },
    );
    assert.deepEqual(
      [failed.reason, failed.errorType, failed.currentPower, failed.childRunId],
      ['boom', 'E', 1024, undefined],
    );
  });

  it('knows the failure types the lock throws (one home: domain/naming.ts)', () => {
    assert.deepEqual([...LOCK_FAILURE_TYPES].sort(), [CONCURRENT_TUNING, STRANDED_TUNING].sort());
  });
});

describe('fleet totals', () => {
  it('counts each status and adds up the known savings per currency', () => {
    const tuned = tunedResult(MEMBER, IDS, statisticalOutput({ currentPower: 1024, monthly: MONTHLY }));
    const alsoTuned = tunedResult(
      { ...MEMBER, functionArn: `${MEMBER.functionArn}-2` },
      IDS,
      statisticalOutput({
        currentPower: 1024,
        monthly: { ...MONTHLY, saving: { estimate: -0.5, lower: -0.7, upper: -0.2 } },
      }),
    );
    const yuan = { ...tuned, functionArn: 'cn', currency: 'CNY' as const };
    const noVolume = tunedResult(MEMBER, IDS, statisticalOutput({ currentPower: 1024 }));
    const locked = unfinishedResult(MEMBER, IDS, {
      cancelled: false,
      reason: 'x',
      errorType: 'ConcurrentTuning',
    });
    const results = [tuned, alsoTuned, yuan, noVolume, locked];
    assert.deepEqual(countByStatus(results), { tuned: 4, failed: 0, locked: 1, cancelled: 0 });
    const totals = savingTotals(results);
    assert.equal(totals.length, 2);
    const usd = totals.find((t) => t.currency === 'USD');
    assert.equal(usd?.functions, 2);
    assert.ok(Math.abs((usd?.estimate ?? 0) - 1.4) < 1e-9);
    assert.ok(Math.abs((usd?.lower ?? 0) - 1.0) < 1e-9);
    assert.ok(Math.abs((usd?.upper ?? 0) - 1.9) < 1e-9);
    assert.equal(totals.find((t) => t.currency === 'CNY')?.functions, 1);
  });

  it('computes relative changes only against a positive figure', () => {
    assert.equal(relativeChange(200, 150), -0.25);
    assert.equal(relativeChange(0, 150), undefined);
    assert.equal(relativeChange(undefined, 150), undefined);
  });
});
