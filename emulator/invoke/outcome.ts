/** What one call produced, whichever kind of function ran it; logs and headers are built from it. */
import type { ErrorShape } from '../runtime/environment.js';

export interface InvocationOutcome {
  /** JSON text of the handler's result (absent on error). */
  payload?: string;
  error?: ErrorShape;
  /** Duration as reported, already rounded to two decimals. */
  durationMs: number;
  /** Init Duration on a cold start, rounded to two decimals. */
  initMs?: number;
  /** Billed Duration in whole ms; set by the Invoke operation (see billedFor). */
  billedMs?: number;
  maxMemoryUsedMb: number;
  /** The function's own log lines, already formatted (init logs first on a cold start). */
  functionLines: string[];
  /** Lines the platform writes after the function's, e.g. "Task timed out after 3.00 seconds". */
  platformLines: string[];
  status: 'success' | 'error' | 'timeout';
  /** Whether the environment must be thrown away (timeout, crash, out of memory). */
  discardEnvironment: boolean;
}

export function timeoutError(requestId: string, timeoutSeconds: number): ErrorShape {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
    trace: [],
  };
}

/** What Lambda reports when the runtime process dies, e.g. killed for exceeding its memory. */
export function exitError(requestId: string, reason: string): ErrorShape {
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${reason}`,
    trace: [],
  };
}

/**
 * What Lambda reports when it cannot execute the function's runtime at all, e.g. a binary built
 * for x86_64 on an arm64 (Graviton) function: `exec format error`.
 */
export function invalidEntrypointError(requestId: string, reason: string): ErrorShape {
  return {
    errorType: 'Runtime.InvalidEntrypoint',
    errorMessage: `RequestId: ${requestId} Error: fork/exec /var/task/bootstrap: ${reason}`,
    trace: [],
  };
}
