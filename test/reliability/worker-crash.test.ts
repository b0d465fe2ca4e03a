/**
 * Worker crashes: the worker process is SIGKILLed during setup, invocations and cleanup; a new
 * worker finishes the run with exact counts and nothing leaked. (`npm run chaos` runs many more
 * trials at random moments.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { runChaosTrial, type KillPoint } from '../support/chaos-trial.js';
import { testTemporalAddress, testTemporalNamespace } from '../support/env.js';
import { writeTestFunctions } from '../support/functions-file.js';

const KILL_POINTS: KillPoint[] = ['setup', 'invoking', 'cleanup'];
const functions = writeTestFunctions(
  Object.fromEntries(KILL_POINTS.map((p) => [`crash-${String(p)}`, { cpuMs: 40, ioWaitMs: 20 }])),
);

describe('worker crash', () => {
  let emulator: RunningEmulator;
  let connection: Connection;
  let client: Client;
  let address: string;
  let namespace: string;
  before(async () => {
    // Real time, so that each phase lasts long enough to be hit.
    emulator = await startEmulator({
      port: 0,
      timeScale: 1,
      functionsFile: functions.file,
      loadSamples: false,
    });
    address = await testTemporalAddress();
    namespace = await testTemporalNamespace();
    connection = await Connection.connect({ address });
    client = new Client({ connection, namespace });
  });
  after(async () => {
    await connection?.close();
    await emulator?.stop();
  });

  it('a SIGKILLed worker is replaced and every run completes exactly, in every phase', async () => {
    // Slow control-plane answers for the cleanup trial's function make its cleanup phase last
    // long enough (about a second) for the kill to land in it even on a loaded machine.
    await emulator.admin.setFaults({ functionName: 'crash-cleanup', latencyMs: 150, operations: 'control' });
    const outcomes = await Promise.all(
      KILL_POINTS.map((killAt) =>
        runChaosTrial(
          { client, address, namespace, emulator },
          { functionName: `crash-${String(killAt)}`, killAt, num: 30, powerValues: [128, 256, 512] },
        ),
      ),
    );
    for (const [i, outcome] of outcomes.entries()) {
      assert.deepEqual(outcome.problems, [], `kill at ${String(KILL_POINTS[i])}`);
    }
    // The kills really landed in the phases they aimed at.
    assert.deepEqual(
      outcomes.map((o) => o.killedIn),
      ['setup', 'invoking', 'cleanup'],
    );
  });
});
