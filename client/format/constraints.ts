/**
 * The constraints in the words every view uses (terminal table, CSV, HTML report): a size's
 * verdict with the checks that decide it, and the one sentence a user repeats. Each check is worded
 * by domain/constraints.ts describeCheck, so the figures against the bounds read the same
 * everywhere, the output's statement included.
 */
import { describeCheck } from '../../domain/constraints.js';
import { groupDigits } from '../../domain/describe.js';
import type { ConstraintsConfig, ConstraintsReport, TuningOutput } from '../../domain/types.js';
import { formatLevel } from './units.js';

export type SizeVerdict = ConstraintsReport['sizes'][number];
type Check = SizeVerdict['checks'][number];

const MARK: Record<SizeVerdict['verdict'], string> = { meets: '✓', fails: '✗', uncertain: '?' };

/**
 * The checks that explain a verdict: every check of a size that meets the constraints (what it
 * measured), only the failing or open ones otherwise (what keeps it out).
 */
function deciding(size: SizeVerdict): Check[] {
  return size.verdict === 'meets' ? size.checks : size.checks.filter((c) => c.verdict !== 'meets');
}

function describeAll(checks: Check[], report: ConstraintsReport, currency: string, withPlan = false): string {
  return checks.map((c) => describeCheck(c, report.bounds.percentile, currency, withPlan)).join(', ');
}

/** `✗ p95 1240 ms > 200 ms (+520.0%)`: the verdict's mark and the checks that decide it. */
export function verdictText(size: SizeVerdict, report: ConstraintsReport, currency: string): string {
  const checks = deciding(size);
  return `${MARK[size.verdict]} ${checks.length > 0 ? describeAll(checks, report, currency) : size.verdict}`;
}

/** The legend of the verdict marks, at the level the verdicts hold together. */
export function verdictLegend(report: ConstraintsReport): string {
  return (
    `Constraints (every verdict at ${formatLevel(report.level)} confidence together): ` +
    '✓ shown to meet every bound; ✗ shown to fail one (its figure against the bound); ? not yet shown either way.'
  );
}

/**
 * The sentence a user repeats to a colleague, or undefined without constraints:
 * `1024 MB meets the constraints at 99.69% confidence: p95 704 ms ≤ 1000 ms (−29.6%). …`, or
 * `No size met the constraints: …` with the size that came closest.
 */
export function constraintsLead(output: TuningOutput): string | undefined {
  const report = output.constraints;
  if (!report) return undefined;
  const level = formatLevel(report.level);
  const describe = (size: SizeVerdict) => describeAll(deciding(size), report, output.currency, true);
  const chosen = report.sizes.find((s) => s.power === output.power);
  if (output.power !== null && chosen) {
    const meeting = report.sizes.filter((s) => s.verdict === 'meets').map((s) => s.power);
    const among =
      meeting.length <= 1
        ? 'It is the only size that does.'
        : `Strategy "${output.strategy}" chose it among the ${meeting.length} sizes that do (${meeting.join(', ')} MB).`;
    return `${output.power} MB meets the constraints at ${level} confidence: ${describe(chosen)}. ${among}${openNote(output)}`;
  }
  const open = report.sizes.filter((s) => s.verdict === 'uncertain');
  if (open.length > 0) {
    const sizes = open.map((s) => `${s.power} MB (${describe(s)})`).join('; ');
    const rest = open.length < report.sizes.length ? '; every other size fails them' : '';
    return `No size was shown to meet the constraints at ${level} confidence: ${sizes} ${open.length === 1 ? 'is' : 'are'} still uncertain${rest}.`;
  }
  const closest = closestToBounds(report.sizes);
  return (
    `No size met the constraints: every measured size fails them at ${level} confidence` +
    (closest ? `; the closest is ${closest.power} MB: ${describe(closest)}.` : '.')
  );
}

/** ` 512 MB, which may be cheaper, is not yet shown to meet or fail them.`, or nothing. */
function openNote(output: TuningOutput): string {
  const open = output.constraints?.openContenders ?? [];
  if (open.length === 0) return '';
  const better = output.strategy === 'speed' ? 'faster' : output.strategy === 'cost' ? 'cheaper' : 'better';
  const sizes = open.map((p) => `${p} MB`).join(', ');
  const one = open.length === 1;
  // Only for one size: a plan per size would crowd the sentence.
  const planned = one
    ? output.constraints?.sizes
        .find((s) => s.power === open[0])
        ?.checks.find((c) => c.constraint === 'latency')?.callsNeeded
    : undefined;
  const plan =
    typeof planned === 'number' ? ` (about ${groupDigits(planned)} calls on it would settle it)` : '';
  return ` ${sizes}, which may be ${better}, ${one ? 'is' : 'are'} not yet shown to meet or fail them${plan}.`;
}

/** The size whose worst check is the least over its bound (the one to look at next). */
function closestToBounds(sizes: SizeVerdict[]): SizeVerdict | undefined {
  const worst = (s: SizeVerdict) =>
    Math.max(...deciding(s).map((c) => (c.bound > 0 ? c.estimate / c.bound : Infinity)));
  return [...sizes].sort((a, b) => worst(a) - worst(b) || a.power - b.power)[0];
}

/** `p95 ≤ 200 ms, cost ≤ 0.00000500 per invocation, ≤ 1024 MB`: the bounds asked for. */
export function boundsText(bounds: ConstraintsConfig): string {
  return [
    ...(bounds.maxDurationMs !== undefined ? [`p${bounds.percentile} ≤ ${bounds.maxDurationMs} ms`] : []),
    ...(bounds.maxCostPerInvocation !== undefined
      ? [`cost ≤ ${bounds.maxCostPerInvocation.toPrecision(3)} per invocation`]
      : []),
    ...(bounds.maxMemoryMb !== undefined ? [`≤ ${bounds.maxMemoryMb} MB`] : []),
  ].join(', ');
}

/** `p95 bound 1000 ms`: the label of the latency bound where a chart draws it. */
export function latencyBoundLabel(report: ConstraintsReport): string | undefined {
  const { maxDurationMs, percentile } = report.bounds;
  return maxDurationMs === undefined ? undefined : `p${percentile} bound ${maxDurationMs} ms`;
}
