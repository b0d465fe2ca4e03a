/**
 * Constraints in the terminal views: the lead sentence, the Constraints column, the CSV columns,
 * the result without a recommendation, and `powertune result` / `compare` on saved outputs.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { constraintsLead, verdictText } from '../../client/format/constraints.js';
import { CSV_COLUMNS, resultCsv } from '../../client/format/csv.js';
import { explainRecommendation } from '../../client/format/recommendation.js';
import { runDetailsMarkdown } from '../../client/format/run-details.js';
import { renderResultSummary, renderResultTable } from '../../client/format/table.js';
import { describeCheck } from '../../domain/constraints.js';
import type { ConstraintsReport, TuningOutput } from '../../domain/types.js';
import { validateInput } from '../../domain/validate.js';
import { constrainedOutput, undecidedOutput, unmetOutput } from './constraint-fixtures.js';
import { statisticalOutput } from './fixtures.js';
import { simulatedOutput } from './simulated.js';
import { parseCsv, runCaptured } from './support.js';

const lineOf = (text: string, power: number) =>
  text.split('\n').find((l) => new RegExp(`│\\s+(★ )?${power} │`).test(l)) ?? '';
const headerOf = (table: string) =>
  (table.split('\n')[1] ?? '')
    .split('│')
    .map((c) => c.trim())
    .filter(Boolean);
const report = (output: TuningOutput) => output.constraints as ConstraintsReport;

void describe('result table with constraints', () => {
  void it('starts with the sentence a user repeats: the chosen size, the bounds it meets and how sure', () => {
    const summary = renderResultSummary(constrainedOutput());
    assert.equal(
      summary.split('\n')[0],
      '256 MB meets the constraints at 95% confidence: p95 960 ms ≤ 1000 ms (−4.0%), 256 MB ≤ 512 MB. It is the only size that does.',
    );
    assert.match(summary, /^Recommended: 256 MB: \$0\.00000210 per invocation/m);
  });

  void it('names a size that may be cheaper and is still uncertain, when the run ended first', () => {
    const output = constrainedOutput();
    (output.constraints as ConstraintsReport).openContenders = [512];
    assert.equal(
      renderResultSummary(output).split('\n')[0],
      '256 MB meets the constraints at 95% confidence: p95 960 ms ≤ 1000 ms (−4.0%), 256 MB ≤ 512 MB. It is the only size that does. 512 MB, which may be cheaper, is not yet shown to meet or fail them.',
    );
  });

  void it('says how many calls would settle that size, when its calls so far can say', () => {
    const output = constrainedOutput();
    const open = report(output);
    open.openContenders = [512];
    const check = open.sizes.find((s) => s.power === 512)?.checks.find((c) => c.constraint === 'latency');
    assert.ok(check);
    check.callsNeeded = 2480;
    assert.match(
      renderResultSummary(output).split('\n')[0] ?? '',
      /512 MB, which may be cheaper, is not yet shown to meet or fail them \(about 2,480 calls on it would settle it\)\.$/,
    );
    check.callsNeeded = null;
    assert.match(
      renderResultSummary(output).split('\n')[0] ?? '',
      /512 MB, which may be cheaper, is not yet shown to meet or fail them\.$/,
    );
    // Without a plan, sentences keep to the figure against the bound, as table cells always do.
    assert.equal(describeCheck(check, 95, 'USD', true), 'p95 980 ms vs 1000 ms (−2.0%)');
    check.callsNeeded = 2480;
    assert.equal(
      describeCheck(check, 95, 'USD', true),
      'p95 980 ms vs 1000 ms (−2.0%; about 2,480 calls would settle it)',
    );
    assert.equal(describeCheck(check, 95), 'p95 980 ms vs 1000 ms (−2.0%)');
  });

  void it('has a Constraints column with each size’s verdict, worded by describeCheck', () => {
    const output = constrainedOutput();
    const table = renderResultTable(output);
    assert.deepEqual(headerOf(table).slice(-3), ['Standing', 'Constraints', 'Notes']);
    const cell = (power: number) => {
      const size = report(output).sizes.find((s) => s.power === power);
      assert.ok(size, `${power} judged`);
      return size;
    };
    // The failing and open checks, with the domain's words; every check of a size that meets them.
    const [latency1024, memory1024] = cell(1024).checks;
    assert.ok(latency1024 && memory1024);
    assert.match(lineOf(table, 1024), new RegExp(`│ ✗ ${escape(describeCheck(memory1024, 95))} +│`));
    assert.doesNotMatch(lineOf(table, 1024), /p95/, 'the latency check it meets is not what keeps it out');
    assert.match(lineOf(table, 512), /│ \? p95 980 ms vs 1000 ms \(−2\.0%\) +│/);
    assert.match(lineOf(table, 256), /│ ✓ p95 960 ms ≤ 1000 ms \(−4\.0%\), 256 MB ≤ 512 MB │/);
    assert.match(lineOf(table, 128), /│ +│ infeasible:/, 'an infeasible size is not judged');
  });

  void it('explains the legend and counts the options as the sizes that meet the constraints', () => {
    const output = constrainedOutput();
    const summary = renderResultSummary(output);
    assert.match(
      summary,
      /^Constraints \(every verdict at 95% confidence together\): ✓ shown to meet every bound; ✗ shown to fail one/m,
    );
    const reasons = explainRecommendation(output).reasons;
    assert.match(reasons[0] ?? '', /among the 1 size shown to meet the constraints/);
    assert.ok(reasons.includes(report(output).statement));
    // 512 and 1024 MB do not meet them: not offered as the faster alternatives.
    assert.doesNotMatch(reasons.join(' '), /fastest size/);
  });

  void it('without a recommendation: says no size met them, the closest, and no ★, Rel. or Standing', () => {
    const summary = renderResultSummary(unmetOutput());
    assert.equal(
      summary.split('\n')[0],
      'No size met the constraints: every measured size fails them at 95% confidence; the closest is 1024 MB: p95 260 ms > 100 ms (+160.0%).',
    );
    const table = renderResultTable(unmetOutput());
    assert.deepEqual(headerOf(table), [
      'Memory (MB)',
      'Invocations',
      'Avg duration (ms)',
      'p90 (ms)',
      'Avg cost / invocation',
      'Constraints',
      'Notes',
    ]);
    assert.doesNotMatch(summary, /★|Recommended:|Rel\. cost|Standing|null|NaN|undefined/);
    assert.match(lineOf(table, 256), /│ ✗ p95 960 ms > 100 ms \(\+860\.0%\) +│/);
    assert.match(
      summary,
      /^No recommendation: no size was shown to meet the constraints \(strategy "cost"\)$/m,
    );
    assert.ok(summary.includes(`  - ${report(unmetOutput()).statement}`));
    assert.match(summary, /Cost of this tuning: \$0\.000123 of Lambda time\n/, 'nothing was applied');
  });

  void it('does not say "met" while a size is still uncertain', () => {
    const lead = constraintsLead(undecidedOutput()) ?? '';
    assert.equal(
      lead,
      'No size was shown to meet the constraints at 95% confidence: 1024 MB (p95 90.0 ms vs 100 ms (−10.0%)) is still uncertain; every other size fails them.',
    );
  });

  void it('adds nothing to the results of runs without constraints', () => {
    assert.equal(constraintsLead(statisticalOutput()), undefined);
    const summary = renderResultSummary(statisticalOutput());
    assert.match(summary, /^Power tuning result for my-function/);
    assert.doesNotMatch(summary, /Constraints/);
  });
});

void describe('Web UI details of a run with constraints', () => {
  void it('list the bounds asked for, and nothing without them', () => {
    const md = runDetailsMarkdown(
      validateInput({
        lambdaARN: 'fn',
        num: 10,
        powerValues: [128, 256],
        confidence: 0.95,
        constraints: { percentile: 99, maxDurationMs: 200, maxCostPerInvocation: 5e-6, maxMemoryMb: 1024 },
      }),
    );
    assert.match(
      md,
      /^- \*\*Constraints:\*\* p99 ≤ 200 ms, cost ≤ 0\.00000500 per invocation, ≤ 1024 MB \(the choice must be shown to meet them\)$/m,
    );
    assert.doesNotMatch(runDetailsMarkdown(validateInput({ lambdaARN: 'fn', num: 5 })), /Constraints/);
  });
});

void describe('CSV with constraints', () => {
  const rowsOf = (output: TuningOutput) => {
    const [head, ...rows] = parseCsv(resultCsv(output));
    assert.deepEqual(head, [...CSV_COLUMNS]);
    return new Map(rows.map((r) => [Number(r[0]), Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]]))]));
  };

  void it('adds the verdict and its checks at the end, empty for a size not judged', () => {
    assert.deepEqual(CSV_COLUMNS.slice(-2), ['constraints', 'constraintChecks']);
    const output = constrainedOutput();
    const rows = rowsOf(output);
    assert.deepEqual(
      [...rows].map(([power, r]) => [power, r['constraints']]),
      [
        [128, ''],
        [256, 'meets'],
        [512, 'uncertain'],
        [1024, 'fails'],
      ],
    );
    const size1024 = report(output).sizes.find((s) => s.power === 1024);
    assert.ok(size1024);
    assert.equal(rows.get(1024)?.['constraintChecks'], verdictText(size1024, report(output), 'USD'));
    assert.equal(rows.get(1024)?.['constraintChecks'], '✗ 1024 MB > 512 MB');
  });

  void it('without a recommendation: no row is recommended and nothing is relative', () => {
    for (const r of rowsOf(unmetOutput()).values()) {
      assert.equal(r['recommended'], 'false');
      assert.equal(r['relativeCost'], '');
      if (r['feasible'] === 'true') assert.equal(r['constraints'], 'fails');
    }
  });
});

void describe('a result made by the analysis with constraints', () => {
  // cpu-bound: 128 to 512 MB are far slower than 5 s at p95, 1024 and 2048 MB well under it.
  const bounded = (maxDurationMs: number) =>
    simulatedOutput({
      seed: 3,
      num: 200,
      input: { confidence: 0.95, constraints: { percentile: 95, maxDurationMs } },
    });

  void it('marks every judged size with its verdict and recommends one that meets the bound', () => {
    const output = bounded(5000);
    assert.ok(output.power !== null && output.constraints?.met);
    const table = renderResultTable(output);
    const mark = { meets: '✓', fails: '✗', uncertain: '?' };
    for (const size of report(output).sizes)
      assert.match(
        lineOf(table, size.power),
        new RegExp(`│ ${escape(mark[size.verdict])} p95 `),
        `${size.power}`,
      );
    assert.equal(report(output).sizes.find((s) => s.power === output.power)?.verdict, 'meets');
    assert.match(renderResultSummary(output), new RegExp(`^${output.power} MB meets the constraints at `));
  });

  void it('with a bound no size can meet: no recommendation, and the summary says so first', () => {
    const output = bounded(1000);
    assert.equal(output.power, null);
    const summary = renderResultSummary(output);
    assert.match(summary, /^No size (met|was shown to meet) the constraints/);
    assert.doesNotMatch(summary, /★|null|NaN|undefined/);
  });
});

void describe('powertune result and compare on a saved output without a recommendation', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-constraints-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'unmet.json');
  fs.writeFileSync(file, JSON.stringify(unmetOutput()));

  void it('reads it (power null), exits 0, and --json prints it unchanged', async () => {
    const table = await runCaptured(['result', file]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^No size met the constraints: /);
    const json = await runCaptured(['result', file, '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), unmetOutput());
    const csv = await runCaptured(['result', file, '--csv']);
    assert.equal(csv.code, 0, csv.stderr);
    assert.match(csv.stdout, /,constraints,constraintChecks\n/);
  });

  void it('still refuses a file without a recommendation that is not our output', async () => {
    const bare = path.join(dir, 'bare.json');
    fs.writeFileSync(bare, JSON.stringify({ power: null, stateMachine: {} }));
    const r = await runCaptured(['result', bare]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not a tuning result/);
  });

  void it('compare names the missing recommendation', async () => {
    const before = path.join(dir, 'before.json');
    fs.writeFileSync(before, JSON.stringify(statisticalOutput()));
    const r = await runCaptured(['compare', before, file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /Recommendation changed: 256 MB \(A\) → none \(no size met the constraints\) \(B\)\./,
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
