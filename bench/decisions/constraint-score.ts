/**
 * From the constrained runs of one profile to the figures of its row in the constraints column:
 * how often the choice is the cheapest size truly meeting the bound, how often it truly violates
 * the bound, how often no recommendation came although a size meets it; and, when no size meets
 * it, how often that was reported rather than a size guessed.
 */
import type { ConstraintCase } from './constraint-cases.js';
import { CONFIDENCE, GRID_INVOCATIONS, TOLERANCE } from './settings.js';
import type { RunOutcome } from './simulate.js';
import { AGREEMENT_TARGET } from './targets.js';
import type { Truth } from './truth.js';

/** Most share of runs allowed to recommend a size that truly violates the bound. */
export const VIOLATION_TARGET = 1 - CONFIDENCE;

interface RunFigures {
  runs: number;
  /** Share of runs that stopped settled (the rest spent the budget). */
  settled: number;
  /** Mean invocations of a run / the fixed grid's; and the largest. */
  invocationRatio: number;
  maxInvocationRatio: number;
  /** How often each size was chosen, by power. */
  choices: Record<string, number>;
}

export interface MeetsScore extends RunFigures {
  maxDurationMs: number;
  /** The sizes truly meeting the bound, and the cheapest of them. */
  meeting: number[];
  truthChoice: number;
  marginBelow: number;
  marginAbove: number;
  /** Share of runs choosing truthChoice. */
  correct: number;
  /**
   * Share choosing a meeting size whose true cost is within the runs' tolerance (1%) of
   * truthChoice's: the decision table's yardstick, for comparison; the target is on `correct`.
   */
  withinTolerance: number;
  /** Share choosing a size whose true percentile is above the bound (or that fails in truth). */
  violating: number;
  /** Share choosing a size that meets the bound but costs more than truthChoice. */
  dearer: number;
  /** Largest true cost / truthChoice's − 1 over the runs that chose a meeting size. */
  maxCostRegret: number;
  /** Share of runs ending with no recommendation. */
  noRecommendation: number;
}

export interface NoneMeetsScore extends RunFigures {
  maxDurationMs: number;
  marginAbove: number;
  /** Share of runs that correctly ended with no recommendation. */
  reportedNone: number;
  /** Share that recommended a size anyway (every size truly violates the bound). */
  wronglyRecommended: number;
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function runFigures(outcomes: RunOutcome[]): RunFigures {
  const choices: Record<string, number> = {};
  for (const o of outcomes) if (o.choice !== undefined) choices[o.choice] = (choices[o.choice] ?? 0) + 1;
  const ratios = outcomes.map((o) => o.invocations / GRID_INVOCATIONS);
  return {
    runs: outcomes.length,
    settled: outcomes.filter((o) => o.stop === 'settled').length / outcomes.length,
    invocationRatio: mean(ratios),
    maxInvocationRatio: Math.max(0, ...ratios),
    choices,
  };
}

export function scoreMeets(kase: ConstraintCase, truth: Truth, outcomes: RunOutcome[]): MeetsScore {
  const { truthChoice, marginBelow } = kase;
  if (truthChoice === undefined || marginBelow === undefined) throw new Error('not a meets case');
  const share = (test: (o: RunOutcome) => boolean) => outcomes.filter(test).length / outcomes.length;
  const meets = (power: number) => kase.meeting.includes(power);
  const cost = (power: number) => truth.cost.get(power) ?? Infinity;
  const regrets = outcomes.flatMap((o) =>
    o.choice !== undefined && meets(o.choice) ? [cost(o.choice) / cost(truthChoice) - 1] : [],
  );
  return {
    maxDurationMs: kase.maxDurationMs,
    meeting: kase.meeting,
    truthChoice,
    marginBelow,
    marginAbove: kase.marginAbove,
    correct: share((o) => o.choice === truthChoice),
    withinTolerance: share(
      (o) =>
        o.choice !== undefined && meets(o.choice) && cost(o.choice) <= cost(truthChoice) * (1 + TOLERANCE),
    ),
    violating: share((o) => o.choice !== undefined && !meets(o.choice)),
    dearer: share((o) => o.choice !== undefined && o.choice !== truthChoice && meets(o.choice)),
    maxCostRegret: Math.max(0, ...regrets),
    noRecommendation: share((o) => o.choice === undefined),
    ...runFigures(outcomes),
  };
}

export function scoreNoneMeets(kase: ConstraintCase, outcomes: RunOutcome[]): NoneMeetsScore {
  const none = outcomes.filter((o) => o.choice === undefined).length / outcomes.length;
  return {
    maxDurationMs: kase.maxDurationMs,
    marginAbove: kase.marginAbove,
    reportedNone: none,
    wronglyRecommended: 1 - none,
    ...runFigures(outcomes),
  };
}

/** What a profile's constraint results miss: the same 95% as the plain decisions, 5% of errors at most. */
export function constraintMisses(meets: MeetsScore | null, noneMeets: NoneMeetsScore): string[] {
  const misses: string[] = [];
  if (meets === null) misses.push('no bound splits the sizes');
  else {
    if (meets.correct < AGREEMENT_TARGET) misses.push(`cheapest meeting size in ${pct(meets.correct)}`);
    if (meets.violating > VIOLATION_TARGET) misses.push(`violating choice in ${pct(meets.violating)}`);
  }
  if (noneMeets.wronglyRecommended > VIOLATION_TARGET)
    misses.push(`recommended a size when none meets in ${pct(noneMeets.wronglyRecommended)}`);
  return misses;
}
