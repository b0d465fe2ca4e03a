/**
 * `npm run bench:decisions`: how good the recommendation is. Tunes every profile many times per
 * strategy in-process (no HTTP, no Temporal), in three modes (the original's rule, the fixed grid
 * with the statistical decision, adaptive racing), and compares each choice with the ground
 * truth of the noise-free model. See bench/README.md, "Decision quality".
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { machineInfo } from '../machine.js';
import { aggregate, type Cell } from './aggregate.js';
import { parseDecisionArgs, USAGE, UsageError } from './options.js';
import { PROFILES } from './profiles.js';
import { renderMarkdown, renderTable, summarise } from './report.js';
import { MODES, SIZES, STRATEGIES } from './settings.js';
import { simulateTuning } from './simulate.js';
import { groundTruth } from './truth.js';

function main(argv: string[]): number {
  let options;
  try {
    options = parseDecisionArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const machine = machineInfo();
  const started = performance.now();
  const selected =
    options.profiles.length > 0 ? PROFILES.filter((p) => options.profiles.includes(p.name)) : PROFILES;
  const cells: Cell[] = [];
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
    }
  }
  const summary = summarise(cells, selected, options.runs, machine, (performance.now() - started) / 1000);
  if (options.markdownFile) writeFileSync(options.markdownFile, `${renderMarkdown(summary)}\n`);
  if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else process.stdout.write(`${renderTable(summary)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
