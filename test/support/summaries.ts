/** Invocations and per-size summaries for analysis tests. */
import { analyzeTuning, type PowerValueSummary } from '../../domain/analysis.js';
import { summariseInvocations } from '../../domain/sample-summary.js';
import type { InvocationResult } from '../../domain/types.js';

/** Ten calls of `ms` to `ms + 9` ms, none cold. */
export function steadySize(power: number, ms: number): PowerValueSummary {
  return {
    power,
    summary: summariseInvocations(
      Array.from({ length: 10 }, (_, i) => ({
        durationMs: ms + i,
        billedMs: ms + i,
        initMs: 0,
        coldStart: false,
      })),
    ),
  };
}

/** A successful warm call of `durationMs`, billed by the started millisecond (1 ms at the least). */
export const warmInvocation = (durationMs: number): InvocationResult => ({
  durationMs,
  billedMs: Math.max(1, Math.ceil(durationMs)),
  initMs: 0,
  coldStart: false,
});

/** Analyses the results of a tuning of function `fn` in us-east-1 on x86_64. */
export function analyzeFnTuning(
  config: Parameters<typeof analyzeTuning>[0]['config'],
  results: PowerValueSummary[],
  currentPower?: number,
): ReturnType<typeof analyzeTuning> {
  return analyzeTuning({
    config,
    functionName: 'fn',
    region: 'us-east-1',
    architecture: 'x86_64',
    results,
    ...(currentPower === undefined ? {} : { currentPower }),
  });
}
