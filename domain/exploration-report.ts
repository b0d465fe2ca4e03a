/**
 * The output of a model exploration: the range searched, the sizes measured, what that cost
 * against the exhaustive 64-MB grid, and the fitted curve, every point of which is a prediction
 * (only the measured sizes have figures in results[]).
 */
import type { MeasuredSize } from './decision.js';
import { groupDigits } from './describe.js';
import { GRID_STEP_MB, gridInvocations64 } from './exploration-plan.js';
import { fitSizes } from './model-choice.js';
import type { ExplorationCurve, ExplorationRange, ExplorationReport } from './types.js';

export interface ExplorationReportInput {
  range: ExplorationRange;
  num: number;
  /** Every size invoked, feasible or not. */
  invokedPowers: number[];
  /** The feasible ones with their summaries: the curve is fitted to these. */
  feasible: MeasuredSize[];
  invocationsSpent: number;
  discardTopBottom: number;
  /** The run's confidence: the level of each point's band. */
  confidence: number;
}

export function explorationReport(input: ExplorationReportInput): ExplorationReport {
  const { range, num, invocationsSpent } = input;
  const measured = [...new Set(input.invokedPowers)].sort((a, b) => a - b);
  const grid64Invocations = gridInvocations64(range, num);
  const shareOfGrid64 = grid64Invocations > 0 ? invocationsSpent / grid64Invocations : 0;
  const curve = fittedCurve(input, measured);
  const candidates = range.highestMb - range.lowestMb + 1;
  const statement =
    `Measured ${measured.length} of the ${group(candidates)} sizes from ${group(range.lowestMb)} to ` +
    `${group(range.highestMb)} MB with ${group(invocationsSpent)} invocations, ${percent(shareOfGrid64)} of the ` +
    `${group(grid64Invocations)} the exhaustive 64-MB grid would make; ` +
    (curve
      ? `the curve between them is a prediction (duration ≈ ${round(curve.ioMs)} ms + ` +
        `${round(curve.cpuMs)} ms ÷ min(memory ÷ 1,769 MB, ${curve.parallelism.toFixed(2)})), not a measurement.`
      : 'too few sizes could be measured to fit a curve.');
  return {
    range: { ...range },
    measured,
    grid64Invocations,
    shareOfGrid64,
    ...(curve ? { curve } : {}),
    statement,
  };
}

/** The fit and its predictions on the 64-MB grid and at every measured size. */
function fittedCurve(input: ExplorationReportInput, measured: number[]): ExplorationCurve | undefined {
  const fit = fitSizes(input.feasible, input);
  if (!fit) return undefined;
  const { lowestMb, highestMb } = input.range;
  const powers = new Set<number>([highestMb, ...measured]);
  for (let p = lowestMb; p <= highestMb; p += GRID_STEP_MB) powers.add(p);
  const fed = new Set(input.feasible.map((s) => s.power));
  return {
    ioMs: fit.ioMs,
    cpuMs: fit.cpuMs,
    parallelism: fit.parallelism,
    plausibleParallelism: [...fit.plausibleParallelism],
    dispersion: fit.dispersion,
    level: input.confidence,
    points: [...powers]
      .sort((a, b) => a - b)
      .map((power) => {
        const p = fit.predict(power);
        return { power, duration: p.mean, lower: p.lower, upper: p.upper, measured: fed.has(power) };
      }),
  };
}

const group = groupDigits;
const round = (ms: number) => (ms >= 100 ? group(ms) : ms.toPrecision(3));
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
