/**
 * A user of the original pastes its execution input into `temporal workflow start`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { POWER_TUNING_WORKFLOW } from '../../domain/workflow-api.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { testTemporalAddress, testTemporalCliPath } from '../support/env.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const run = promisify(execFile);
const functions = writeTestFunctions({ 'cli-fn': { cpuMs: 200 } });

describe('the temporal CLI', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { functionsFile: functions.file, loadSamples: false } });
  });
  after(async () => h?.stop());

  it('starts a tuning with the original JSON input and reads its result', async () => {
    const cli = await testTemporalCliPath();
    const address = await testTemporalAddress();
    const id = `cli-${Date.now()}`;
    const common = ['--address', address, '--namespace', h.namespace];
    const input = JSON.stringify({
      lambdaARN: 'arn:aws:lambda:us-east-1:123456789012:function:cli-fn',
      num: 5,
      powerValues: [128, 256, 512],
      strategy: 'cost',
    });
    await run(cli, [
      'workflow',
      'start',
      '--type',
      POWER_TUNING_WORKFLOW,
      '--task-queue',
      h.taskQueue,
      '--workflow-id',
      id,
      '--input',
      input,
      ...common,
    ]);
    const { stdout } = await run(
      cli,
      ['workflow', 'result', '--workflow-id', id, '--output', 'json', ...common],
      {
        timeout: 120_000,
      },
    );
    const parsed = JSON.parse(stdout) as {
      status?: string;
      result?: { power?: number; results?: unknown[] };
    };
    assert.equal(parsed.status, 'COMPLETED');
    assert.ok([128, 256, 512].includes(parsed.result?.power ?? -1));
    assert.equal(parsed.result?.results?.length, 3);
  });
});
