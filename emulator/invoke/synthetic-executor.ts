/**
 * Runs synthetic functions: no code, only a profile. Each version has its own seeded random
 * stream and its own warm execution environments (each with the speed factor of its host), so
 * cold starts and noise are reproducible. `sampleInvocation` gives the same numbers without HTTP.
 */
import type { Architecture, LogFormat, SyntheticProfile } from '../model/types.js';
import { billedFor, drawCall, environmentFactor, roundDuration, syntheticDuration } from './cpu-model.js';
import { exitError, invalidEntrypointError, timeoutError, type InvocationOutcome } from './outcome.js';
import { mulberry32, versionSeed, type Random } from './prng.js';

/** One execution environment of a synthetic function. */
export interface SyntheticEnvironment {
  /** False until its first call (a cold start), and again once it was thrown away. */
  warm: boolean;
  /** The host's speed factor (1 = nominal), drawn on its cold start; see environmentSpread. */
  speedFactor: number;
}

export const newEnvironment = (): SyntheticEnvironment => ({ warm: false, speedFactor: 1 });

type CallKind = 'cannot-start' | 'out-of-memory' | 'timeout' | 'error' | 'success';

interface CallCore {
  kind: CallKind;
  /** Duration as reported (two decimals); the timeout itself for a timeout. */
  durationMs: number;
  /** Init Duration on a cold start (two decimals). */
  initMs?: number;
}

/** Why the profile's code cannot start on `architecture`, or undefined when it can. */
export const startFailure = (profile: SyntheticProfile, architecture: Architecture): string | undefined =>
  profile.architectures?.[architecture]?.fails;

/**
 * The part of a call both the emulator and sampleInvocation share: the call's draws, then on a
 * cold start the new environment's speed factor, then the duration and what happened. Updates
 * `environment`: warm after the call, unless the call killed it (out of memory, timeout).
 * Code that cannot start on `architecture` fails at once, cold, drawing nothing.
 */
function runCall(
  profile: SyntheticProfile,
  memoryMb: number,
  timeoutMs: number,
  random: Random,
  environment: SyntheticEnvironment,
  architecture: Architecture,
): CallCore {
  if (startFailure(profile, architecture) !== undefined) {
    environment.warm = false;
    return { kind: 'cannot-start', durationMs: 0, initMs: 0 };
  }
  const draws = drawCall(profile, random);
  const cold = !environment.warm;
  if (cold) {
    environment.speedFactor = environmentFactor(profile, random);
    environment.warm = true;
  }
  const initMs = cold ? roundDuration(profile.coldStartMs) : undefined;
  const duration = roundDuration(
    syntheticDuration(profile, memoryMb, draws, environment.speedFactor, architecture),
  );
  let core: CallCore;
  if (profile.minMemoryMb > 0 && memoryMb < profile.minMemoryMb) {
    core = { kind: 'out-of-memory', durationMs: duration, initMs };
  } else if (duration > timeoutMs) {
    core = { kind: 'timeout', durationMs: timeoutMs, initMs };
  } else {
    core = { kind: draws.error < profile.errorRate ? 'error' : 'success', durationMs: duration, initMs };
  }
  if (core.kind === 'out-of-memory' || core.kind === 'timeout') environment.warm = false;
  return core;
}

/** One call as the tuner would record it (the fields of domain/types.ts InvocationResult). */
export interface SampledInvocation {
  /** Duration + Init Duration, in ms (what the tuner reads from the REPORT line). */
  durationMs: number;
  /** Billed Duration: whole ms rounded up, at least 1, Init included on a cold start. */
  billedMs: number;
  /** Init Duration on a cold start, else 0. */
  initMs: number;
  coldStart: boolean;
  /** The function's error, as Lambda names it. */
  error?: { type: string; message: string };
}

export interface SampleOptions {
  /** The function's timeout in ms (default: none). */
  timeoutMs?: number;
  /** Bill the Init Duration of cold starts (default true, as the emulator). */
  billInit?: boolean;
  /** The function's architecture (default x86_64): its speed factor, or its start failure. */
  architecture?: Architecture;
}

const ERROR_OF: Record<
  Exclude<CallKind, 'success'>,
  (p: SyntheticProfile, timeoutMs: number, architecture: Architecture) => { type: string; message: string }
> = {
  'cannot-start': (p, _timeoutMs, architecture) => ({
    type: 'Runtime.InvalidEntrypoint',
    message: `Error: fork/exec /var/task/bootstrap: ${startFailure(p, architecture) ?? ''}`,
  }),
  'out-of-memory': () => ({
    type: 'Runtime.ExitError',
    message: 'Error: Runtime exited with error: signal: killed',
  }),
  timeout: (_p, timeoutMs) => ({
    type: 'Sandbox.Timedout',
    message: `Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
  }),
  error: (p) => ({ type: 'SyntheticError', message: `Synthetic failure (errorRate ${p.errorRate})` }),
};

/**
 * One call of a synthetic function in `environment`, without HTTP: the same draws, duration,
 * billing and errors as the emulator. Pure apart from `random` and `environment`, which it
 * advances and updates as the emulator does (a cold start warms the environment and fixes its
 * speed factor; an out-of-memory kill or a timeout throws it away, so its next call is cold).
 */
export function sampleInvocation(
  profile: SyntheticProfile,
  memoryMb: number,
  random: Random,
  environment: SyntheticEnvironment,
  options: SampleOptions = {},
): SampledInvocation {
  const timeoutMs = options.timeoutMs ?? Number.POSITIVE_INFINITY;
  const architecture = options.architecture ?? 'x86_64';
  const core = runCall(profile, memoryMb, timeoutMs, random, environment, architecture);
  const initMs = core.initMs ?? 0;
  const result: SampledInvocation = {
    durationMs: Math.round((core.durationMs + initMs) * 1000) / 1000,
    billedMs: billedFor(core.durationMs, core.initMs, options.billInit ?? true),
    initMs,
    coldStart: core.initMs !== undefined,
  };
  if (core.kind !== 'success') result.error = ERROR_OF[core.kind](profile, timeoutMs, architecture);
  return result;
}

export interface SyntheticCall {
  key: string;
  functionName: string;
  version: string;
  profile: SyntheticProfile;
  memorySize: number;
  timeoutSeconds: number;
  requestId: string;
  logFormat: LogFormat;
  architecture: Architecture;
}

export interface SyntheticLease {
  outcome: InvocationOutcome;
  /** Call when the emulated time has passed, to make the environment warm again. */
  release: () => void;
}

/** The line the Node.js runtime logs for an unhandled error, in the function's log format. */
function invokeErrorLine(
  call: SyntheticCall,
  error: { errorType: string; errorMessage: string; trace: string[] },
): string {
  const timestamp = new Date().toISOString();
  if (call.logFormat === 'JSON') {
    return JSON.stringify({
      timestamp,
      level: 'ERROR',
      requestId: call.requestId,
      message: 'Invoke Error',
      errorType: error.errorType,
      errorMessage: error.errorMessage,
      stackTrace: error.trace,
    });
  }
  const detail = JSON.stringify({
    errorType: error.errorType,
    errorMessage: error.errorMessage,
    stack: error.trace,
  });
  return `${timestamp}\t${call.requestId}\tERROR\tInvoke Error \t${detail}`;
}

export class SyntheticExecutor {
  private readonly streams = new Map<string, Random>();
  /** Warm environments not serving a call, per key (last released first). */
  private readonly idle = new Map<string, SyntheticEnvironment[]>();

  constructor(private readonly seed: number) {}

  private stream(call: SyntheticCall): Random {
    let random = this.streams.get(call.key);
    if (!random) {
      random = mulberry32(versionSeed(this.seed, call.functionName, call.version));
      this.streams.set(call.key, random);
    }
    return random;
  }

  run(call: SyntheticCall): SyntheticLease {
    const { profile } = call;
    const random = this.stream(call);
    const environment = this.idle.get(call.key)?.pop() ?? newEnvironment();
    const timeoutMs = call.timeoutSeconds * 1000;
    const core = runCall(profile, call.memorySize, timeoutMs, random, environment, call.architecture);
    const memoryUsed = Math.min(call.memorySize, Math.ceil(profile.memoryUsedMb));
    const base = { initMs: core.initMs, functionLines: [] as string[], platformLines: [] as string[] };
    let outcome: InvocationOutcome;
    if (core.kind === 'cannot-start') {
      // The runtime never ran: nothing of the function's own, the platform says why.
      const error = invalidEntrypointError(call.requestId, startFailure(profile, call.architecture) ?? '');
      outcome = {
        ...base,
        error,
        durationMs: core.durationMs,
        maxMemoryUsedMb: 0,
        platformLines: [error.errorMessage, error.errorType],
        status: 'error',
        discardEnvironment: true,
      };
    } else if (core.kind === 'out-of-memory') {
      const error = exitError(call.requestId, 'signal: killed');
      outcome = {
        ...base,
        error,
        durationMs: core.durationMs,
        maxMemoryUsedMb: call.memorySize,
        platformLines: [error.errorMessage, error.errorType],
        status: 'error',
        discardEnvironment: true,
      };
    } else if (core.kind === 'timeout') {
      const error = timeoutError(call.requestId, call.timeoutSeconds);
      outcome = {
        ...base,
        error,
        durationMs: core.durationMs,
        maxMemoryUsedMb: memoryUsed,
        platformLines: [
          `${new Date().toISOString()} ${call.requestId} Task timed out after ${call.timeoutSeconds.toFixed(2)} seconds`,
        ],
        status: 'timeout',
        discardEnvironment: true,
      };
    } else if (core.kind === 'error') {
      const error = {
        errorType: 'SyntheticError',
        errorMessage: `Synthetic failure (errorRate ${profile.errorRate})`,
        trace: ['SyntheticError: Synthetic failure', '    at syntheticProfile (emulator)'],
      };
      const line = invokeErrorLine(call, error);
      outcome = {
        ...base,
        error,
        durationMs: core.durationMs,
        maxMemoryUsedMb: memoryUsed,
        functionLines: [line],
        status: 'error',
        discardEnvironment: false,
      };
    } else {
      outcome = {
        ...base,
        payload: JSON.stringify({ ok: true, profile: call.functionName, version: call.version }),
        durationMs: core.durationMs,
        maxMemoryUsedMb: memoryUsed,
        status: 'success',
        discardEnvironment: false,
      };
    }
    const release = (): void => {
      if (outcome.discardEnvironment) return;
      const idle = this.idle.get(call.key) ?? [];
      idle.push(environment);
      this.idle.set(call.key, idle);
    };
    return { outcome, release };
  }

  /** Forgets the warm environments of keys starting with `prefix`. */
  recycle(prefix: string): void {
    for (const key of [...this.idle.keys()]) if (key.startsWith(prefix)) this.idle.delete(key);
  }
}
