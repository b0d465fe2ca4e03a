/**
 * `powertune check` end to end (dev server, worker, emulator): the CI gate passes a well-sized
 * function and fails a badly-sized one, whose current size is measured by the tuning although it
 * is not among the sizes asked for, and put back afterwards with nothing left behind.
 *   synthetic-io: 5 ms of CPU + 120 ms I/O, the same duration at every size, so for cost the
 *   smallest size is best and 2048 MB costs about 9× as much per invocation.
 */
import assert from 'node:assert/strict';
import { UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { after, before, describe, it } from 'node:test';
import type { CheckReport } from '../../client/format/check.js';
import type { TuningOutput } from '../../domain/types.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import type { Harness } from '../support/tuning-harness.js';
import { powertune, startCliHarness } from './support.js';

const suffix = Math.random().toString(16).slice(2, 8);
const fn = 'synthetic-io';
let harness: Harness;
let env: NodeJS.ProcessEnv;

before(async () => {
  ({ harness, env } = await startCliHarness());
});
after(async () => {
  await harness?.stop();
});

const checkArgs = (id: string) => [
  'check',
  fn,
  '-n',
  '5',
  '-p',
  '128,256,512',
  '--strategy',
  'cost',
  '--max-regression',
  '10%',
  '--workflow-id',
  id,
];

void describe('powertune check', () => {
  void it('passes a function already at its cheapest size', async () => {
    const lambda = lambdaClient(harness.emulator.url);
    assert.equal((await functionState(lambda, fn)).memorySize, 128);
    const r = await powertune(checkArgs(`e2e-check-pass-${suffix}`), env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'PASS: 128 MB (today) is the size this tuning recommends for cost.');
  });

  void it('fails a function set far above it, measuring its current size and leaving it as it was', async () => {
    const lambda = lambdaClient(harness.emulator.url);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, MemorySize: 2048 }));
    const before = await functionState(lambda, fn);
    assert.equal(before.memorySize, 2048);
    try {
      const id = `e2e-check-fail-${suffix}`;
      const r = await powertune([...checkArgs(id), '--json'], env);
      assert.equal(r.code, 1, r.stderr);
      const report = JSON.parse(r.stdout) as CheckReport & { workflowId: string };
      assert.equal(report.verdict, 'beyond');
      assert.equal(report.pass, false);
      assert.equal(report.currentPower, 2048);
      assert.equal(report.recommendedPower, 128);
      assert.equal(report.workflowId, id);
      assert.ok(report.regression && report.regression.lower > 5, JSON.stringify(report.regression));
      assert.match(
        report.statement,
        /^FAIL: 2048 MB \(today\) costs \d+% more per invocation than the recommended 128 MB/,
      );

      // The current size was measured beside the three asked for, and is in the output.
      const output = (await harness.client.workflow.getHandle(id).result()) as TuningOutput;
      assert.equal(output.currentPower, 2048);
      assert.deepEqual(
        output.results.map((s) => s.power),
        [128, 256, 512, 2048],
      );
      assert.ok((output.results.find((s) => s.power === 2048)?.invocations ?? 0) >= 5);

      const after = await functionState(lambda, fn);
      assert.equal(after.memorySize, 2048, 'the function keeps its size');
      assert.deepEqual(after.versions, before.versions, 'no version left behind');
      assert.deepEqual(after.aliases, before.aliases, 'no alias left behind');

      // The same verdict from the finished tuning, without tuning again.
      const again = await powertune(['check', '--from', id, '--max-regression', '10'], env);
      assert.equal(again.code, 1, again.stderr);
      assert.match(again.stdout, /^FAIL: 2048 MB \(today\) costs/);
      // A generous allowance passes the same result.
      const lenient = await powertune(['check', '--from', id, '--max-regression', '5000%'], env);
      assert.equal(lenient.code, 0, lenient.stderr);
      assert.match(
        lenient.stdout.trim(),
        /^PASS: 2048 MB \(today\) costs \d+% more per invocation than the recommended 128 MB .*within the 5,000% allowed\.$/,
      );
    } finally {
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, MemorySize: 128 }));
    }
  });

  void it('refuses a bad allowance before starting anything', async () => {
    const r = await powertune(['check', fn, '--max-regression', 'lots'], env);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /--max-regression: expected a percentage of at least 0 such as 10% or 2\.5, got "lots"/,
    );
  });
});
