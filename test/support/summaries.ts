/** Per-size summaries for analysis tests: ten calls of `ms` to `ms + 9` ms, none cold. */
import type { PowerValueSummary } from '../../domain/analysis.js';
import { summariseInvocations } from '../../domain/sample-summary.js';

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
