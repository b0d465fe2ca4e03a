/**
 * Tuning over instruction sets (`architectures: ["x86_64","arm64"]`): the input, the order of
 * the passes (one full tuning of the sizes per architecture, the function's own first) and the
 * choice between the passes' recommendations. Pure and deterministic.
 *
 * The choice: each pass recommends a size on its own architecture (with its own prices); the
 * other architecture is taken only when its recommendation is better on the strategy's metric
 * beyond the measured noise and beyond the run's tolerance. Otherwise the function keeps its
 * architecture: moving is a code deployment, and a difference the run cannot show is no reason
 * for one. Beyond the noise means the difference exceeds its own interval: the two intervals'
 * half-widths combined in quadrature (`differenceInterval`, runs started since it), or, in runs
 * started before, the two intervals apart, which needs a difference √2 times as large.
 */
import { describeValue, groupDigits } from './describe.js';
import { InputError } from './errors.js';
import { metricFigures } from './current-regression.js';
import type { Architecture, MeasuredStats, Strategy, TuningOutput } from './types.js';

export const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];

const ACCEPTED =
  'a list of one or two distinct architectures out of "x86_64" and "arm64", e.g. ["x86_64","arm64"]';

export function readArchitectures(field: string, value: unknown): Architecture[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > ARCHITECTURES.length) {
    throw new InputError(field, `got ${describeValue(value)}`, ACCEPTED);
  }
  const bad = value.filter((v) => !ARCHITECTURES.includes(v as Architecture));
  if (bad.length > 0) throw new InputError(field, `unknown ${bad.map(describeValue).join(', ')}`, ACCEPTED);
  if (new Set(value).size !== value.length) throw new InputError(field, 'an architecture twice', ACCEPTED);
  return [...(value as Architecture[])];
}

/** True when the run must switch the function's architecture at some point. */
export function switchesArchitecture(
  requested: readonly Architecture[] | undefined,
  current: Architecture,
): boolean {
  return requested !== undefined && requested.some((a) => a !== current);
}

/** The passes in order: the function's own architecture first (no switch), then the others. */
export function passOrder(requested: readonly Architecture[], current: Architecture): Architecture[] {
  return [...requested].sort((a, b) => Number(b === current) - Number(a === current));
}

/** One architecture's tuning: its recommendation, or why it could not be measured at all. */
export interface ArchitecturePass {
  architecture: Architecture;
  output?: TuningOutput;
  infeasibleReason?: string;
}

/** What the output says about the architectures (TuningOutput.architectures). */
export interface ArchitectureReport {
  /** The function's architecture before the tuning. */
  current: Architecture;
  /** The recommended one. */
  chosen: Architecture;
  /** Each pass's own recommendation, as it compared. */
  compared: {
    architecture: Architecture;
    power: number | null;
    averagePrice: number | null;
    averageDuration: number | null;
    infeasibleReason?: string;
  }[];
  /** How the two compared: apart beyond noise and tolerance, or not shown to differ. */
  difference: 'better' | 'indistinguishable' | 'only-feasible';
  statement: string;
}

/** The pass's recommended size, with both averages; undefined when it recommends none. */
function choiceOf(pass: ArchitecturePass): MeasuredStats | undefined {
  const output = pass.output;
  if (!output || output.power === null) return undefined;
  const stats = output.results.find((r) => r.power === output.power);
  if (!stats || stats.averagePrice === null || stats.averageDuration === null) return undefined;
  return stats as MeasuredStats;
}

const fmtPrice = (v: number | null) => (v === null ? '-' : `$${v.toPrecision(3)}`);
const fmtMs = (v: number | null) => (v === null ? '-' : `${v.toFixed(1)} ms`);

/**
 * The architecture to recommend, and the report saying why. Undefined `chosen` pass when no
 * architecture has a recommendation.
 */
export function chooseArchitecture(
  passes: readonly ArchitecturePass[],
  current: Architecture,
  settings: {
    strategy: Strategy;
    tolerance: number;
    balancedWeight: number;
    /** Judge the difference by its own interval; off in runs started before it (they replay unchanged). */
    differenceInterval?: boolean;
  },
): { pass?: ArchitecturePass; report: ArchitectureReport } {
  const compared = passes.map((pass) => {
    const stats = choiceOf(pass);
    return {
      architecture: pass.architecture,
      power: stats?.power ?? null,
      averagePrice: stats?.averagePrice ?? null,
      averageDuration: stats?.averageDuration ?? null,
      ...(pass.infeasibleReason ? { infeasibleReason: pass.infeasibleReason } : {}),
    };
  });
  const candidates = passes.flatMap((pass) => {
    const stats = choiceOf(pass);
    return stats ? [{ pass, stats }] : [];
  });
  const base = { current, compared };
  if (candidates.length === 0) {
    return {
      report: {
        ...base,
        chosen: current,
        difference: 'only-feasible',
        statement: 'No architecture has a recommendation.',
      },
    };
  }
  if (candidates.length === 1) {
    const only = candidates[0] as (typeof candidates)[number];
    const others = passes.filter((p) => p !== only.pass).map((p) => p.architecture);
    return {
      pass: only.pass,
      report: {
        ...base,
        chosen: only.pass.architecture,
        difference: 'only-feasible',
        statement:
          others.length === 0
            ? `Tuned on ${only.pass.architecture} only.`
            : `${only.pass.architecture} is the only architecture with a recommendation (${others.join(', ')}: none).`,
      },
    };
  }
  // Balanced scores are scaled as each pass scales its own: by the largest price and duration
  // over every feasible size measured, here of both passes, so the two choices share one scale.
  const measured = passes.flatMap((pass) =>
    (pass.output?.results ?? []).filter(
      (r): r is MeasuredStats => r.feasible && r.averagePrice !== null && r.averageDuration !== null,
    ),
  );
  const maxima = {
    price: Math.max(...measured.map((r) => r.averagePrice)),
    duration: Math.max(...measured.map((r) => r.averageDuration)),
  };
  const figures = candidates.map((c) => ({
    ...c,
    figure: metricFigures(c.stats, settings.strategy, maxima, settings.balancedWeight),
  }));
  const incumbent =
    figures.find((f) => f.pass.architecture === current) ?? (figures[0] as (typeof figures)[number]);
  const best = [...figures].sort((a, b) => a.figure.value - b.figure.value)[0] as (typeof figures)[number];
  // The two passes measured apart: the difference's half-width is the halves in quadrature.
  const beyondNoise = settings.differenceInterval
    ? incumbent.figure.value - best.figure.value >
      Math.hypot(best.figure.high - best.figure.value, incumbent.figure.value - incumbent.figure.low)
    : best.figure.high < incumbent.figure.low;
  const apart =
    best !== incumbent &&
    beyondNoise &&
    best.figure.value < incumbent.figure.value * (1 - settings.tolerance);
  const chosen = apart ? best : incumbent;
  const what =
    settings.strategy === 'speed' ? 'faster' : settings.strategy === 'cost' ? 'cheaper' : 'better balanced';
  const describe = (f: (typeof figures)[number]) =>
    `${f.pass.architecture} at ${f.stats.power} MB (${fmtPrice(f.stats.averagePrice)}, ${fmtMs(f.stats.averageDuration)})`;
  const other = figures.find((f) => f !== chosen) as (typeof figures)[number];
  const statement = apart
    ? `${describe(chosen)} is ${what} than ${describe(other)}, beyond the measured noise.`
    : `${describe(other)} is not shown ${what} than ${describe(chosen)}, so the function stays on ${chosen.pass.architecture}.`;
  return {
    pass: chosen.pass,
    report: {
      ...base,
      chosen: chosen.pass.architecture,
      difference: apart ? 'better' : 'indistinguishable',
      statement,
    },
  };
}

/**
 * The chosen pass's output, as the run reports it. When the chosen architecture is not the
 * function's own, that pass's row at today's memory size runs on the other architecture, so it
 * is not today's configuration: the monthly saving "against today" is withdrawn (a saving across
 * architectures is not computed yet) and the statement says so, rather than compare with the
 * wrong baseline.
 */
export function reportedOutput(output: TuningOutput, report: ArchitectureReport): TuningOutput {
  const result: TuningOutput = { ...output, architectures: report };
  if (report.chosen === report.current || !output.monthly) return result;
  const monthly = { ...output.monthly };
  delete monthly.saving;
  const perMonth = monthly.sizes.find((s) => s.power === output.power);
  const money = (v: number) =>
    output.currency === 'USD' ? `$${v.toFixed(2)}` : `${v.toFixed(2)} ${output.currency}`;
  return {
    ...result,
    monthly: {
      ...monthly,
      statement:
        `At ${groupDigits(monthly.invocationsPerMonth)} invocations a month, ${output.power} MB on ${report.chosen} ` +
        `costs ${perMonth ? money(perMonth.estimate) : 'an unknown amount'} a month; its saving against today's ` +
        `${monthly.currentPower} MB on ${report.current} is not computed across architectures.`,
    },
  };
}
