/** `powertune compare <a> <b>`: two results side by side, e.g. before and after a code change. */
import type { Command } from 'commander';
import { compareResults, renderComparison } from '../format/compare.js';
import { makeStyle, wantsColor } from '../format/style.js';
import { globalsOf, type CommandContext } from './context.js';
import { EXIT_OK } from './exit.js';
import { writeLine } from './io.js';
import { loadResult } from './load-result.js';

export function registerCompare(program: Command, ctx: CommandContext): void {
  program
    .command('compare')
    .summary('compare two results side by side')
    .description(
      'Shows two results side by side with the change in duration, p90 and cost per memory size. A change counts as real only when the two runs\' confidence intervals do not overlap; otherwise it is shown as "within noise" (results of older runs have no intervals and are compared by their averages). Each side is a workflow ID or a result .json file.',
    )
    .argument('<a>', 'the first result ("before"): workflow ID or .json file')
    .argument('<b>', 'the second result ("after"): workflow ID or .json file')
    .option('--json', 'print the comparison as JSON')
    .action(async (a: string, b: string, opts: { json?: boolean }, command: Command) => {
      const globals = globalsOf(command);
      const before = await loadResult(ctx.io, globals, a);
      const after = await loadResult(ctx.io, globals, b);
      const comparison = compareResults(before.output, after.output, { before: 'A', after: 'B' });
      // Warnings are messages, not results: stderr, so `compare … > file` keeps only the comparison.
      for (const warning of comparison.warnings) writeLine(ctx.io.stderr, `warning: ${warning}`);
      if (opts.json) {
        writeLine(ctx.io.stdout, JSON.stringify({ a, b, ...comparison }, null, 2));
      } else {
        writeLine(ctx.io.stdout, `A = ${a}\nB = ${b}`);
        writeLine(
          ctx.io.stdout,
          renderComparison(comparison, makeStyle(wantsColor(ctx.io.stdout, ctx.io.env))),
        );
      }
      ctx.exitCode = EXIT_OK;
    });
}
