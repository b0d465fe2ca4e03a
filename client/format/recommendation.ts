/**
 * The recommendation in words: which size, why (the strategy's rule with the figures), the
 * close alternatives, and what was not measured (with a model exploration: only predicted), so
 * nobody reads more into it than there is.
 */
import type { PowerValueStats, TuningOutput } from '../../domain/types.js';
import { blendClause, comparedFigures, isBlended } from './cold.js';
import { shortReason } from './reason.js';
import { recommendedStats } from './result-rows.js';
import { formatLevel, formatMoney, formatMs, formatRatio } from './units.js';

/** Sizes whose deciding figure is within this share of the recommendation count as close. */
const CLOSE_CALL = 0.05;

export interface RecommendationText {
  headline: string;
  /** One sentence each. */
  reasons: string[];
}

export function explainRecommendation(output: TuningOutput, balancedWeight?: number): RecommendationText {
  const best = recommendedStats(output);
  const money = (v: number) => formatMoney(v, output.currency);
  if (output.power === null || output.cost === null || output.duration === null) {
    return {
      headline: 'No recommendation: no size was shown to meet the constraints',
      reasons: output.constraints ? [output.constraints.statement] : [],
    };
  }
  // output.cost and output.duration are the warm figures; with a cold-start rate the blended
  // ones, which the strategy compared, follow them.
  const bestBlended = best?.blended;
  // A tuning over architectures recommends a pair: the architecture leads.
  const on = output.architectures ? ` on ${output.architecture}` : '';
  const headline =
    `${output.power} MB${on}: ${money(output.cost)} per invocation, ${formatMs(output.duration)} ms on average` +
    (isBlended(output) && bestBlended
      ? ` (warm); blended with ${formatLevel(output.coldStartRate)} cold starts: ${money(bestBlended.averagePrice)}, ${formatMs(bestBlended.averageDuration)} ms`
      : '');
  const bestFigures = best && comparedFigures(output, best);
  if (!best || !bestFigures)
    return { headline, reasons: [`Strategy "${output.strategy}"${blendClause(output)}.`] };
  // With constraints the strategy chose among the sizes shown to meet them: those are the options.
  const meeting = output.constraints?.sizes.filter((s) => s.verdict === 'meets').map((s) => s.power);
  // Each size with the figures the strategy compared: the warm averages, or the blended ones.
  const feasible = output.results
    .filter((r) => !meeting || meeting.includes(r.power))
    .flatMap((r) => {
      const figures = comparedFigures(output, r);
      return figures ? [{ power: r.power, ...figures }] : [];
    });
  const others = feasible.filter((r) => r.power !== best.power);
  const reasons: string[] = [];

  const level = output.confidence ? formatLevel(output.confidence.level) : undefined;
  const bestEstimate = output.results.find((r) => r.feasible && r.standing === 'best');
  if (bestEstimate && bestEstimate.power !== best.power && level) {
    // The decision chose among sizes it could not tell apart from the best estimate, by the
    // strategy's secondary figure: the plain "lowest X" sentence would be wrong here.
    reasons.push(preferredAmongEquivalents(output, bestEstimate, level));
  } else {
    reasons.push(
      strategyRule(
        output.strategy,
        feasible.length,
        balancedWeight,
        meeting !== undefined,
        blendClause(output),
      ),
    );
  }
  if (output.architectures) reasons.push(output.architectures.statement);
  if (output.constraints) reasons.push(output.constraints.statement);
  if (output.coldStartPreview) reasons.push(output.coldStartPreview.statement);
  if (output.hosts) reasons.push(output.hosts.statement);
  if (output.exploration) reasons.push(output.exploration.statement);

  const chosen = bestFigures;
  // A model exploration compared its measured sizes only; the curve predicts the others.
  const sized = output.exploration ? 'measured size' : 'size';
  const fastest = pick(feasible, (a, b) => a.averageDuration - b.averageDuration);
  const cheapest = pick(feasible, (a, b) => a.averagePrice - b.averagePrice);
  if (fastest && fastest.averageDuration < chosen.averageDuration) {
    reasons.push(
      `The fastest ${sized}, ${fastest.power} MB, is ${formatRatio(chosen.averageDuration / fastest.averageDuration)} as fast and costs ${formatRatio(fastest.averagePrice / chosen.averagePrice)} as much.`,
    );
  }
  if (cheapest && cheapest.averagePrice < chosen.averagePrice) {
    reasons.push(
      `The cheapest ${sized}, ${cheapest.power} MB, costs ${formatRatio(cheapest.averagePrice / chosen.averagePrice)} as much and takes ${formatRatio(cheapest.averageDuration / chosen.averageDuration)} as long.`,
    );
  }

  const deciding = (s: Omit<Figures, 'power'>) =>
    output.strategy === 'speed' ? s.averageDuration : s.averagePrice;
  const close = others.filter(
    (s) => Math.abs(deciding(s) - deciding(chosen)) <= CLOSE_CALL * deciding(chosen),
  );
  // Runs with intervals state what is noise (the confidence lines); the 5% rule of thumb is for older ones.
  if (close.length > 0 && level === undefined) {
    const what = output.strategy === 'speed' ? 'duration' : 'cost';
    reasons.push(
      `Close call: ${close.map((s) => `${s.power} MB`).join(', ')} ${close.length === 1 ? 'is' : 'are'} within ${CLOSE_CALL * 100}% on ${what}; differences this small may be noise, so check the spread (p90) before deciding.`,
    );
  }

  const infeasible = output.results.filter((r) => !r.feasible);
  if (infeasible.length > 0) {
    reasons.push(
      `Not considered: ${infeasible.map((s) => `${s.power} MB (${shortReason(s.infeasibleReason ?? 'infeasible')})`).join('; ')}.`,
    );
  }
  reasons.push(measuredSentence(output));
  return { headline, reasons };
}

/**
 * Which sizes were measured, and what is known of the others: nothing on a grid; with a model
 * exploration, the rest of its range only as the fitted curve predicts it.
 */
function measuredSentence(output: TuningOutput): string {
  const tested = output.results.map((r) => r.power).sort((a, b) => a - b);
  const list = `${tested.join(', ')} MB`;
  const exploration = output.exploration;
  if (!exploration)
    return `Only these sizes were measured: ${list}. Sizes in between were not tested, so nothing is known about them.`;
  const n = tested.length;
  const these = n === 1 ? `This size was measured: ${list}.` : `These ${n} sizes were measured: ${list}.`;
  const rest = `the rest of the range from ${exploration.range.lowestMb} to ${exploration.range.highestMb} MB`;
  return exploration.curve
    ? `${these} ${capitalize(rest)} is only predicted by the fitted curve, not measured.`
    : `${these} No curve could be fitted, so nothing is known about ${rest}.`;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function strategyRule(
  strategy: TuningOutput['strategy'],
  count: number,
  balancedWeight?: number,
  constrained = false,
  blend = '',
): string {
  const among = `among the ${count} ${count === 1 ? 'size' : 'sizes'} ${
    constrained ? `shown to meet the constraints` : 'that could be measured'
  }`;
  switch (strategy) {
    case 'cost':
      return `Strategy "cost": the lowest average cost per invocation ${among} (ties go to the faster size)${blend}.`;
    case 'speed':
      return `Strategy "speed": the lowest average duration ${among} (ties go to the cheaper size)${blend}.`;
    case 'balanced': {
      const w = balancedWeight === undefined ? 'balancedWeight' : String(balancedWeight);
      return `Strategy "balanced": the lowest score ${w} × cost/most expensive + (1 − ${w}) × duration/slowest ${among}${blend}.`;
    }
  }
}

/**
 * Why the choice is not the size with the best estimate: the decision may prefer, by the
 * strategy's secondary figure, a size it could not tell apart from the best. Worded from the
 * choice's own standing, so it stays true whichever sizes the decision lets it choose among.
 */
function preferredAmongEquivalents(
  output: TuningOutput,
  bestEstimate: PowerValueStats,
  level: string,
): string {
  const [lowest, worse, secondary] = {
    cost: ['the lowest average cost per invocation', 'dearer', 'fastest'],
    speed: ['the lowest average duration', 'slower', 'cheapest'],
    balanced: ['the lowest balanced score', 'worse on the balanced score', 'cheapest'],
  }[output.strategy];
  const choice = output.results.find((r) => r.power === output.power);
  const tolerance = output.confidence?.tolerance ?? 0;
  const head = `Strategy "${output.strategy}"${blendClause(output)}: ${bestEstimate.power} MB has ${lowest}, but ${output.power} MB`;
  if (choice?.standing === 'equivalent') {
    const margin = tolerance > 0 ? ` by more than ${formatLevel(tolerance)}` : '';
    return `${head} is shown not to be ${worse}${margin} at ${level} confidence, and is the ${secondary} of the sizes shown so.`;
  }
  return `${head} could not be shown to be ${worse} at ${level} confidence, and is the ${secondary} of the sizes not shown ${worse}.`;
}

/** A size's figures as the strategy compared them (client/format/cold.ts). */
interface Figures {
  power: number;
  averageDuration: number;
  averagePrice: number;
}

function pick(list: Figures[], compare: (a: Figures, b: Figures) => number) {
  return [...list].sort((a, b) => compare(a, b) || a.power - b.power)[0];
}
