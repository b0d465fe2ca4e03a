/**
 * A record of every control-plane call, so tests can see what a tuning did to a function, and a
 * tally of Invoke calls (too many to keep one by one). Both say which access key signed the calls,
 * so a test can tell whose credentials a worker used (its own, or a role's it assumed).
 */

export interface ControlPlaneEvent {
  seq: number;
  time: string;
  operation: string;
  functionName?: string;
  qualifier?: string;
  aliasName?: string;
  status: number;
  errorType?: string;
  /** Set when the answer came from fault injection instead of the operation. */
  fault?: string;
  /** The access key id of the request's SigV4 signature; absent for an unsigned request. */
  accessKeyId?: string;
}

/** How many Invoke calls one function (and qualifier) got signed with one access key. */
export interface InvokeTally {
  functionName?: string;
  qualifier?: string;
  /** Absent for unsigned requests. */
  accessKeyId?: string;
  invocations: number;
}

export class EventLog {
  private events: ControlPlaneEvent[] = [];
  private seq = 0;
  private invokes = new Map<string, InvokeTally>();

  record(event: Omit<ControlPlaneEvent, 'seq' | 'time'>): void {
    this.seq += 1;
    this.events.push({ seq: this.seq, time: new Date().toISOString(), ...event });
  }

  /** Counts one Invoke call, answered or not (faults included, as for control-plane events). */
  countInvoke(call: Omit<InvokeTally, 'invocations'>): void {
    const key = JSON.stringify([call.functionName ?? null, call.qualifier ?? null, call.accessKeyId ?? null]);
    const tally = this.invokes.get(key);
    if (tally) tally.invocations += 1;
    else this.invokes.set(key, { ...call, invocations: 1 });
  }

  list(): ControlPlaneEvent[] {
    return [...this.events];
  }

  /** Invoke calls by function, qualifier and access key, in the order first seen. */
  invokeTallies(): InvokeTally[] {
    return [...this.invokes.values()].map((tally) => ({ ...tally }));
  }

  clear(): void {
    this.events = [];
    this.invokes.clear();
  }
}
