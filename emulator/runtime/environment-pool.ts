/**
 * Warm execution environments per function version. A free warm one is reused; when all are
 * busy a new one starts (a cold start, as on AWS), up to a per-version cap, beyond which calls
 * queue. Idle environments are evicted, least recently used first, to bound the process count.
 */
import { ExecutionEnvironment, type EnvironmentSpec } from './environment.js';

export interface PoolLimits {
  perVersion: number;
  total: number;
}

interface Waiter {
  key: string;
  spec: EnvironmentSpec;
  resolve: (lease: Lease) => void;
}

export interface Lease {
  env: ExecutionEnvironment;
  cold: boolean;
}

export class EnvironmentPool {
  private readonly envs = new Set<ExecutionEnvironment>();
  private readonly waiters: Waiter[] = [];
  private readonly retiredKeys = new Set<string>();
  private closed = false;

  constructor(private readonly limits: PoolLimits = { perVersion: 4, total: 16 }) {}

  private ofKey(key: string): ExecutionEnvironment[] {
    return [...this.envs].filter((e) => e.key === key);
  }

  acquire(key: string, spec: EnvironmentSpec): Promise<Lease> {
    if (this.closed) return Promise.reject(new Error('emulator is stopping'));
    this.retiredKeys.delete(key);
    const idle = this.ofKey(key).find((e) => !e.busy && e.alive);
    if (idle) {
      idle.busy = true;
      return Promise.resolve({ env: idle, cold: false });
    }
    if (this.ofKey(key).length < this.limits.perVersion && this.makeRoom()) {
      return Promise.resolve({ env: this.spawn(key, spec), cold: true });
    }
    return new Promise((resolve) => this.waiters.push({ key, spec, resolve }));
  }

  private spawn(key: string, spec: EnvironmentSpec): ExecutionEnvironment {
    const env = new ExecutionEnvironment(key, spec);
    env.busy = true;
    this.envs.add(env);
    return env;
  }

  /** Frees a slot under the total cap by killing the least recently used idle environment. */
  private makeRoom(): boolean {
    if (this.envs.size < this.limits.total) return true;
    const idle = [...this.envs].filter((e) => !e.busy).sort((a, b) => a.lastUsed - b.lastUsed)[0];
    if (!idle) return false;
    this.remove(idle);
    return true;
  }

  private remove(env: ExecutionEnvironment): void {
    this.envs.delete(env);
    env.kill();
  }

  /** Returns an environment after a call; `discard` kills it (timeout, crash, out of memory). */
  release(env: ExecutionEnvironment, discard: boolean): void {
    env.busy = false;
    env.lastUsed = Date.now();
    if (discard || !env.alive || this.retiredKeys.has(env.key) || this.closed) this.remove(env);
    this.serveWaiters();
  }

  private serveWaiters(): void {
    for (let i = 0; i < this.waiters.length; i++) {
      const w = this.waiters[i];
      if (!w) continue;
      const idle = this.ofKey(w.key).find((e) => !e.busy && e.alive);
      if (idle) {
        idle.busy = true;
        this.waiters.splice(i--, 1);
        w.resolve({ env: idle, cold: false });
      } else if (this.ofKey(w.key).length < this.limits.perVersion && this.makeRoom()) {
        this.waiters.splice(i--, 1);
        w.resolve({ env: this.spawn(w.key, w.spec), cold: true });
      }
    }
  }

  /** Drops the environments of keys starting with `prefix` (a changed or deleted version). */
  recycle(prefix: string): void {
    for (const env of this.envs) {
      if (!env.key.startsWith(prefix)) continue;
      if (env.busy) this.retiredKeys.add(env.key);
      else this.remove(env);
    }
    this.serveWaiters();
  }

  get size(): number {
    return this.envs.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.envs].map((e) => e.terminate()));
    this.envs.clear();
  }
}
