/** A record of every control-plane call, so tests can see what a tuning did to a function. */

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
}

export class EventLog {
  private events: ControlPlaneEvent[] = [];
  private seq = 0;

  record(event: Omit<ControlPlaneEvent, 'seq' | 'time'>): void {
    this.seq += 1;
    this.events.push({ seq: this.seq, time: new Date().toISOString(), ...event });
  }

  list(): ControlPlaneEvent[] {
    return [...this.events];
  }

  clear(): void {
    this.events = [];
  }
}
