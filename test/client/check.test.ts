/**
 * The CI gate's verdicts (client/format/check.ts) on outputs made the way the workflow makes
 * them: a current size that is the recommendation, one proven far worse, one whose distance to
 * the allowed regression the data cannot settle, one that failed, and a run with no
 * recommendation; and the --max-regression parser.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRegression } from '../../client/cli/check.js';
import { UsageError } from '../../client/cli/exit.js';
import { checkCurrentSize } from '../../client/format/check.js';
import { simulatedOutput } from './simulated.js';

const opts = { allowed: 0.1, strict: false };
/** I/O-bound code: the same duration at every size, so cost grows with memory. */
const ioBound = () => 120;

void describe('checkCurrentSize', () => {
  void it('passes when the current size is the recommendation', () => {
    const output = simulatedOutput({ seed: 1, base: ioBound, input: { strategy: 'cost', confidence: 0.95 } });
    assert.equal(output.power, 128);
    const report = checkCurrentSize(output, 128, opts);
    assert.equal(report.verdict, 'within');
    assert.equal(report.pass, true);
    assert.match(report.statement, /^PASS: 128 MB \(today\) is the size this tuning recommends for cost\.$/);
  });

  void it('fails when the current size costs far more than the recommendation, with its interval', () => {
    const output = simulatedOutput({ seed: 2, base: ioBound, input: { strategy: 'cost', confidence: 0.95 } });
    const report = checkCurrentSize(output, 1024, opts);
    assert.equal(report.verdict, 'beyond');
    assert.equal(report.pass, false);
    // 1024 MB costs about 4.9× what 128 MB does for the same duration (the request fee is the same).
    assert.ok(
      report.regression && report.regression.lower > 3 && report.regression.upper < 5,
      JSON.stringify(report),
    );
    assert.match(
      report.statement,
      /^FAIL: 1024 MB \(today\) costs \d+% more per invocation than the recommended 128 MB \(\d+% to \d+%, 90% confidence\), beyond the 10% allowed\. Set the memory to 128 MB/,
    );
  });

  void it('speaks of speed for the speed strategy and passes a size within the allowed slowdown', () => {
    const output = simulatedOutput({
      seed: 3,
      sigma: 0.01,
      num: 60,
      input: { strategy: 'speed', confidence: 0.95 },
    });
    assert.equal(output.power, 2048);
    const far = checkCurrentSize(output, 256, opts);
    assert.equal(far.verdict, 'beyond');
    assert.match(far.statement, /256 MB \(today\) is \d+% slower than the recommended 2048 MB/);
    // 1024 MB is about 1.7× slower than 2048 MB for this CPU-bound code: within a 100% allowance.
    const lenient = checkCurrentSize(output, 1024, { allowed: 1, strict: false });
    assert.equal(lenient.verdict, 'within', lenient.statement);
    assert.equal(lenient.pass, true);
  });

  void it('passes an uncertain verdict by default and fails it with --strict', () => {
    // Noisy and few samples: 256 MB against 128 MB for I/O-bound code is +100% ± a lot, and an
    // allowance of 100% sits inside that interval.
    const output = simulatedOutput({
      seed: 4,
      base: ioBound,
      sigma: 0.6,
      num: 8,
      input: { strategy: 'cost', confidence: 0.95 },
    });
    assert.equal(output.power, 128);
    const loose = checkCurrentSize(output, 256, { allowed: 1, strict: false });
    assert.equal(loose.verdict, 'uncertain', loose.statement);
    assert.equal(loose.pass, true);
    assert.match(loose.statement, /^PASS \(uncertain\): /);
    const strict = checkCurrentSize(output, 256, { allowed: 1, strict: true });
    assert.equal(strict.pass, false);
    assert.match(strict.statement, /^FAIL \(uncertain\): .*--strict fails on that/);
  });

  void it('fails when the current size could not be measured, saying why', () => {
    const output = simulatedOutput({
      seed: 5,
      base: ioBound,
      errorRate: (p) => (p === 128 ? 1 : 0),
      input: { strategy: 'cost', confidence: 0.95 },
    });
    const report = checkCurrentSize(output, 128, opts);
    assert.equal(report.verdict, 'current-failed');
    assert.equal(report.pass, false);
    assert.match(
      report.statement,
      /^FAIL: 128 MB \(today\) could not be measured: .+\. The recommendation is 256 MB\.$/,
    );
  });

  void it('fails when no size met the constraints', () => {
    const output = simulatedOutput({
      seed: 6,
      num: 200,
      input: { confidence: 0.95, constraints: { percentile: 95, maxDurationMs: 5 } },
    });
    assert.equal(output.power, null);
    const report = checkCurrentSize(output, 512, opts);
    assert.equal(report.verdict, 'no-recommendation');
    assert.equal(report.pass, false);
    assert.match(
      report.statement,
      /^FAIL: no memory size was shown to meet the constraints, 512 MB \(today\) included\./,
    );
  });

  void it('refuses a current size the tuning did not measure', () => {
    const output = simulatedOutput({ seed: 7, base: ioBound, input: { strategy: 'cost', confidence: 0.95 } });
    assert.throws(() => checkCurrentSize(output, 3008, opts), /3008 MB was not measured by this tuning/);
  });

  void it('refuses to judge today across architectures when the recommendation moves the function', () => {
    const output = simulatedOutput({ seed: 8, base: ioBound, input: { strategy: 'cost', confidence: 0.95 } });
    const report = {
      current: 'x86_64' as const,
      compared: [],
      difference: 'better' as const,
      statement: 'arm64 is cheaper',
    };
    const moved = {
      ...output,
      architecture: 'arm64' as const,
      architectures: { ...report, chosen: 'arm64' as const },
    };
    assert.throws(
      () => checkCurrentSize(moved, 1024, opts),
      /moves the function to arm64, and today's 1024 MB on x86_64 is not compared across architectures/,
    );
    // Staying on today's architecture, the gate judges as usual.
    const stayed = { ...output, architectures: { ...report, chosen: 'x86_64' as const } };
    assert.equal(checkCurrentSize(stayed, 128, opts).verdict, 'within');
  });
});

void describe('parseRegression', () => {
  void it('reads percentages with or without the sign', () => {
    assert.equal(parseRegression('10%'), 0.1);
    assert.equal(parseRegression('2.5'), 0.025);
    assert.equal(parseRegression('0'), 0);
  });
  void it('names the flag and what it accepts', () => {
    for (const bad of ['-5%', 'ten', '', '10%%'])
      assert.throws(
        () => parseRegression(bad),
        (err: unknown) =>
          err instanceof UsageError && /^--max-regression: expected a percentage/.test(err.message),
      );
  });
});
