/**
 * A tuning ended by `temporal workflow terminate` never runs its cleanup: the function keeps the
 * lock, the tuning's versions and aliases and, during setup, a changed `$LATEST`. A new tuning
 * is refused and names `powertune cleanup`; `cleanupFunction` (dry run first) then puts the
 * function back exactly as it was before the tuning, and tuning works again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { CleanupFailedError, cleanupFunction, isNothingToClean } from '../../client/api.js';
import { InputError } from '../../domain/errors.js';
import { LOCK_ALIAS, isAnyRunAlias, isAnyRunVersionDescription } from '../../domain/naming.js';
import { progressQuery } from '../../domain/workflow-api.js';
import { writeTestFunctions } from '../support/functions-file.js';
import { functionState, lambdaClient, type FunctionState } from '../support/function-state.js';
import { startHarness, type Harness } from '../support/tuning-harness.js';

const functions = writeTestFunctions({
  'stranded-setup-fn': { cpuMs: 20, ioWaitMs: 20 },
  'stranded-invoke-fn': { cpuMs: 20, ioWaitMs: 20 },
  'stranded-race-fn': { cpuMs: 20 },
  'busy-fn': { cpuMs: 20, ioWaitMs: 20 },
  'clean-fn': { cpuMs: 20 },
});

/** Every update keeps `$LATEST` InProgress this long, so a setup step takes about a second. */
const UPDATE_DELAY_MS = 400;
/** None of these is the functions' own 128 MB, so a setup cut short shows in `$LATEST`. */
const POWER_VALUES = [256, 512, 1024, 1536];
/** The functions run at 128 MB: a tuning sets that size up too (the baseline), and first. */
const SIZES_SET_UP = POWER_VALUES.length + 1;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await check();
    if (value !== undefined) return value;
    await pause(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('cleanup of functions stranded by terminated tunings', () => {
  let h: Harness;
  let lambda: ReturnType<typeof lambdaClient>;
  before(async () => {
    h = await startHarness({
      emulator: { functionsFile: functions.file, loadSamples: false, updateDelayMs: UPDATE_DELAY_MS },
    });
    lambda = lambdaClient(h.emulator.url);
  });
  after(async () => h?.stop());

  const progressOf = (handle: WorkflowHandle) => handle.query(progressQuery);
  const runAliases = (state: FunctionState) => state.aliases.map((a) => a.name).filter(isAnyRunAlias);

  /**
   * Terminating a workflow does not stop an activity already running on the worker: a setup step
   * in flight finishes its update, publish and alias. Wait until the function stops changing,
   * as it has long before a person reads the error and runs the cleanup.
   */
  async function settled(fn: string): Promise<FunctionState> {
    let last = JSON.stringify(await functionState(lambda, fn));
    for (;;) {
      await pause(UPDATE_DELAY_MS * 3);
      const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
      const state = await functionState(lambda, fn);
      if (latest.LastUpdateStatus !== 'InProgress' && JSON.stringify(state) === last) return state;
      last = JSON.stringify(state);
    }
  }

  /** A new tuning is refused with StrandedTuning, naming the command, and changes nothing. */
  async function assertNewTuningRefused(fn: string, stranded: FunctionState): Promise<void> {
    const refused = await h.start({ lambdaARN: fn, num: 5, powerValues: [128, 256] });
    await assert.rejects(refused.result(), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof ApplicationFailure);
      assert.equal(err.cause.type, 'StrandedTuning');
      assert.match(err.cause.message, new RegExp(`powertune cleanup ${fn}`));
      return true;
    });
    assert.deepEqual(await functionState(lambda, fn), stranded, 'the refused run touched nothing');
  }

  /** Dry run lists and changes nothing; the real run restores `before` exactly; tuning works again. */
  async function cleanUpAndCheck(
    fn: string,
    terminated: WorkflowHandle,
    before: FunctionState,
    stranded: FunctionState,
  ): Promise<void> {
    const markedVersions = await markedVersionsOf(fn);
    const lock = stranded.aliases.find((a) => a.name === LOCK_ALIAS);
    assert.ok(lock && lock.version !== '$LATEST', 'the lock points at the snapshot of the settings');

    const dry = await cleanupFunction(h.client, fn, { dryRun: true, taskQueue: h.taskQueue });
    assert.equal(dry.dryRun, true);
    assert.equal(dry.lock?.workflowId, terminated.workflowId);
    assert.equal(dry.lock?.ownerStatus, 'TERMINATED');
    assert.equal(dry.lock?.pointsTo, lock.version);
    assert.deepEqual(dry.aliases, runAliases(stranded).sort());
    assert.deepEqual(
      dry.versions,
      [...markedVersions, lock.version].sort((a, b) => +a - +b),
      'every marked version and the snapshot',
    );
    assert.equal(dry.releasedLock, true);
    assert.deepEqual(await functionState(lambda, fn), stranded, 'a dry run changes nothing');

    const done = await cleanupFunction(h.client, fn, { taskQueue: h.taskQueue });
    assert.equal(done.dryRun, false);
    assert.deepEqual(done.aliases, dry.aliases);
    assert.deepEqual(done.versions, dry.versions);
    assert.deepEqual(done.restore, dry.restore);
    assert.equal(done.releasedLock, true);
    assert.deepEqual(done.warnings, []);
    assert.deepEqual(await functionState(lambda, fn), before, 'exactly the state before the tuning');

    // Nothing left: a second cleanup finds nothing, and a tuning runs and leaves nothing either.
    assert.ok(isNothingToClean(await cleanupFunction(h.client, fn, { taskQueue: h.taskQueue })));
    const out = await h.run({ lambdaARN: fn, num: 5, powerValues: [128, 256] });
    assert.deepEqual(
      out.results.map((r) => r.invocations),
      [5, 5],
    );
    assert.deepEqual(await functionState(lambda, fn), before);
  }

  async function markedVersionsOf(fn: string): Promise<string[]> {
    const versions: string[] = [];
    for (const v of (await functionState(lambda, fn)).versions) {
      if (v === '$LATEST') continue;
      const config = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: fn, Qualifier: v }),
      );
      if (isAnyRunVersionDescription(config.Description)) versions.push(v);
    }
    return versions;
  }

  it('terminated during setup: restores memory, description, versions and aliases', async () => {
    const fn = 'stranded-setup-fn';
    const before = await functionState(lambda, fn);
    const handle = await h.start({ lambdaARN: fn, num: 5, powerValues: POWER_VALUES });
    // Terminate once the baseline (the function's own 128 MB) and one more size are set up and
    // the next is on its way: $LATEST then holds a size the function never had.
    await waitFor('setup of the first two sizes', async () => {
      if ((await progressOf(handle)).phase !== 'setup') return undefined;
      return runAliases(await functionState(lambda, fn)).length >= 2 ? true : undefined;
    });
    await handle.terminate('simulating an operator terminating the tuning');
    assert.equal((await handle.describe()).status.name, 'TERMINATED');

    const stranded = await settled(fn);
    assert.ok(
      stranded.aliases.some((a) => a.name === LOCK_ALIAS),
      'the lock is left',
    );
    const leftAliases = runAliases(stranded);
    assert.ok(leftAliases.length >= 2 && leftAliases.length < SIZES_SET_UP, leftAliases.join());
    assert.notEqual(stranded.memorySize, before.memorySize, '$LATEST keeps a tuning memory size');
    assert.ok(isAnyRunVersionDescription(stranded.description), `marker: ${stranded.description}`);

    await assertNewTuningRefused(fn, stranded);
    const dry = await cleanupFunction(h.client, fn, { dryRun: true, taskQueue: h.taskQueue });
    assert.deepEqual(dry.restore, {
      from: { memorySize: stranded.memorySize, description: stranded.description },
      to: { memorySize: before.memorySize, description: before.description },
    });
    await cleanUpAndCheck(fn, handle, before, stranded);
  });

  it('terminated while invoking: removes versions, aliases and the lock; $LATEST was already back', async () => {
    const fn = 'stranded-invoke-fn';
    const before = await functionState(lambda, fn);
    // One invocation per activity with a long durable timer in between: the run sits in `invoking`.
    const handle = await h.start({
      lambdaARN: fn,
      num: 5,
      powerValues: POWER_VALUES,
      sleepBetweenRunsMs: 600_000,
    });
    await waitFor('the first invocation of every size', async () => {
      const p = await progressOf(handle);
      return p.phase === 'invoking' && p.sizes.every((v) => v.done >= 1) ? p : undefined;
    });
    await handle.terminate('simulating an operator terminating the tuning');

    const stranded = await settled(fn);
    assert.ok(
      stranded.aliases.some((a) => a.name === LOCK_ALIAS),
      'the lock is left',
    );
    assert.equal(runAliases(stranded).length, SIZES_SET_UP);
    assert.equal(stranded.memorySize, before.memorySize);
    assert.equal(stranded.description, before.description);

    await assertNewTuningRefused(fn, stranded);
    const dry = await cleanupFunction(h.client, fn, { dryRun: true, taskQueue: h.taskQueue });
    assert.equal(dry.restore, undefined, '$LATEST needs no restore');
    await cleanUpAndCheck(fn, handle, before, stranded);
  });

  it('run right after the termination, it waits for the setup step still finishing on the worker', async () => {
    const fn = 'stranded-race-fn';
    const before = await functionState(lambda, fn);
    const handle = await h.start({ lambdaARN: fn, num: 5, powerValues: POWER_VALUES });
    // Terminate between a setup step's memory update and its publish: that step goes on alone.
    const power = await waitFor('a setup step between update and publish', async () => {
      const state = await functionState(lambda, fn);
      const marker = /^\[power-tuning ([0-9a-f]{8}) (\d+)MB\]/.exec(state.description ?? '');
      if (!marker || runAliases(state).length === 0) return undefined;
      return state.aliases.some((a) => a.name === `ptune-${marker[1]}-${marker[2]}`) ? undefined : marker;
    });
    await handle.terminate('simulating an operator terminating the tuning');

    const report = await cleanupFunction(h.client, fn, { taskQueue: h.taskQueue });
    assert.ok(
      report.aliases.includes(`ptune-${power[1]}-${power[2]}`),
      `the alias published after the termination was waited for and deleted: ${report.aliases.join()}`,
    );
    assert.deepEqual(await functionState(lambda, fn), before);
    assert.deepEqual(await settled(fn), before, 'and nothing changes afterwards');
  });

  it('refuses (TuningRunning) while the tuning holding the lock runs, even as a dry run', async () => {
    const fn = 'busy-fn';
    const before = await functionState(lambda, fn);
    const handle = await h.start({
      lambdaARN: fn,
      num: 5,
      powerValues: [128, 256],
      sleepBetweenRunsMs: 600_000,
    });
    await waitFor('invoking', async () =>
      (await progressOf(handle)).phase === 'invoking' ? true : undefined,
    );
    const during = await functionState(lambda, fn);
    for (const dryRun of [true, false]) {
      await assert.rejects(
        cleanupFunction(h.client, fn, { dryRun, taskQueue: h.taskQueue }),
        (err: unknown) => {
          assert.ok(err instanceof CleanupFailedError, String(err));
          assert.equal(err.status, 'FAILED');
          assert.equal(err.failureType, 'TuningRunning');
          assert.match(
            err.message,
            new RegExp(`A tuning is running on ${fn} \\(workflow ${handle.workflowId}\\)`),
          );
          assert.match(err.message, /powertune cancel/);
          return true;
        },
      );
    }
    assert.deepEqual(await functionState(lambda, fn), during, 'the running tuning is untouched');
    assert.equal((await handle.describe()).status.name, 'RUNNING');

    await handle.cancel();
    await handle.result().catch(() => undefined);
    assert.deepEqual(await functionState(lambda, fn), before);
  });

  it('a function with no leftovers: nothing to do, and nothing changed', async () => {
    const fn = 'clean-fn';
    const before = await functionState(lambda, fn);
    for (const dryRun of [true, false]) {
      const report = await cleanupFunction(h.client, fn, { dryRun, taskQueue: h.taskQueue });
      assert.ok(isNothingToClean(report), JSON.stringify(report));
      assert.deepEqual(report.warnings, []);
      assert.deepEqual(await functionState(lambda, fn), before);
    }
  });

  it('a bad function name fails locally, naming the field, before any workflow starts', async () => {
    await assert.rejects(
      cleanupFunction(h.client, 'not a name!', { taskQueue: h.taskQueue }),
      (err: unknown) => {
        assert.ok(err instanceof InputError);
        assert.equal(err.field, 'lambdaARN');
        assert.match(err.message, /is not a Lambda function name or ARN/);
        return true;
      },
    );
  });
});
