/**
 * Fault injection for chaos tests: throttles, 5xx errors, added latency and dropped connections,
 * for all functions or one, changeable while the emulator runs. Draws are seeded.
 */
import { mulberry32, hashSeed, type Random } from '../invoke/prng.js';

export type FaultScope = 'all' | 'invoke' | 'control';

export interface FaultSpec {
  /** Share of requests answered 429 TooManyRequestsException. */
  throttleRate?: number;
  /** Share of requests answered 500 ServiceException. */
  errorRate?: number;
  /** Extra delay before every answer. */
  latencyMs?: number;
  /** Share of requests whose connection is closed without an answer. */
  dropRate?: number;
  /** Which requests the faults apply to (default all AWS API requests). */
  operations?: FaultScope;
}

export type FaultAction = 'none' | 'drop' | 'throttle' | 'error';

const RATE_FIELDS = ['throttleRate', 'errorRate', 'dropRate'] as const;

/** Checks a fault setting from the admin API; returns a message naming the bad field, or undefined. */
export function faultSpecProblem(input: Record<string, unknown>): string | undefined {
  for (const field of RATE_FIELDS) {
    const v = input[field];
    if (v !== undefined && (typeof v !== 'number' || v < 0 || v > 1))
      return `${field} must be a number in 0..1`;
  }
  const latency = input.latencyMs;
  if (latency !== undefined && (typeof latency !== 'number' || latency < 0))
    return 'latencyMs must be a number >= 0';
  const ops = input.operations;
  if (ops !== undefined && ops !== 'all' && ops !== 'invoke' && ops !== 'control') {
    return 'operations must be one of all, invoke, control';
  }
  const fn = input.functionName;
  if (fn !== undefined && typeof fn !== 'string') return 'functionName must be a string';
  const known = new Set<string>([...RATE_FIELDS, 'latencyMs', 'operations', 'functionName']);
  const unknown = Object.keys(input).find((k) => !known.has(k));
  return unknown ? `unknown field ${unknown}; accepted: ${[...known].join(', ')}` : undefined;
}

export class FaultInjector {
  private global: FaultSpec = {};
  private readonly perFunction = new Map<string, FaultSpec>();
  private readonly random: Random;

  constructor(seed: number) {
    this.random = mulberry32(hashSeed(`faults:${seed}`));
  }

  /** Merges settings into the global faults, or into one function's when functionName is given. */
  set(functionName: string | undefined, spec: FaultSpec): void {
    if (functionName === undefined) this.global = { ...this.global, ...spec };
    else this.perFunction.set(functionName, { ...this.perFunction.get(functionName), ...spec });
  }

  clear(functionName?: string): void {
    if (functionName === undefined) {
      this.global = {};
      this.perFunction.clear();
    } else {
      this.perFunction.delete(functionName);
    }
  }

  snapshot(): { global: FaultSpec; functions: Record<string, FaultSpec> } {
    return { global: this.global, functions: Object.fromEntries(this.perFunction) };
  }

  /** What to do with one AWS API request; a function's own settings win over the global ones. */
  decide(
    functionName: string | undefined,
    kind: 'invoke' | 'control',
  ): { action: FaultAction; latencyMs: number } {
    const own = functionName === undefined ? undefined : this.perFunction.get(functionName);
    const applies = (s: FaultSpec | undefined): boolean =>
      s !== undefined && (s.operations === undefined || s.operations === 'all' || s.operations === kind);
    const specs = [own, this.global].filter(applies);
    const pick = (field: keyof Omit<FaultSpec, 'operations'>): number => {
      for (const s of specs) if (s?.[field] !== undefined) return s[field] ?? 0;
      return 0;
    };
    // Always three draws, so one setting does not shift the others' random sequence.
    const [d, t, e] = [this.random(), this.random(), this.random()];
    const latencyMs = pick('latencyMs');
    if (d < pick('dropRate')) return { action: 'drop', latencyMs };
    if (t < pick('throttleRate')) return { action: 'throttle', latencyMs };
    if (e < pick('errorRate')) return { action: 'error', latencyMs };
    return { action: 'none', latencyMs };
  }
}
