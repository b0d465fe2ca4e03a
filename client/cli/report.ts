/** `powertune report <id | result.json> --out report.html`: the self-contained HTML report. */
import type { Command } from 'commander';
import type { PowerTuningInput } from '../../domain/types.js';
import { globalsOf, type CommandContext } from './context.js';
import { EXIT_OK } from './exit.js';
import { writeLine } from './io.js';
import { readJsonFile } from './json-file.js';
import { loadResult } from './load-result.js';
import { writeReportFile } from './output.js';

export function registerReport(program: Command, ctx: CommandContext): void {
  program
    .command('report')
    .summary('write the HTML report of a tuning')
    .description(
      'Writes one self-contained HTML file (works offline): the recommendation, why and how sure, charts at the tested sizes only (with confidence intervals as error bars), every figure, infeasible sizes, and the input used.',
    )
    .argument('<source>', 'a workflow ID, or a result .json file (e.g. saved with run --json)')
    .option('-o, --out <file>', 'where to write the report', 'report.html')
    .option('--input <file>', 'the input JSON to show in the report (when <source> is a file)')
    .action(async (source: string, opts: { out: string; input?: string }, command: Command) => {
      const loaded = await loadResult(ctx.io, globalsOf(command), source);
      const input = opts.input
        ? ((await readJsonFile(ctx.io, opts.input, '--input')) as PowerTuningInput)
        : loaded.input;
      const file = await writeReportFile(ctx.io, opts.out, {
        output: loaded.output,
        ...(input ? { input } : {}),
        ...(loaded.workflowId ? { workflowId: loaded.workflowId } : {}),
        ...(loaded.runId ? { runId: loaded.runId } : {}),
        ...(loaded.startTime ? { startTime: loaded.startTime } : {}),
        ...(loaded.closeTime ? { closeTime: loaded.closeTime } : {}),
      });
      writeLine(ctx.io.stdout, file);
      ctx.exitCode = EXIT_OK;
    });
}
