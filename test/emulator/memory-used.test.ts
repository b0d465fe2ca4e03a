/**
 * Max Memory Used is the function's own peak, not its parent's. Linux carries a process's peak
 * resident size across fork+exec, so a runner forked by a process holding more than the memory
 * size looked out of memory before it ran a line (on Node 22 a test process with its worker is
 * already past 128 MB). This file's own process holds 256 MB while the emulator forks runners.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { decodeLog, functionsFile, handlerDir, lambdaClient, reportOf } from './helpers.js';

const PARENT_MB = 256;

void describe('emulator Max Memory Used under a large parent process', () => {
  let emu: RunningEmulator;
  let lambda: LambdaClient;
  // Filled, so every page is resident in this process when the runners are forked.
  let ballast: Buffer | undefined = Buffer.alloc(PARENT_MB * 1024 * 1024, 1);

  before(async () => {
    const file = functionsFile([
      { name: 'tiny', memorySize: 128, code: handlerDir('export const handler = async () => 1;') },
    ]);
    emu = await startEmulator({ port: 0, timeScale: 0, functionsFile: file, updateDelayMs: 20 });
    lambda = lambdaClient(emu.url);
  });
  after(async () => {
    ballast = undefined;
    lambda?.destroy();
    await emu?.stop();
  });

  void it('runs a tiny handler at 128 MB and reports its own peak, far below the parent', async () => {
    assert.ok(process.memoryUsage().rss > PARENT_MB * 1024 * 1024, 'the ballast is resident');
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'tiny', LogType: 'Tail' }));
    assert.equal(out.FunctionError, undefined, decodeLog(out));
    const report = reportOf(decodeLog(out));
    assert.ok(report.used < 128, `Max Memory Used ${report.used} MB`);
    assert.equal(ballast?.[0], 1);
  });
});
