/**
 * Fast workflow tests: the real workflow bundle runs on Temporal's time-skipping test server
 * (scripts/temporal-test-server.ts provisions the binary) against mocked activities, plain
 * functions registered under the names of activities/index.ts. Every call is recorded, so a test
 * can check which activities ran, in which order, with what input, and on which attempt.
 *
 * While a test awaits a workflow's result and no activity is running, the server's clock jumps to
 * its next timer: retry backoffs of minutes pass at once. A running activity holds the clock; a
 * mock moves it on itself with `env.sleep(...)` (e.g. past a heartbeat timeout).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { activityInfo, Context } from '@temporalio/activity';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { PowerTuningActivities } from '../../activities/index.js';
import type { CleanupResult, LockResult, PrepareResult } from '../../activities/types.js';
import { dataConverterFromEnv } from '../../codec/data-converter.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import type { InvocationResult, PowerTuningInput, TuningOutput } from '../../domain/types.js';
import { ensureTemporalTestServer } from '../../scripts/temporal-test-server.js';
import { workflowBundle } from './tuning-harness.js';

/** The activities powerTuning schedules (see workflows/power-tuning.ts and workflows/invocations.ts). */
export type TuningActivityName =
  | 'acquireTuningLock'
  | 'prepareTuning'
  | 'setupPowerValue'
  | 'restoreLatest'
  | 'invokeBatch'
  | 'optimizeFunction'
  | 'cleanupRun';

/** Mocks with the real activities' signatures: a changed activity contract fails the typecheck here. */
export type MockActivities = Pick<PowerTuningActivities, TuningActivityName>;

export interface ActivityCall {
  name: TuningActivityName;
  /** The activity's (only) argument, as the workflow sent it. */
  input: unknown;
  /** 1 for the first attempt. */
  attempt: number;
  activityId: string;
}

let runtimeInstalled = false;

/** Starts a time-skipping test server of this test file's own; `teardown()` stops it. */
export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  if (!runtimeInstalled) {
    // Expected activity failures (retries) would fill the report at the default levels, and
    // every worker would warn that the test server does not promise to keep the heartbeat
    // details of a failed attempt (no test here relies on that).
    // The runtime is process-wide: a test file using this module cannot also use startHarness.
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
    });
    runtimeInstalled = true;
  }
  const path = await ensureTemporalTestServer({ log: () => undefined });
  const dataConverter = dataConverterFromEnv();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
    ...(dataConverter ? { client: { dataConverter } } : {}),
  });
}

export const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:fast-tests';
export const ORIGINAL = { memorySize: 1536, description: 'the original description' };
export const SNAPSHOT_VERSION = '41';

/** What a cleanup that found the run's resources and put everything back reports. */
export function cleanedUp(): CleanupResult {
  return { deletedAliases: [], deletedVersions: [], restored: true, releasedLock: true };
}

/** Duration of invocation `index` at `power` MB: falls with memory, with a little spread. */
export function modelDuration(power: number, index: number): number {
  return Math.round(200_000 / power) + (index % 5);
}

/** What an invocation at `power` MB measured, deterministic in its index. */
export function modelResult(power: number, index: number): InvocationResult {
  const durationMs = modelDuration(power, index);
  return { durationMs, billedMs: Math.ceil(durationMs), initMs: 0, coldStart: false };
}

/**
 * Recording mocks that behave like a healthy function: the lock is free, setup succeeds,
 * invocations follow `modelResult`. `overrides` replace single activities; they are recorded too.
 */
export function mockActivities(
  calls: ActivityCall[],
  overrides: Partial<MockActivities> = {},
): MockActivities {
  const record = (name: TuningActivityName, input: unknown): void => {
    const info = activityInfo();
    calls.push({ name, input, attempt: info.attempt, activityId: info.activityId });
  };
  const defaults: MockActivities = {
    async acquireTuningLock(): Promise<LockResult> {
      return { original: { ...ORIGINAL }, snapshotVersion: SNAPSHOT_VERSION, snapshotCreated: true };
    },
    async prepareTuning(config): Promise<PrepareResult> {
      return {
        functionName: config.target.name ?? config.target.functionName,
        region: config.target.region ?? 'us-east-1',
        architecture: 'x86_64',
        // Among the sizes asked for, so a run tests exactly those; test/workflow/baseline.test.ts
        // gives a size outside them (the baseline joins the sizes then).
        memorySize: config.powerValues[0] ?? ORIGINAL.memorySize,
        description: ORIGINAL.description,
        searchAttributesReady: false,
      };
    },
    async setupPowerValue(input) {
      return { power: input.power, aliases: [`alias-${input.power}`] };
    },
    async restoreLatest() {},
    async invokeBatch(input) {
      const results = Array.from({ length: input.count }, (_, i) =>
        modelResult(input.power, input.start + i),
      );
      return { summary: summariseInvocations(results) };
    },
    async optimizeFunction() {
      return { version: '42' };
    },
    async cleanupRun() {
      return cleanedUp();
    },
  };
  const chosen = { ...defaults, ...overrides };
  const recorded = {} as Record<TuningActivityName, (input: never) => Promise<unknown>>;
  for (const name of Object.keys(chosen) as TuningActivityName[]) {
    const fn = chosen[name] as (input: unknown) => Promise<unknown>;
    recorded[name] = async (input: unknown) => {
      record(name, input);
      return fn(input);
    };
  }
  return recorded as unknown as MockActivities;
}

/** A tuning on a worker of its own (private task queue) that runs the mocks. */
export interface MockedTuning {
  calls: ActivityCall[];
  taskQueue: string;
  /** Runs `body` while the worker polls; the worker is shut down afterwards. */
  run<T>(body: (start: (input: PowerTuningInput) => Promise<WorkflowHandle>) => Promise<T>): Promise<T>;
}

export async function mockedTuning(
  env: TestWorkflowEnvironment,
  overrides: Partial<MockActivities> = {},
): Promise<MockedTuning> {
  const calls: ActivityCall[] = [];
  const taskQueue = `fast-${randomUUID()}`;
  const dataConverter = dataConverterFromEnv();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: mockActivities(calls, overrides),
    ...(dataConverter ? { dataConverter } : {}),
    // A cancellation reaches a running activity with the answer to its next heartbeat: send
    // heartbeats at once instead of every 16 s (80% of the 20 s heartbeat timeout).
    maxHeartbeatThrottleInterval: '50 ms',
    defaultHeartbeatThrottleInterval: '50 ms',
  });
  return {
    calls,
    taskQueue,
    run: (body) =>
      worker.runUntil(
        body((input) =>
          env.client.workflow.start('powerTuning', {
            taskQueue,
            workflowId: `fast-${randomUUID()}`,
            args: [input],
          }),
        ),
      ),
  };
}

/** Runs one tuning to its end and returns its result (time skipping is on while it is awaited). */
export async function runTuning(
  env: TestWorkflowEnvironment,
  input: PowerTuningInput,
  overrides: Partial<MockActivities> = {},
): Promise<{ output: TuningOutput; calls: ActivityCall[] }> {
  const tuning = await mockedTuning(env, overrides);
  const output = await tuning.run(async (start) => (await (await start(input)).result()) as TuningOutput);
  return { output, calls: tuning.calls };
}

/** Runs one tuning that must fail, and returns the failure it ended with. */
export async function runToFailure(
  tuning: MockedTuning,
  input: PowerTuningInput,
): Promise<WorkflowFailedError> {
  const err = await tuning.run(async (start) =>
    (await start(input)).result().then(
      () => assert.fail('the run should fail'),
      (e: unknown) => e,
    ),
  );
  assert.ok(err instanceof WorkflowFailedError, String(err));
  return err;
}

/** The names of the calls, in order. */
export const callNames = (calls: readonly ActivityCall[]): string[] => calls.map((c) => c.name);

/** The inputs of one activity's calls, typed as that activity takes them. */
export function inputsOf<N extends TuningActivityName>(
  calls: readonly ActivityCall[],
  name: N,
): Parameters<MockActivities[N]>[0][] {
  return calls.filter((c) => c.name === name).map((c) => c.input as Parameters<MockActivities[N]>[0]);
}

/** A promise with its resolve function, for mocks that wait until the test lets them go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * Waits, heartbeating, until the workflow cancels the current activity, then throws the
 * cancellation as a cooperative activity does.
 */
export async function heartbeatUntilCancelled(): Promise<never> {
  const context = Context.current();
  const beat = setInterval(() => context.heartbeat(), 20);
  try {
    context.heartbeat();
    await context.cancelled;
  } finally {
    clearInterval(beat);
  }
  throw new Error('unreachable: Context.cancelled only rejects');
}

/**
 * Waits until the workflow has handled its cancellation request (a workflow task completed after
 * the request is in history). Activities blocked by a test should only finish after that: the
 * time-skipping server rejects a workflow task that asks to cancel an activity which completed
 * while the task was running ("ACTIVITY_UNKNOWN"), and the run then hangs; a real server copes.
 */
export async function waitUntilCancellationHandled(handle: WorkflowHandle, limitMs = 20_000): Promise<void> {
  const { EventType } = proto.temporal.api.enums.v1;
  const deadline = Date.now() + limitMs;
  for (;;) {
    const types = ((await handle.fetchHistory()).events ?? []).map((e) => e.eventType);
    const requested = types.indexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED);
    if (requested >= 0 && types.slice(requested).includes(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED))
      return;
    if (Date.now() > deadline)
      throw new Error(`the workflow did not handle its cancellation within ${limitMs} ms`);
    await sleep(20);
  }
}

/**
 * Batches that run until cancelled and then take 200 ms to stop, as the real activity waits for
 * its invocations in flight, and a cleanup that notes how many batches were still running when it
 * began: cleanup must wait for every batch. `onStart` runs as each batch starts.
 */
export function lingeringBatches(onStart: () => void = () => {}): {
  activities: Pick<MockActivities, 'invokeBatch' | 'cleanupRun'>;
  /** Batches still running when cleanup began; undefined before cleanup. */
  inFlightAtCleanup: () => number | undefined;
  /** Whether a batch heard of its cancellation. */
  cancelled: () => boolean;
} {
  let inFlight = 0;
  let inFlightAtCleanup: number | undefined;
  let cancelled = false;
  return {
    activities: {
      async invokeBatch() {
        inFlight++;
        try {
          onStart();
          return await heartbeatUntilCancelled().catch((err: unknown) => {
            cancelled = true;
            throw err;
          });
        } finally {
          await sleep(200);
          inFlight--;
        }
      },
      async cleanupRun() {
        inFlightAtCleanup = inFlight;
        return cleanedUp();
      },
    },
    inFlightAtCleanup: () => inFlightAtCleanup,
    cancelled: () => cancelled,
  };
}
