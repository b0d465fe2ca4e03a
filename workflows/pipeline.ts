/**
 * Setup and the first round, pipelined: setup stays one size at a time (each step changes
 * `$LATEST`), but each size starts invoking as soon as its version and alias exist, and, when the
 * policy decides a size's next request from its own samples (the fixed grid's replacements),
 * goes on without waiting for the others. Adaptive looks then compare the sizes as before
 * (workflows/sampling.ts); every later round finds its sizes set up.
 */
import { ApplicationFailure, patched } from '@temporalio/workflow';
import type { FunctionFacts, LockResult, SetupResult } from '../activities/types.js';
import { decidesPerSize, fixedRequest } from '../domain/sampling-policy.js';
import type { FunctionTarget, TuningConfig } from '../domain/types.js';
import type { ForeignPass, LateSetup } from './late-setup.js';
import type { RunStatus } from './run-status.js';
import {
  sample,
  sampleColdStarts,
  sampleFrom,
  sampleSize,
  sizeOf,
  startSampling,
  type Sampled,
  type SamplingRun,
} from './sampling.js';
import { exploreFrom } from './exploration.js';
import { restoreLatest, setUpSize, setUpSizes } from './setup.js';
import { allOrCancelRest } from './steps.js';

/** Runs started before pipelining set every size up before invoking any (workflows/sampling.ts). */
export const PIPELINE_PATCH = 'pipelined-setup';

export interface PipelineInput {
  config: TuningConfig;
  facts: FunctionFacts;
  target: FunctionTarget;
  tag: string;
  original: LockResult['original'];
  /** First-round invocations per size. */
  total: number;
  status: RunStatus;
  foreign?: ForeignPass;
}

/**
 * Slowest expected first, so the longest runs start earliest: without measurements that is the
 * smallest memory (CPU-bound code runs longest there; for I/O-bound code the order is moot).
 */
export function setupOrder(powerValues: readonly number[]): number[] {
  return [...powerValues].sort((a, b) => a - b);
}

export async function setUpAndSample(input: PipelineInput): Promise<Sampled> {
  if (!patched(PIPELINE_PATCH)) return setUpThenSample(input);
  const { config, target, tag, original, total, status } = input;
  const run = startSampling(config, input.facts, target, total, status.progress);
  const order = setupOrder(config.powerValues);
  const ready = new Map(order.map((power) => [power, deferred<SetupResult>()]));
  const setups: SetupResult[] = [];

  const chains = new Map<number, Promise<void>>();
  const setUpAll = async (): Promise<void> => {
    try {
      const foreign = input.foreign;
      await foreign?.beforeSetup();
      for (const power of order) {
        const setup = await setUpSize(
          config,
          target,
          tag,
          original,
          total,
          power,
          run.environments,
          foreign?.architecture,
        );
        setups.push(setup);
        ready.get(power)?.resolve(setup);
      }
      await restoreLatest(target, original);
      await foreign?.afterSetup();
    } catch (err) {
      // A function deleted while being tuned is reported by the batches it stops, which say so
      // (FunctionDisappeared); this step's failure only when no size was invoking to notice.
      if (functionGone(err)) await Promise.allSettled(setups.map((s) => chains.get(s.power)));
      // Sizes not set up yet never start; the failure (or cancellation) ends the pipeline.
      for (const waiting of ready.values()) waiting.reject(err);
      throw err;
    }
    status.enter('invoking');
  };
  const sampleOnce = async (power: number): Promise<void> => {
    const setup = await (ready.get(power) as Deferred<SetupResult>).promise;
    await sampleColdStarts(run, setup);
    await sampleOwnRounds(run, setup, total);
  };
  const chain = (power: number) => () => {
    const running = sampleOnce(power);
    chains.set(power, running);
    return running;
  };
  // One failure cancels the rest and waits for them: cleanup never races a step or a batch.
  await allOrCancelRest([setUpAll, ...order.map(chain)]);
  const late: LateSetup = { tag, original, total, ...(input.foreign ? { foreign: input.foreign } : {}) };
  // A new input: no recorded run has it, so runs without it take exactly the path they took.
  if (config.exploration && run.settings.policy === 'adaptive')
    return exploreFrom(run, setups, 1, { ...late, range: config.exploration });
  return sampleFrom(run, setups, 1, late);
}

/** The function itself is missing: the control plane answers ResourceNotFoundException. */
function functionGone(err: unknown): boolean {
  return err instanceof ApplicationFailure && err.type === 'ResourceNotFoundException';
}

/**
 * Runs started before pipelining: every size set up, then the first round. They predate spreading
 * over environments, so one per size; the run is started after setup, where their histories
 * record its patch markers.
 */
async function setUpThenSample(input: PipelineInput): Promise<Sampled> {
  const { config, facts, target, tag, original, total, status } = input;
  const environments = 1;
  const setups = await setUpSizes(config, target, tag, original, total, environments);
  status.enter('invoking');
  const run = startSampling(config, facts, target, total, status.progress, { environments });
  return sample(run, setups, total);
}

/** A size's first round, then the rounds it decides alone (if the policy lets it). */
async function sampleOwnRounds(run: SamplingRun, setup: SetupResult, first: number): Promise<void> {
  let count = first;
  for (let round = 1; ; round++) {
    await sampleSize(run, setup, count, round);
    if (!decidesPerSize(run.settings)) return;
    const next = fixedRequest(run.settings, sizeOf(run, setup.power), run.sizes.length);
    if (!next) return;
    count = next.count;
    run.progress.extend(setup.power, count);
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
