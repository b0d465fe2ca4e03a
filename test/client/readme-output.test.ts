/**
 * The README's "Output" tables against a real output: every key the analysis writes, at the top
 * and in results[], and every key of `constraints`, is documented, so a new key cannot go unnoticed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeTuning } from '../../domain/analysis.js';
import type { TuningOutput } from '../../domain/types.js';
import { validateInput } from '../../domain/validate.js';
import { measuredVolume } from '../../domain/volume.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import { steadySize } from '../support/summaries.js';
import { simulatedOutput } from './simulated.js';

/** The table rows of the README's "## Output" section, as [first cell, whole row]. */
function outputRows(): [string, string][] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Output\n'));
  assert.ok(section, 'README.md has an "## Output" section');
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => [line.split('|')[1] ?? '', line]);
}

/** Outputs that between them have every key: with constraints, one met and one not. */
function outputs(): TuningOutput[] {
  const run = (maxDurationMs: number) =>
    simulatedOutput({
      seed: 3,
      num: 200,
      currentPower: 256,
      errorRate: (p) => (p === 128 ? 1 : 0),
      input: { confidence: 0.95, includeOutputResults: true, constraints: { percentile: 95, maxDurationMs } },
    });
  return [run(5000), run(1000), withColdStarts(), withExploration()];
}

/** An output of a model exploration: the sizes measured and the curve fitted to them. */
function withExploration(): TuningOutput {
  const output = simulatedOutput({
    seed: 3,
    powers: [128, 739, 1769, 3538, 10240],
    input: { powerValues: [128, 10240], exploration: 'model', confidence: 0.95 },
  });
  assert.ok(output.exploration?.curve);
  return output;
}

/** An output with coldStartRate: cold and blended figures per size. */
function withColdStarts(): TuningOutput {
  const cold = (power: number, ms: number) => ({
    ...steadySize(power, ms),
    cold: summariseInvocations(
      Array.from({ length: 5 }, (_, i) => ({
        durationMs: ms + 900 + i,
        billedMs: ms + 900 + i,
        initMs: 900,
        coldStart: true,
      })),
    ),
  });
  const output = analyzeTuning({
    config: validateInput({ lambdaARN: 'fn', num: 10, powerValues: [512, 1024], coldStartRate: 0.2 }),
    functionName: 'fn',
    region: 'us-east-1',
    architecture: 'x86_64',
    results: [cold(512, 200), cold(1024, 150)],
  });
  assert.equal(output.coldStartRate, 0.2);
  assert.ok(output.results.every((r) => r.cold && r.blended));
  return output;
}

/** `key` or `results[].key` (a key in backticks, alone or as the last part of a path). */
const backticked = (text: string, key: string) => new RegExp(`[\`.]${key}[\`.\\[ ]`).test(text);

void describe('README output tables', () => {
  const rows = outputRows();
  const firstCells = rows.map(([first]) => first).join('\n');
  const rowOf = (key: string) => rows.find(([first]) => first.trim().startsWith(`\`${key}\``))?.[1] ?? '';

  void it('document every top-level key of the output', () => {
    for (const key of new Set(outputs().flatMap((o) => Object.keys(o))))
      assert.ok(backticked(firstCells, key), `README.md "## Output": no row for \`${key}\``);
  });

  void it('document every key of results[], in the rows of results[]', () => {
    const text = rows
      .filter(([first]) => first.includes('`results[]'))
      .map(([, row]) => row)
      .join('\n');
    const keys = new Set(outputs().flatMap((o) => o.results.flatMap((r) => Object.keys(r))));
    assert.ok(keys.has('constraints') && keys.has('infeasibleReason'), [...keys].join(' '));
    for (const key of keys) assert.ok(backticked(text, key), `README.md: results[] does not list \`${key}\``);
  });

  void it('document every key of constraints and of its checks in its row', () => {
    const row = rowOf('constraints');
    const [output] = outputs();
    const report = output?.constraints;
    assert.ok(report);
    const check = report.sizes[0]?.checks[0];
    assert.ok(check);
    for (const key of [...Object.keys(report), ...Object.keys(report.sizes[0] ?? {}), ...Object.keys(check)])
      assert.match(row, new RegExp(`\\b${key}\\b`), `README.md: the constraints row lacks ${key}`);
  });

  void it('document every key of monthly in its row, from CloudWatch too', () => {
    const report = monthlyFromCloudWatch();
    assert.ok(report.saving && report.windowDays !== undefined, JSON.stringify(report));
    const row = rowOf('monthly');
    for (const key of [...Object.keys(report), ...Object.keys(report.sizes[0] ?? {})])
      assert.match(row, new RegExp(`\\b${key}\\b`), `README.md: the monthly row lacks ${key}`);
    assert.match(row, new RegExp(`\\b${report.source}\\b`));
  });

  void it('document every key of exploration, of its curve and of its points in its row', () => {
    const row = rowOf('exploration');
    const report = withExploration().exploration;
    const curve = report?.curve;
    assert.ok(report && curve);
    const keys = [
      ...Object.keys(report),
      ...Object.keys(report.range),
      ...Object.keys(curve),
      ...Object.keys(curve.points[0] ?? {}),
    ];
    for (const key of keys)
      assert.match(row, new RegExp(`\\b${key}\\b`), `README.md: the exploration row lacks ${key}`);
  });

  void it('say when power, cost and duration are null', () => {
    for (const key of ['power', 'cost', 'duration']) assert.match(rowOf(key), /`null`/, key);
  });
});

/** A monthly report with every optional key: volume from CloudWatch, today's size measured. */
function monthlyFromCloudWatch() {
  const output = analyzeTuning({
    config: validateInput({
      lambdaARN: 'fn',
      num: 10,
      powerValues: [512, 1024],
      invocationsPerMonth: 'cloudwatch',
    }),
    functionName: 'fn',
    region: 'us-east-1',
    architecture: 'x86_64',
    results: [steadySize(512, 200), steadySize(1024, 150)],
    currentPower: 1024,
    volume: measuredVolume(1000, 14),
  });
  assert.ok(output.monthly);
  return output.monthly;
}
