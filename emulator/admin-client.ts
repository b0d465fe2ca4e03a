/** A typed client for the emulator's admin API (/_emulator/), for tests and benchmarks. */
import type { ControlPlaneEvent, InvokeTally } from './admin/event-log.js';
import type { FaultSpec } from './admin/faults.js';
import type { EmulatorState } from './admin/state-view.js';

export class EmulatorAdmin {
  private readonly base: string;

  /** `token`: the emulator's token, when it was started with one. */
  constructor(
    baseUrl: string,
    private readonly token?: string,
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.token !== undefined) headers['Authorization'] = `Bearer ${this.token}`;
    const res = await fetch(`${this.base}/_emulator${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Emulator admin ${method} ${path} failed with ${res.status}: ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Functions, versions with their configuration and counters, aliases, account totals. */
  state(): Promise<EmulatorState> {
    return this.call('GET', '/state');
  }

  /** Control-plane calls received so far (Invoke is not recorded). */
  events(): Promise<ControlPlaneEvent[]> {
    return this.call('GET', '/events');
  }

  /** Invoke calls received so far, counted by function, qualifier and signing access key. */
  invokes(): Promise<InvokeTally[]> {
    return this.call('GET', '/invokes');
  }

  /** Clears the event log and the Invoke tally. */
  clearEvents(): Promise<void> {
    return this.call('DELETE', '/events');
  }

  /** Merges fault settings into the global ones, or into one function's with `functionName`. */
  setFaults(spec: FaultSpec & { functionName?: string }): Promise<unknown> {
    return this.call('PUT', '/faults', spec);
  }

  /** Removes every fault, or only one function's. */
  clearFaults(functionName?: string): Promise<unknown> {
    const query = functionName === undefined ? '' : `?functionName=${encodeURIComponent(functionName)}`;
    return this.call('DELETE', `/faults${query}`);
  }

  /** Zeroes invocation counters and billed GB-seconds, and clears the event log. */
  resetCounters(): Promise<void> {
    return this.call('POST', '/reset-counters');
  }

  setTimeScale(timeScale: number): Promise<unknown> {
    return this.call('PUT', '/time-scale', { timeScale });
  }
}
