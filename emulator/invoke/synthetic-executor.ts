/**
 * Runs synthetic functions: no code, only a profile. Each version has its own seeded random
 * stream and its own count of warm environments, so cold starts and noise are reproducible.
 */
import type { LogFormat, SyntheticProfile } from '../model/types.js';
import { roundDuration, syntheticDuration, type SyntheticDraws } from './cpu-model.js';
import { exitError, timeoutError, type InvocationOutcome } from './outcome.js';
import { mulberry32, versionSeed, type Random } from './prng.js';

export interface SyntheticCall {
  key: string;
  functionName: string;
  version: string;
  profile: SyntheticProfile;
  memorySize: number;
  timeoutSeconds: number;
  requestId: string;
  logFormat: LogFormat;
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
  private readonly idle = new Map<string, number>();

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
    const draws: SyntheticDraws = { noise1: random(), noise2: random(), error: random() };
    const warm = (this.idle.get(call.key) ?? 0) > 0;
    if (warm) this.idle.set(call.key, (this.idle.get(call.key) ?? 0) - 1);
    const initMs = warm ? undefined : roundDuration(profile.coldStartMs);
    const memoryUsed = Math.min(call.memorySize, Math.ceil(profile.memoryUsedMb));
    const timeoutMs = call.timeoutSeconds * 1000;
    const duration = roundDuration(syntheticDuration(profile, call.memorySize, draws));
    const base = { initMs, functionLines: [] as string[], platformLines: [] as string[] };
    let outcome: InvocationOutcome;
    if (profile.minMemoryMb > 0 && call.memorySize < profile.minMemoryMb) {
      const error = exitError(call.requestId, 'signal: killed');
      outcome = {
        ...base,
        error,
        durationMs: duration,
        maxMemoryUsedMb: call.memorySize,
        platformLines: [error.errorMessage, error.errorType],
        status: 'error',
        discardEnvironment: true,
      };
    } else if (duration > timeoutMs) {
      const error = timeoutError(call.requestId, call.timeoutSeconds);
      outcome = {
        ...base,
        error,
        durationMs: timeoutMs,
        maxMemoryUsedMb: memoryUsed,
        platformLines: [
          `${new Date().toISOString()} ${call.requestId} Task timed out after ${call.timeoutSeconds.toFixed(2)} seconds`,
        ],
        status: 'timeout',
        discardEnvironment: true,
      };
    } else if (draws.error < profile.errorRate) {
      const error = {
        errorType: 'SyntheticError',
        errorMessage: `Synthetic failure (errorRate ${profile.errorRate})`,
        trace: ['SyntheticError: Synthetic failure', '    at syntheticProfile (emulator)'],
      };
      const line = invokeErrorLine(call, error);
      outcome = {
        ...base,
        error,
        durationMs: duration,
        maxMemoryUsedMb: memoryUsed,
        functionLines: [line],
        status: 'error',
        discardEnvironment: false,
      };
    } else {
      outcome = {
        ...base,
        payload: JSON.stringify({ ok: true, profile: call.functionName, version: call.version }),
        durationMs: duration,
        maxMemoryUsedMb: memoryUsed,
        status: 'success',
        discardEnvironment: false,
      };
    }
    const release = (): void => {
      if (!outcome.discardEnvironment) this.idle.set(call.key, (this.idle.get(call.key) ?? 0) + 1);
    };
    return { outcome, release };
  }

  /** Forgets the warm environments of keys starting with `prefix`. */
  recycle(prefix: string): void {
    for (const key of [...this.idle.keys()]) if (key.startsWith(prefix)) this.idle.delete(key);
  }
}
