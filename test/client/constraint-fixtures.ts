/**
 * Outputs of runs with constraints, for the views' tests: statisticalOutput (128 MB infeasible,
 * 256 MB chosen) with a p95 latency bound and a memory bound, one size of each verdict, and the
 * same run with a bound no size meets (no recommendation).
 */
import { memoryCheck } from '../../domain/constraints.js';
import type { ConstraintsReport, PowerValueStats, TuningOutput } from '../../domain/types.js';
import { statisticalOutput } from './fixtures.js';

type SizeVerdict = ConstraintsReport['sizes'][number];
type Check = SizeVerdict['checks'][number];

const latency = (verdict: Check['verdict'], bound: number, estimate: number, lower: number, upper: number) =>
  ({ constraint: 'latency', verdict, bound, estimate, lower, upper }) satisfies Check;
// The views show the memory check as the domain makes it.
const memory = (bound: number, power: number): Check => memoryCheck(power, bound);
const worst = (checks: Check[]): SizeVerdict['verdict'] =>
  checks.some((c) => c.verdict === 'fails')
    ? 'fails'
    : checks.every((c) => c.verdict === 'meets')
      ? 'meets'
      : 'uncertain';

function withVerdicts(base: TuningOutput, report: ConstraintsReport): PowerValueStats[] {
  return base.results.map((r) => {
    const judged = report.sizes.find((s) => s.power === r.power);
    return judged ? { ...r, constraints: judged.verdict } : r;
  });
}

/**
 * p95 ≤ 1000 ms and at most 512 MB: 256 MB meets both (and is chosen), 512 MB is uncertain on
 * latency, 1024 MB fails the memory bound. 128 MB is infeasible, so not judged.
 */
export function constrainedOutput(): TuningOutput {
  const base = statisticalOutput();
  const sizes: SizeVerdict[] = [
    [256, [latency('meets', 1000, 960, 900, 990), memory(512, 256)]] as const,
    [512, [latency('uncertain', 1000, 980, 700, 1100), memory(512, 512)]] as const,
    [1024, [latency('meets', 1000, 260, 240, 280), memory(512, 1024)]] as const,
  ].map(([power, checks]) => ({ power, verdict: worst([...checks]), checks: [...checks] }));
  const report: ConstraintsReport = {
    bounds: { percentile: 95, maxDurationMs: 1000, maxMemoryMb: 512 },
    met: true,
    level: 0.95,
    sizes,
    statement:
      'With 95% confidence, 256 MB meets every constraint; 512 MB uncertain: p95 980 ms vs 1000 ms (−2.0%); 1024 MB fails: 1024 MB > 512 MB.',
  };
  return { ...base, results: withVerdicts(base, report), constraints: report };
}

/** p95 ≤ 100 ms, which every measured size is shown to exceed: no recommendation. */
export function unmetOutput(): TuningOutput {
  const base = statisticalOutput();
  const sizes: SizeVerdict[] = [
    { power: 256, verdict: 'fails', checks: [latency('fails', 100, 960, 900, 990)] },
    { power: 512, verdict: 'fails', checks: [latency('fails', 100, 500, 470, 530)] },
    { power: 1024, verdict: 'fails', checks: [latency('fails', 100, 260, 240, 280)] },
  ];
  const report: ConstraintsReport = {
    bounds: { percentile: 95, maxDurationMs: 100 },
    met: false,
    level: 0.95,
    sizes,
    statement:
      'No size was shown to meet the constraints at 95% confidence, so there is no recommendation: 256 MB fails: p95 960 ms > 100 ms (+860.0%); 512 MB fails: p95 500 ms > 100 ms (+400.0%); 1024 MB fails: p95 260 ms > 100 ms (+160.0%).',
  };
  return {
    ...base,
    power: null,
    cost: null,
    duration: null,
    // Without a decision there are no standings and nothing equivalent to a choice.
    results: withVerdicts(base, report).map(({ standing: _standing, ...r }) => r),
    equivalentSizes: [],
    // The run's confidence settings, with the statement a run without a choice makes.
    confidence: base.confidence && {
      ...base.confidence,
      statement: 'With 95% confidence, no size meets every constraint.',
    },
    constraints: report,
  };
}

/** unmetOutput where 1024 MB is not yet shown either way. */
export function undecidedOutput(): TuningOutput {
  const output = unmetOutput();
  const report = output.constraints as ConstraintsReport;
  const sizes = report.sizes.map((s) =>
    s.power === 1024
      ? { ...s, verdict: 'uncertain' as const, checks: [latency('uncertain', 100, 90, 60, 140)] }
      : s,
  );
  return {
    ...output,
    results: output.results.map((r) => (r.power === 1024 ? { ...r, constraints: 'uncertain' } : r)),
    constraints: { ...report, sizes },
  };
}
