/**
 * A model of duration against memory, fitted to the sizes measured so far. Lambda gives a
 * function CPU in proportion to its memory (one vCPU at 1,769 MB, up to six at 10,240 MB), and
 * code can use at most as many vCPUs as it has threads; time spent waiting (I/O) does not scale:
 *
 *   duration(m) = io + cpu / min(m / 1769, P)
 *
 * For a fixed P the model is linear in (io, cpu), fitted by weighted least squares on each size's
 * trimmed mean (weights: 1 / its variance); P (the parallelism the code can use, 1..6) is found by
 * a search over a grid. The uncertainty of a prediction combines the coefficients' covariance
 * (scaled up when the points scatter more than their own variances explain) and every P the data
 * cannot rule out. Pure and deterministic.
 */
import { studentTQuantile } from './distributions.js';

/** Lambda's CPU allocation: the memory that buys one full vCPU. */
export const MB_PER_VCPU = 1769;
export const MAX_VCPUS = 6;

export interface MeasuredPoint {
  power: number;
  /** Trimmed mean of the durations (ms). */
  mean: number;
  /** Variance of that mean (ms²), e.g. Yuen's d; 0 when unknown. */
  variance: number;
}

export interface DurationPrediction {
  mean: number;
  /** A band that holds the true noise-free duration at the fit's confidence. */
  lower: number;
  upper: number;
}

/** One fitted curve: the duration it predicts at each memory size. */
export interface ModelCurve {
  parallelism: number;
  /** How well it fits against the best fit: exp(−ΔSSE / (2 · dispersion)), 1 for the best. */
  likelihood: number;
  expected(power: number): number;
}

export interface DurationFit {
  ioMs: number;
  cpuMs: number;
  /** Threads the code keeps busy (1 = single-threaded); duration stops falling at 1769 × P MB. */
  parallelism: number;
  /** Parallelisms the data cannot rule out at the fit's confidence. */
  plausibleParallelism: [number, number];
  /** Scatter beyond the points' own variances (1 = none): a sign the model fits badly when large. */
  dispersion: number;
  /** The fitted duration at a memory size (the point prediction alone: cheap). */
  expected(power: number): number;
  /**
   * The fits the data cannot rule out, a few spread over the plausible parallelisms (the best
   * one first): decisions that must hold whichever of them is true are taken over all.
   */
  alternatives: ModelCurve[];
  /**
   * The plausible fits at a whole number of threads (code runs on whole threads; a fractional
   * parallelism that fits a little better is usually noise), best first; empty when the data rule
   * out every whole number.
   */
  wholeThreadAlternatives: ModelCurve[];
  predict(power: number): DurationPrediction;
}

/** 1, 1.05, …, 6: fine enough that the knee 1769·P moves by under 90 MB a step. */
const PARALLELISM_GRID = Array.from({ length: 101 }, (_, i) => 1 + i * 0.05);

const regressor = (power: number, parallelism: number) =>
  1 / Math.min(power / MB_PER_VCPU, parallelism, MAX_VCPUS);

interface LinearFit {
  io: number;
  cpu: number;
  sse: number;
  /** (XᵀWX)⁻¹ as [a, b, c] for [[a, b], [b, c]]. */
  inverse: [number, number, number];
}

/** Weighted least squares of mean = io + cpu·x with io, cpu ≥ 0 (a bound hit fixes it at 0). */
function fitLinear(points: MeasuredPoint[], weights: number[], parallelism: number): LinearFit | undefined {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  points.forEach((p, i) => {
    const w = weights[i] as number;
    const x = regressor(p.power, parallelism);
    sw += w;
    sx += w * x;
    sy += w * p.mean;
    sxx += w * x * x;
    sxy += w * x * p.mean;
  });
  const det = sw * sxx - sx * sx;
  if (!(det > 0)) return undefined;
  let io = (sxx * sy - sx * sxy) / det;
  let cpu = (sw * sxy - sx * sy) / det;
  if (io < 0) {
    io = 0;
    cpu = Math.max(0, sxy / sxx);
  } else if (cpu < 0) {
    cpu = 0;
    io = Math.max(0, sy / sw);
  }
  let sse = 0;
  points.forEach((p, i) => {
    sse += (weights[i] as number) * (p.mean - io - cpu * regressor(p.power, parallelism)) ** 2;
  });
  return { io, cpu, sse, inverse: [sxx / det, -sx / det, sw / det] };
}

/**
 * Fits the model to at least three measured sizes; undefined with fewer, or when every size has
 * the same regressor (nothing to tell io from cpu).
 */
export function fitDurationModel(points: MeasuredPoint[], confidence = 0.95): DurationFit | undefined {
  if (points.length < 3) return undefined;
  // A size whose variance is unknown (too few values) gets the typical relative variance.
  const known = points.filter((p) => p.variance > 0).map((p) => p.variance / (p.mean * p.mean || 1));
  const typical = known.length > 0 ? known.sort((a, b) => a - b)[Math.floor(known.length / 2)]! : 1e-4;
  const weights = points.map((p) => 1 / (p.variance > 0 ? p.variance : typical * (p.mean * p.mean || 1)));

  const fits = PARALLELISM_GRID.map((parallelism) => ({
    parallelism,
    fit: fitLinear(points, weights, parallelism),
  })).filter((f): f is { parallelism: number; fit: LinearFit } => f.fit !== undefined);
  if (fits.length === 0) return undefined;
  const best = fits.reduce((a, b) => (b.fit.sse < a.fit.sse - 1e-12 ? b : a));
  const df = Math.max(1, points.length - 3);
  const dispersion = Math.max(1, best.fit.sse / df);
  // Profile likelihood for P: every P whose fit is not significantly worse (F-like, one parameter).
  const t = studentTQuantile((1 + confidence) / 2, df);
  const slack = dispersion * t * t;
  const plausible = fits.filter((f) => f.fit.sse - best.fit.sse <= slack);
  const band = (power: number, f: { parallelism: number; fit: LinearFit }) => {
    const x = regressor(power, f.parallelism);
    const [a, b, c] = f.fit.inverse;
    const se = Math.sqrt(Math.max(0, dispersion * (a + 2 * b * x + c * x * x)));
    const mean = f.fit.io + f.fit.cpu * x;
    return { mean, lower: mean - t * se, upper: mean + t * se };
  };
  const curve = (f: { parallelism: number; fit: LinearFit }): ModelCurve => ({
    parallelism: f.parallelism,
    likelihood: Math.exp(-(f.fit.sse - best.fit.sse) / (2 * dispersion)),
    expected: (power: number) => f.fit.io + f.fit.cpu * regressor(power, f.parallelism),
  });
  // At most seven: the best, the two extremes and four between, enough to bound a decision.
  const step = Math.max(1, Math.floor(plausible.length / 6));
  const spread = plausible.filter((_, i) => i % step === 0 || i === plausible.length - 1);
  return {
    ioMs: best.fit.io,
    cpuMs: best.fit.cpu,
    parallelism: best.parallelism,
    plausibleParallelism: [
      Math.min(...plausible.map((f) => f.parallelism)),
      Math.max(...plausible.map((f) => f.parallelism)),
    ],
    dispersion,
    expected: curve(best).expected,
    alternatives: [curve(best), ...spread.filter((f) => f !== best).map(curve)],
    wholeThreadAlternatives: plausible
      .filter((f) => Number.isInteger(Math.round(f.parallelism * 100) / 100))
      .sort((a, b) => a.fit.sse - b.fit.sse)
      .map(curve),
    predict(power: number): DurationPrediction {
      const bands = plausible.map((f) => band(power, f));
      return {
        mean: band(power, best).mean,
        lower: Math.max(0, Math.min(...bands.map((b) => b.lower))),
        upper: Math.max(...bands.map((b) => b.upper)),
      };
    },
  };
}
