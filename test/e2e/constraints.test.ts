/**
 * Constraints end to end: `powertune run` with a latency bound against the emulator and a dev
 * server, once with a bound one size meets and once with a bound none can, both with
 * --auto-optimize. Profiles with known durations (emulator/functions/synthetic.json) make the
 * verdicts unambiguous:
 *   synthetic-cpu: 400 ms of CPU at one vCPU (1769 MB) + 10 ms I/O, ±2 ms: 128 MB ≈ 5.5 s,
 *     256 MB ≈ 2.8 s, 512 MB ≈ 1.4 s, 1024 MB ≈ 700 ms; under a 1000 ms p95 bound only 1024 MB.
 *   synthetic-io: 5 ms of CPU + 120 ms I/O: over 120 ms at every size, so never under 100 ms.
 * The emulator runs instantly (time scale 0): the ~100 invocations a p95 upper bound needs at
 * 1024 MB come from `run`'s adaptive sampling in a few seconds.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TuningOutput } from '../../domain/types.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import type { Harness } from '../support/tuning-harness.js';
import { ARTIFACTS, CPU_BOUND_RUN_ARGS, eventually, powertune, startCliHarness } from './support.js';

const OUT = path.join(ARTIFACTS, 'e2e');
const suffix = Math.random().toString(16).slice(2, 8);
let harness: Harness;
let env: NodeJS.ProcessEnv;

before(async () => {
  ({ harness, env } = await startCliHarness());
  fs.mkdirSync(OUT, { recursive: true });
});
after(async () => {
  await harness?.stop();
});

/** The latency check of one size, from the output's constraints report. */
function latencyOf(output: TuningOutput, power: number) {
  const check = output.constraints?.sizes
    .find((s) => s.power === power)
    ?.checks.find((c) => c.constraint === 'latency');
  assert.ok(check, `a latency check for ${power} MB`);
  return check;
}

void describe('powertune run with constraints', () => {
  void it('--max-duration: recommends the size shown to meet the p95 bound and applies it', async () => {
    const id = `e2e-bound-met-${suffix}`;
    const lambda = lambdaClient(harness.emulator.url);
    assert.equal((await functionState(lambda, 'synthetic-cpu')).memorySize, 128);
    const r = await powertune([...CPU_BOUND_RUN_ARGS, '--auto-optimize', '--workflow-id', id], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout.split('\n')[0] ?? '',
      /^1024 MB meets the constraints at [\d.]+% confidence: p95 7\d\d ms ≤ 1000 ms \(−\d+\.\d%\)\. It is the only size that does\.$/,
    );
    assert.match(r.stdout, /^Recommended: 1024 MB: /m);
    assert.match(r.stdout, /the function was set to 1024 MB/);
    assert.equal((await functionState(lambda, 'synthetic-cpu')).memorySize, 1024, 'applied');

    const output = (await harness.client.workflow.getHandle(id).result()) as TuningOutput;
    assert.equal(output.power, 1024);
    // The analysis judges "settled" by the rule sampling stopped on: no size left that could beat it.
    assert.equal(output.confidence?.stop, 'settled');
    assert.equal(output.confidence?.settled, true, output.confidence?.statement);
    assert.equal(output.constraints?.openContenders, undefined);
    assert.equal(output.constraints?.met, true);
    assert.ok(latencyOf(output, 1024).upper <= 1000, 'the bound holds at the upper confidence bound');
    // 512 MB (about 1.4 s) is left uncertain on its first calls: single-threaded code costs the same
    // at every size below 1,769 MB, so it is shown no cheaper than 1,024 MB and could not take its
    // place; the run spends nothing on proving it fails.
    assert.deepEqual(
      output.results.map((x) => [x.power, x.constraints]),
      [
        [128, 'fails'],
        [256, 'fails'],
        [512, 'uncertain'],
        [1024, 'meets'],
      ],
    );
    // The table says the same per size, and so does the CSV.
    const row = (power: number) =>
      r.stdout.split('\n').find((l) => new RegExp(`│\\s+(★ )?${power} │`).test(l));
    assert.match(row(512) ?? '', /│ \? p95 1\d{3} ms vs 1000 ms \(\+\d+\.\d%\) +│/);
    assert.match(row(1024) ?? '', /★ 1024 .*│ ✓ p95 7\d\d ms ≤ 1000 ms/);
    const csv = await powertune(['result', id, '--csv'], env);
    assert.equal(csv.code, 0, csv.stderr);
    assert.deepEqual(
      csv.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => [l.split(',')[0], /,(meets|fails|uncertain),/.exec(l)?.[1]]),
      [
        ['128', 'fails'],
        ['256', 'fails'],
        ['512', 'uncertain'],
        ['1024', 'meets'],
      ],
    );
  });

  void it('a bound no size can meet: completes without a recommendation and --auto-optimize changes nothing', async () => {
    const id = `e2e-bound-unmet-${suffix}`;
    const fn = 'synthetic-io';
    const lambda = lambdaClient(harness.emulator.url);
    const before = await functionState(lambda, fn);
    // 128 MB, the function's size, is not among the sizes tuned: applying any of them would show.
    assert.equal(before.memorySize, 128);
    const report = path.join(OUT, 'constraints-unmet.html');
    const r = await powertune(
      [
        'run',
        fn,
        '-n',
        '5',
        '-p',
        '256,512,1024',
        '--max-duration',
        '100',
        '--auto-optimize',
        '--workflow-id',
        id,
        '--report',
        report,
      ],
      env,
    );
    assert.equal(r.code, 0, `the run completes: ${r.stderr}`);
    assert.match(
      r.stdout.split('\n')[0] ?? '',
      /^No size met the constraints: every measured size fails them at [\d.]+% confidence; the closest is \d+ MB: p95 \d+(\.\d)? ms > 100 ms \(\+\d+\.\d%\)\.$/,
    );
    assert.match(r.stdout, /^No recommendation: no size was shown to meet the constraints/m);
    assert.doesNotMatch(r.stdout, /★|Recommended:|the function was set to/);
    assert.deepEqual(await functionState(lambda, fn), before, 'memory, versions and aliases as before');

    const output = (await harness.client.workflow.getHandle(id).result()) as TuningOutput;
    assert.deepEqual(
      [output.power, output.cost, output.duration, output.optimized],
      [null, null, null, false],
    );
    assert.equal(output.constraints?.met, false);
    for (const size of [256, 512, 1024]) assert.ok(latencyOf(output, size).lower > 100, `${size} MB fails`);
    // --json prints the output as it is; the report says the same.
    const json = await powertune(['result', id, '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), output);
    // No recommended memory to list: the search attribute is left unset.
    const listed = await eventually(async () => {
      const l = await powertune(['list', '--function', fn, '--json'], env);
      const rows = JSON.parse(l.stdout) as {
        workflowId: string;
        status: string;
        recommendedMemory?: number;
      }[];
      return rows.find((x) => x.workflowId === id && x.status === 'completed');
    }, 10);
    assert.equal(listed.recommendedMemory, undefined);
    const html = fs.readFileSync(report, 'utf8');
    assert.match(html, /<div class="headline none" id="constraints">No size met the constraints: /);
    assert.match(html, /<g class="bound" data-value="100">/);
    assert.doesNotMatch(html, /point recommended|★/);
  });
});
