/**
 * `npm run bench:decisions`: how good the recommendation is. Tunes every profile many times per
 * strategy in-process (no HTTP, no Temporal), in three modes (the original's rule, the fixed grid
 * with the statistical decision, adaptive racing), and compares each choice with the ground
 * truth of the noise-free model; then the constraints column: adaptive cost runs under a p95
 * latency bound, scored against the true percentiles; then the cold-start sweep: adaptive runs
 * given a coldStartRate, scored against the blended truth; then the architecture sweep: tunings over
 * x86_64 and arm64 at several arm64 speed factors, scored against the true better architecture.
 * See bench/README.md, "Decision quality".
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { machineInfo } from '../machine.js';
import { aggregate, type Cell } from './aggregate.js';
import { architectureSweep } from './architecture-sweep.js';
import { coldStartSweep } from './cold-sweep.js';
import { constraintRow, type ConstraintRow } from './constraint-column.js';
import { optionsOrExitCode } from '../cli-options.js';
import { parseDecisionArgs, USAGE } from './options.js';
import { selectProfiles } from './profiles.js';
import { renderMarkdown, renderTable, summarise } from './report.js';
import { CONSTRAINT_STRATEGY, MODES, SIZES, STRATEGIES } from './settings.js';
import { simulateTuning } from './simulate.js';
import { groundTruth } from './truth.js';

function main(argv: string[]): number {
  const parsed = optionsOrExitCode(() => parseDecisionArgs(argv), USAGE);
  if ('exitCode' in parsed) return parsed.exitCode;
  const { options } = parsed;
  const machine = machineInfo();
  const started = performance.now();
  const selected = selectProfiles(options.profiles);
  const cells: Cell[] = [];
  const constraints: ConstraintRow[] = [];
  for (const bench of selected) {
    process.stderr.write(`[decisions] ${bench.name}\n`);
    for (const strategy of STRATEGIES) {
      const truth = groundTruth(bench.profile, SIZES, strategy);
      for (const mode of MODES) {
        const outcomes = Array.from({ length: options.runs }, (_, run) =>
          simulateTuning(bench, strategy, mode, run),
        );
        cells.push(aggregate(bench, strategy, mode, truth, outcomes));
      }
      if (strategy === CONSTRAINT_STRATEGY)
        constraints.push(constraintRow(bench, truth, options.runs, options.constraintBudget));
    }
  }
  const coldStarts = coldStartSweep(selected, options.runs, (name) =>
    process.stderr.write(`[decisions] cold starts: ${name}\n`),
  );
  const architectures = architectureSweep(selected, options.runs, (name) =>
    process.stderr.write(`[decisions] architectures: ${name}\n`),
  );
  const seconds = (performance.now() - started) / 1000;
  const summary = summarise(
    cells,
    constraints,
    coldStarts,
    architectures,
    selected,
    options.runs,
    machine,
    seconds,
  );
  if (options.markdownFile) writeFileSync(options.markdownFile, `${renderMarkdown(summary)}\n`);
  if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else process.stdout.write(`${renderTable(summary)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
