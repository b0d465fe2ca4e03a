/**
 * Sleeps that the emulator's stop signal cuts short. `timers/promises` would add one 'abort'
 * listener per sleep to that one shared signal, so more than 10 invocations in flight made Node
 * print MaxListenersExceededWarning. Here each signal gets a single listener, whatever the number
 * of sleeps, and each sleep is a timer in that signal's set of pending sleeps.
 */

interface PendingSleeps {
  /** Cancels one pending sleep: clears its timer and rejects it. */
  cancels: Set<() => void>;
}

/** Per signal; weak, so a stopped emulator's signal and its set can be collected. */
const bySignal = new WeakMap<AbortSignal, PendingSleeps>();

function pendingFor(signal: AbortSignal): PendingSleeps {
  let pending = bySignal.get(signal);
  if (!pending) {
    const created: PendingSleeps = { cancels: new Set() };
    signal.addEventListener(
      'abort',
      () => {
        for (const cancel of [...created.cancels]) cancel();
      },
      { once: true },
    );
    bySignal.set(signal, created);
    pending = created;
  }
  return pending;
}

/** The rejection of an aborted sleep, shaped like the one of `timers/promises`. */
function abortError(signal: AbortSignal): Error {
  const err = new Error('The operation was aborted', { cause: signal.reason });
  err.name = 'AbortError';
  return err;
}

/** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  const pending = pendingFor(signal);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.cancels.delete(cancel);
      resolve();
    }, ms);
    const cancel = (): void => {
      clearTimeout(timer);
      pending.cancels.delete(cancel);
      reject(abortError(signal));
    };
    pending.cancels.add(cancel);
  });
}

/**
 * Resolves once `performance.now()` has reached `deadline`, never before (or rejects like
 * abortableSleep). A timer can fire up to about a millisecond early: Node counts it from the event
 * loop's clock, read in whole milliseconds at the start of the loop's turn. So each wait is rounded
 * up, and an early one is followed by another.
 */
export async function sleepUntil(deadline: number, signal: AbortSignal): Promise<void> {
  for (let left = deadline - performance.now(); left > 0; left = deadline - performance.now()) {
    await abortableSleep(Math.ceil(left), signal);
  }
}

/** How many sleeps on `signal` are waiting (for tests). */
export function pendingSleepCount(signal: AbortSignal): number {
  return bySignal.get(signal)?.cancels.size ?? 0;
}
