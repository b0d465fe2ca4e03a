/**
 * Server restart: the file-backed dev server is stopped and started again in the middle of the
 * invocations; worker and client reconnect and the run completes with exact counts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { TuningOutput } from '../../domain/types.js';
import { progressQuery } from '../../domain/workflow-api.js';
import { startDevServer, type DevServer } from '../../infra/dev-server.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const functions = writeTestFunctions({ 'restart-fn': { cpuMs: 30, ioWaitMs: 30 } });

describe('Temporal server restart', () => {
  let server: DevServer;
  let h: Harness;
  before(async () => {
    server = await startDevServer({
      dbFile: join(mkdtempSync(join(tmpdir(), 'pt-restart-')), 'temporal.db'),
    });
    h = await startHarness({
      emulator: { functionsFile: functions.file, loadSamples: false, timeScale: 1 },
      temporal: { address: server.address, namespace: server.namespace },
    });
  });
  after(async () => {
    await h?.stop();
    await server?.stop();
  });

  it('a run in progress survives a restart of the file-backed dev server', async () => {
    const lambda = lambdaClient(h.emulator.url);
    const before = await functionState(lambda, 'restart-fn');
    const handle = await h.start({ lambdaARN: 'restart-fn', num: 40, powerValues: [128, 256] });
    let phase: string | undefined;
    for (let i = 0; i < 300 && phase !== 'invoking'; i++) {
      phase = (await handle.query(progressQuery).catch(() => undefined))?.phase;
      await sleep(50);
    }
    assert.equal(phase, 'invoking');
    await server.restart();
    const out = (await handle.result()) as TuningOutput;
    assert.deepEqual(
      out.results.map((r) => r.invocations),
      [40, 40],
    );
    assert.deepEqual(await functionState(lambda, 'restart-fn'), before);
  });
});
