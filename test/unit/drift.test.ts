/**
 * Drift between two runs of a schedule (domain/drift.ts): a first run is not drift, an unchanged
 * function is not drift, a recommended size whose figures moved beyond noise is, and so is a
 * moved recommendation the current size is shown far worse than. Also the settings' validation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeTuning, type PowerValueSummary } from '../../domain/analysis.js';
import {
  checkWebhookUrl,
  detectDrift,
  fillRunLink,
  RUN_LINK_RUN_ID,
  RUN_LINK_WORKFLOW_ID,
  tuningWorkflowIdOf,
  validateDriftSettings,
  validateScheduledTuningInput,
} from '../../domain/drift.js';
import { InputErrors } from '../../domain/errors.js';
import { intervalsApart } from '../../domain/intervals.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import type { Strategy, TuningOutput } from '../../domain/types.js';
import { validateInput } from '../../domain/validate.js';
import { createRng } from '../support/prng.js';
import { warmInvocation } from '../support/summaries.js';

/** 40 calls around `mean` ms with a 2% lognormal spread. */
const sized = (power: number, mean: number, seed: number, sd = 0.02): PowerValueSummary => {
  const rng = createRng(seed);
  return {
    power,
    summary: summariseInvocations(
      Array.from({ length: 40 }, () => warmInvocation(mean * Math.exp(sd * rng.normal()))),
    ),
  };
};

function tuning(strategy: Strategy, results: PowerValueSummary[], currentPower?: number): TuningOutput {
  const config = validateInput({
    lambdaARN: 'fn',
    num: 40,
    powerValues: results.map((r) => r.power),
    strategy,
  });
  return analyzeTuning({
    config,
    functionName: 'fn',
    region: 'us-east-1',
    architecture: 'x86_64',
    results,
    ...(currentPower !== undefined ? { currentPower } : {}),
  });
}

const TEN_PERCENT = { maxRegression: 0.1 };

describe('detectDrift', () => {
  // CPU-bound: 1024 MB twice as slow as 2048 MB (same cost); 4096 MB no faster, twice the cost.
  const cpu = (seed: number, slowdown = 1) => [
    sized(1024, 400 * slowdown, seed),
    sized(2048, 200 * slowdown, seed + 1),
    sized(4096, 200 * slowdown, seed + 2),
  ];

  it('a first run has nothing to compare with: not drift', () => {
    const report = detectDrift(undefined, tuning('speed', cpu(1), 2048), TEN_PERCENT);
    assert.equal(report.status, 'first-run');
    assert.deepEqual(report.reasons, []);
    assert.equal(report.recommendation.previous, undefined);
    assert.match(report.statement, /^First run/);
  });

  it('the same function measured again is not drift: the intervals overlap', () => {
    const before = tuning('speed', cpu(1), 2048);
    const after = tuning('speed', cpu(11), 2048);
    assert.equal(before.power, after.power);
    const report = detectDrift(before, after, TEN_PERCENT);
    assert.equal(report.status, 'none', report.statement);
    assert.equal(report.shifts.length, 1);
    assert.equal(report.shifts[0]?.metric, 'duration');
    assert.equal(report.shifts[0]?.apart, false);
    assert.match(
      report.statement,
      /^No drift: the recommendation stays at \d+ MB, its duration within noise/,
    );
  });

  it('the recommended size twice as slow is drift, even with the same recommendation', () => {
    const before = tuning('speed', cpu(1), 2048);
    const after = tuning('speed', cpu(21, 2), 2048);
    assert.equal(before.power, after.power);
    const report = detectDrift(before, after, TEN_PERCENT);
    assert.equal(report.status, 'drift');
    const shift = report.shifts[0];
    assert.ok(shift?.apart);
    assert.ok(shift.change > 0.9 && shift.change < 1.1, String(shift.change));
    assert.equal(report.reasons.length, 1);
    assert.match(report.reasons[0] ?? '', /duration moved beyond noise \(\+\d+%\).*no longer overlap/);
    assert.match(report.statement, /^Drift: /);
  });

  it('cost compares cost per invocation; balanced compares duration and cost', () => {
    const before = tuning('cost', cpu(1), 1024);
    const after = tuning('cost', cpu(31, 3), 1024);
    const cost = detectDrift(before, after, TEN_PERCENT);
    assert.deepEqual(
      cost.shifts.map((s) => s.metric),
      ['cost'],
    );
    assert.equal(cost.status, 'drift');
    assert.match(cost.reasons[0] ?? '', /cost per invocation moved beyond noise.*\$/);

    const balanced = detectDrift(tuning('balanced', cpu(1)), tuning('balanced', cpu(41)), TEN_PERCENT);
    assert.deepEqual(
      balanced.shifts.map((s) => s.metric),
      ['duration', 'cost'],
    );
    assert.equal(balanced.status, 'none', balanced.statement);
  });

  it('a moved recommendation the current size is far worse than is drift', () => {
    // Before: 1024 MB was as fast as 2048 MB at half the memory; now 1024 MB is 1.5 times slower.
    const before = tuning('speed', [sized(1024, 200, 1), sized(2048, 201, 2)], 1024);
    const after = tuning('speed', [sized(1024, 300, 3), sized(2048, 200, 4)], 1024);
    assert.equal(before.power, 1024);
    assert.equal(after.power, 2048);
    const report = detectDrift(before, after, TEN_PERCENT);
    assert.equal(report.status, 'drift', report.statement);
    // The recommended sizes' durations still overlap: only the regression makes it drift.
    assert.equal(report.shifts[0]?.apart, false);
    assert.equal(report.regression?.verdict, 'beyond');
    assert.equal(report.reasons.length, 1);
    assert.match(
      report.reasons[0] ?? '',
      /^The recommendation moved from 1024 MB to 2048 MB, and the function's current size, 1024 MB, is 5\d% worse on duration \(.* confidence\), beyond the allowed 10%\.$/,
    );

    // Allowed a 100% regression, the same runs are not drift.
    const lenient = detectDrift(before, after, { maxRegression: 1 });
    assert.equal(lenient.status, 'none');
    assert.match(lenient.statement, /moved from 1024 MB to 2048 MB.*not shown more than 100% worse/);
  });

  it('a moved recommendation the function already has is not drift', () => {
    const before = tuning('speed', [sized(1024, 200, 1), sized(2048, 201, 2)], 2048);
    const after = tuning('speed', [sized(1024, 300, 3), sized(2048, 200, 4)], 2048);
    assert.notEqual(before.power, after.power);
    const report = detectDrift(before, after, TEN_PERCENT);
    assert.equal(report.status, 'none', report.statement);
    assert.equal(report.regression?.regression.estimate, 0);
  });

  it('a current size that fails after the recommendation moved is drift', () => {
    const before = tuning('speed', [sized(1024, 200, 1), sized(2048, 201, 2)], 1024);
    const failing: PowerValueSummary = {
      power: 1024,
      summary: summariseInvocations(
        Array.from({ length: 40 }, () => ({
          ...warmInvocation(3000),
          error: { type: 'Runtime.ExitError', message: 'out of memory', allowed: false },
        })),
      ),
    };
    const after = tuning('speed', [failing, sized(2048, 200, 4)], 1024);
    const report = detectDrift(before, after, TEN_PERCENT);
    assert.equal(report.status, 'drift');
    assert.match(report.reasons.at(-1) ?? '', /current size, 1024 MB, failed in this run/);
  });

  it('constraints: losing or regaining a recommendation is drift; none in both is not', () => {
    const met = tuning('speed', cpu(1), 2048);
    // What a run whose constraints no size met returns.
    const unmet: TuningOutput = {
      ...tuning('speed', cpu(51, 2), 2048),
      power: null,
      cost: null,
      duration: null,
    };
    assert.equal(detectDrift(met, unmet, TEN_PERCENT).status, 'drift');
    assert.match(detectDrift(met, unmet, TEN_PERCENT).statement, /No size meets the constraints any more/);
    assert.match(detectDrift(unmet, met, TEN_PERCENT).statement, /meets the constraints again/);
    assert.equal(detectDrift(unmet, unmet, TEN_PERCENT).status, 'none');
  });

  it('results without intervals are not compared on figures', () => {
    const before = tuning('speed', cpu(1), 2048);
    const strip = (o: TuningOutput): TuningOutput => ({
      ...o,
      results: o.results.map(({ durationInterval: _d, priceInterval: _p, ...rest }) => rest),
    });
    const report = detectDrift(strip(before), tuning('speed', cpu(21, 2), 2048), TEN_PERCENT);
    assert.deepEqual(report.shifts, []);
    assert.equal(report.status, 'none');
    assert.match(report.statement, /no intervals to compare/);
  });
});

describe('drift helpers', () => {
  it('intervals are apart only when neither holds a value of the other', () => {
    assert.equal(intervalsApart({ lower: 1, upper: 2 }, { lower: 2.5, upper: 3 }), true);
    assert.equal(intervalsApart({ lower: 2.5, upper: 3 }, { lower: 1, upper: 2 }), true);
    assert.equal(intervalsApart({ lower: 1, upper: 2 }, { lower: 2, upper: 3 }), false);
    assert.equal(intervalsApart({ lower: 1, upper: 4 }, { lower: 2, upper: 3 }), false);
  });

  it('a scheduled run’s tuning has the run’s id with -tuning', () => {
    assert.equal(
      tuningWorkflowIdOf('powertune-schedule-fn-2026-01-01T00:00:00Z'),
      'powertune-schedule-fn-2026-01-01T00:00:00Z-tuning',
    );
  });

  it('fills a run link built with URL-encoded placeholders', () => {
    const template = `http://ui:8233/namespaces/default/workflows/${encodeURIComponent(RUN_LINK_WORKFLOW_ID)}/${encodeURIComponent(RUN_LINK_RUN_ID)}/history`;
    assert.equal(
      fillRunLink(template, 'sched-2026-01-01T00:00:00Z', 'r/1'),
      'http://ui:8233/namespaces/default/workflows/sched-2026-01-01T00%3A00%3A00Z/r%2F1/history',
    );
  });
});

describe('drift settings', () => {
  it('defaults maxRegression to 10% and keeps a valid webhook', () => {
    assert.deepEqual(validateDriftSettings(undefined), { maxRegression: 0.1 });
    assert.deepEqual(
      validateDriftSettings({ maxRegression: 0.05, webhook: 'https://hooks.example.com/x?t=1' }),
      {
        maxRegression: 0.05,
        webhook: 'https://hooks.example.com/x?t=1',
      },
    );
  });

  it('names every bad field and what is accepted', () => {
    const err = (() => {
      try {
        validateDriftSettings({ maxRegression: -1, webhook: 'ftp://example.com/hook' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof InputErrors);
    assert.deepEqual(err.fields, ['maxRegression', 'webhook']);
    assert.match(
      err.message,
      /Invalid input "maxRegression": got the number -1\. Accepted: a fraction from 0 to 10/,
    );
    assert.match(
      err.message,
      /Invalid input "webhook": the scheme "ftp" is not allowed\. Accepted: an absolute http/,
    );
  });

  it('accepts only absolute http(s) URLs as webhooks', () => {
    assert.equal(checkWebhookUrl('http://127.0.0.1:8080/hook'), 'http://127.0.0.1:8080/hook');
    assert.throws(
      () => checkWebhookUrl('hooks.example.com/x', '--webhook'),
      /"--webhook": "hooks\.example\.com\/x" is not a URL/,
    );
    assert.throws(() => checkWebhookUrl('javascript:alert(1)'), /scheme "javascript" is not allowed/);
    assert.throws(() => checkWebhookUrl(42), /"webhook": got the number 42/);
  });

  it('checks a scheduled run’s whole input, the tuning with the shared validator', () => {
    const ok = validateScheduledTuningInput({ scheduleId: 's', tuning: { lambdaARN: 'fn', num: 5 } });
    assert.equal(ok.config.num, 5);
    assert.equal(ok.drift.maxRegression, 0.1);
    assert.throws(
      () =>
        validateScheduledTuningInput({
          scheduleId: '',
          tuning: { lambdaARN: 'fn', num: 2 },
          drift: { webhook: 'x' },
        }),
      (e: unknown) => {
        assert.ok(e instanceof InputErrors);
        assert.deepEqual(e.fields, ['scheduleId', 'num', 'webhook']);
        return true;
      },
    );
    assert.throws(
      () => validateScheduledTuningInput({ scheduleId: 's' }),
      /Invalid input "tuning": got nothing|Invalid input "tuning"/,
    );
  });
});
