/** Runs real Node.js handlers in pooled child processes and turns measurements into Lambda's numbers. */
import type { EnvironmentSpec, ExecutionEnvironment, InitResult, RunResult } from '../runtime/environment.js';
import type { EnvironmentPool } from '../runtime/environment-pool.js';
import { realHandlerDuration, roundDuration } from './cpu-model.js';
import { exitError, timeoutError, type InvocationOutcome } from './outcome.js';

export interface HandlerCall {
  key: string;
  spec: EnvironmentSpec;
  requestId: string;
  event: unknown;
  invokedFunctionArn: string;
  timeoutSeconds: number;
}

export interface HandlerLease {
  outcome: InvocationOutcome;
  release: () => void;
}

const timedOutLine = (requestId: string, seconds: number): string =>
  `${new Date().toISOString()} ${requestId} Task timed out after ${seconds.toFixed(2)} seconds`;

/** Lambda stops a function's initialisation after 10 seconds. */
export const INIT_TIMEOUT_MS = 10_000;

function readyWithin(env: ExecutionEnvironment, limitMs: number): Promise<InitResult> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<InitResult>((resolve) => {
    timer = setTimeout(() => {
      env.kill();
      resolve({
        initMs: limitMs,
        error: {
          errorType: 'Sandbox.Timedout',
          errorMessage: `Init phase timed out after ${limitMs / 1000} seconds`,
          trace: [],
        },
        lines: [],
      });
    }, limitMs);
  });
  return Promise.race([env.ready, timedOut]).finally(() => clearTimeout(timer));
}

export class HandlerExecutor {
  constructor(
    private readonly pool: EnvironmentPool,
    private readonly initTimeoutMs = INIT_TIMEOUT_MS,
  ) {}

  async run(call: HandlerCall): Promise<HandlerLease> {
    const { env, cold } = await this.pool.acquire(call.key, call.spec);
    const init = cold ? await readyWithin(env, this.initTimeoutMs) : undefined;
    const initMs = init ? roundDuration(init.initMs) : undefined;
    const initLines = init?.lines ?? [];
    const memorySize = call.spec.memorySize;
    let outcome: InvocationOutcome;
    if (init?.error) {
      outcome = {
        error: init.error,
        initMs,
        durationMs: 0,
        maxMemoryUsedMb: 0,
        functionLines: initLines,
        platformLines: [`${init.error.errorType}: ${init.error.errorMessage}`],
        status: 'error',
        discardEnvironment: true,
      };
    } else {
      const result = await env.run({
        requestId: call.requestId,
        event: call.event,
        invokedFunctionArn: call.invokedFunctionArn,
        timeoutMs: call.timeoutSeconds * 1000,
      });
      outcome = this.toOutcome(call, result, memorySize);
      outcome.initMs = initMs;
      outcome.functionLines = [...initLines, ...outcome.functionLines];
    }
    const discard = outcome.discardEnvironment;
    let released = false;
    return {
      outcome,
      release: () => {
        if (released) return;
        released = true;
        this.pool.release(env, discard);
      },
    };
  }

  private toOutcome(call: HandlerCall, r: RunResult, memorySize: number): InvocationOutcome {
    const timeoutMs = call.timeoutSeconds * 1000;
    const timedOut = (lines: string[], usedMb: number): InvocationOutcome => ({
      error: timeoutError(call.requestId, call.timeoutSeconds),
      durationMs: timeoutMs,
      maxMemoryUsedMb: usedMb,
      functionLines: lines,
      platformLines: [timedOutLine(call.requestId, call.timeoutSeconds)],
      status: 'timeout',
      discardEnvironment: true,
    });
    if (r.kind === 'timeout') return timedOut([], memorySize);
    if (r.kind === 'exited') {
      const error = exitError(call.requestId, r.reason);
      return {
        error,
        durationMs: roundDuration(r.wallMs),
        maxMemoryUsedMb: memorySize,
        functionLines: [],
        platformLines: [error.errorMessage, error.errorType],
        status: 'error',
        discardEnvironment: true,
      };
    }
    const usedMb = Math.ceil(r.maxRssKb / 1024);
    const duration = roundDuration(realHandlerDuration(r.cpuMs, r.wallMs, memorySize));
    if (usedMb > memorySize) {
      // The kernel would have killed the sandbox when it crossed the limit.
      const error = exitError(call.requestId, 'signal: killed');
      return {
        error,
        durationMs: duration,
        maxMemoryUsedMb: memorySize,
        functionLines: r.lines,
        platformLines: [error.errorMessage, error.errorType],
        status: 'error',
        discardEnvironment: true,
      };
    }
    if (duration > timeoutMs) return timedOut(r.lines, usedMb);
    return {
      payload: r.payload,
      error: r.error,
      durationMs: duration,
      maxMemoryUsedMb: usedMb,
      functionLines: r.lines,
      platformLines: [],
      status: r.error ? 'error' : 'success',
      discardEnvironment: false,
    };
  }
}
