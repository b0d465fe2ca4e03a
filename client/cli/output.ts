/** Printing a finished tuning in the format asked for: table (default), --json, --csv, --report. */
import fs from 'node:fs';
import path from 'node:path';
import type { PowerTuningInput, TuningOutput } from '../../domain/types.js';
import { resultCsv } from '../format/csv.js';
import { makeStyle, wantsColor } from '../format/style.js';
import { renderResultSummary } from '../format/table.js';
import { renderReport, type ReportData } from '../report/html.js';
import { UsageError } from './exit.js';
import { writeLine, type CliIo } from './io.js';

export interface OutputOptions {
  json?: boolean;
  csv?: boolean;
  /** Also write the HTML report to this file. */
  report?: string;
}

export function checkOutputOptions(opts: OutputOptions): void {
  if (opts.json && opts.csv)
    throw new UsageError('--json and --csv cannot be used together; pick one output format');
}

export async function writeReportFile(io: CliIo, file: string, data: ReportData): Promise<string> {
  const target = path.resolve(io.cwd, file);
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  await fs.promises.writeFile(target, renderReport({ generatedAt: new Date(), ...data }));
  return target;
}

export async function printOutput(
  io: CliIo,
  output: TuningOutput,
  opts: OutputOptions,
  extra: { input?: PowerTuningInput; workflowId?: string; runId?: string } = {},
): Promise<void> {
  if (opts.json) io.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  else if (opts.csv) io.stdout.write(resultCsv(output));
  else {
    const style = makeStyle(wantsColor(io.stdout, io.env));
    writeLine(io.stdout, renderResultSummary(output, { style, balancedWeight: extra.input?.balancedWeight }));
  }
  if (opts.report) {
    const file = await writeReportFile(io, opts.report, { output, ...extra });
    writeLine(io.stderr, `Report written to ${file}`);
  }
}
