/**
 * Live progress of a tuning: answered by the `progress` query (domain/workflow-api.ts) and shown
 * as the workflow's current details (markdown) in the Temporal Web UI.
 */
import { setCurrentDetails } from '@temporalio/workflow';
import type { SizeSummary } from '../domain/sample-summary.js';
import { sketchCount, sketchMean } from '../domain/sketch.js';
import { textTable } from '../domain/text-table.js';
import type { InvocationResult, TuningOutput, TuningProgress } from '../domain/types.js';

type Phase = TuningProgress['phase'];

export class ProgressTracker {
  private phase: Phase = 'validating';
  private outcome: string[] = [];
  private readonly rows = new Map<
    number,
    { done: number; total: number; errors: number; measured: number; durationSum: number }
  >();

  constructor(private readonly functionLabel: string) {}

  start(powerValues: number[], total: number): void {
    for (const power of powerValues)
      this.rows.set(power, { done: 0, total, errors: 0, measured: 0, durationSum: 0 });
    this.publish();
  }

  enter(phase: Phase): void {
    this.phase = phase;
    this.publish();
  }

  record(power: number, results: InvocationResult[]): void {
    const row = this.rows.get(power);
    if (!row) return;
    row.done += results.length;
    for (const r of results) {
      if (r.error && !r.error.allowed) row.errors++;
      else {
        row.measured++;
        row.durationSum += r.durationMs;
      }
    }
    this.publish();
  }

  /** Adds a batch's summary (current workflow code). */
  recordSummary(power: number, summary: SizeSummary): void {
    const row = this.rows.get(power);
    if (!row) return;
    row.done += summary.invocations;
    row.errors += summary.errors;
    const measured = sketchCount(summary.durationMs);
    row.measured += measured;
    row.durationSum += sketchMean(summary.durationMs) * measured;
    this.publish();
  }

  /** A later sampling round adds invocations to a size. */
  extend(power: number, count: number): void {
    const row = this.rows.get(power);
    if (row) row.total += count;
    this.publish();
  }

  /** A size that stopped early (infeasible) counts as finished. */
  stop(power: number): void {
    const row = this.rows.get(power);
    if (row) row.total = row.done;
    this.publish();
  }

  /**
   * The recommendation, shown under the table once the analysis has made it: one markdown
   * paragraph each (lines of one paragraph would run together in the Web UI).
   */
  recommend(
    output: Pick<TuningOutput, 'power' | 'strategy' | 'confidence' | 'equivalentSizes' | 'constraints'>,
  ): void {
    const equivalent = (output.equivalentSizes ?? []).filter((p) => p !== output.power);
    const paragraphs = [
      // Without a recommendation the constraints' statement, next, says why and by how much.
      output.power === null
        ? `**No recommendation** (strategy ${output.strategy})`
        : `**Recommended: ${output.power} MB** (strategy ${output.strategy})`,
      ...(output.constraints ? [output.constraints.statement] : []),
      ...(output.confidence ? [output.confidence.statement] : []),
      ...(equivalent.length
        ? [`Statistically indistinguishable: ${equivalent.map((p) => `${p} MB`).join(', ')}`]
        : []),
    ];
    this.outcome = paragraphs.flatMap((text, i) => (i === 0 ? [text] : ['', text]));
    this.publish();
  }

  currentPhase(): Phase {
    return this.phase;
  }

  snapshot(): TuningProgress {
    return {
      phase: this.phase,
      sizes: [...this.rows].map(([power, row]) => ({
        power,
        done: row.done,
        total: row.total,
        errors: row.errors,
        averageDuration: row.measured ? row.durationSum / row.measured : undefined,
      })),
    };
  }

  private publish(): void {
    const lines = [
      `**Power tuning** of \`${this.functionLabel}\`: phase **${this.phase}**`,
      '',
      textTable(
        ['Memory (MB)', 'Invocations', 'Errors', 'Mean duration (ms)'],
        this.snapshot().sizes.map((p) => [
          String(p.power),
          `${p.done}/${p.total}`,
          String(p.errors),
          p.averageDuration?.toFixed(2) ?? '-',
        ]),
        ['right', 'right', 'right', 'right'],
      ),
      ...(this.outcome.length ? ['', ...this.outcome] : []),
    ];
    setCurrentDetails(lines.join('\n'));
  }
}
