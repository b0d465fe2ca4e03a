/**
 * Live progress of a tuning: answered by the `progress` query (domain/workflow-api.ts) and shown
 * as the workflow's current details (markdown) in the Temporal Web UI. A batch counts once it
 * has returned; before that, by what it signals of itself during a long run (batchProgress).
 */
import { setCurrentDetails } from '@temporalio/workflow';
import type { BatchProgress } from '../domain/progress-signal.js';
import type { SizeSummary } from '../domain/sample-summary.js';
import { sketchCount, sketchMean } from '../domain/sketch.js';
import { textTable } from '../domain/text-table.js';
import type {
  Architecture,
  InvocationResult,
  SizeProgressRow,
  TuningOutput,
  TuningProgress,
} from '../domain/types.js';

type Phase = TuningProgress['phase'];

/** A batch scheduled and not yet returned, with what it has signalled (domain/progress-signal.ts). */
interface RunningBatch {
  size: number;
  done: number;
  errors: number;
}

interface Row {
  /** Of the batches that have returned. */
  done: number;
  total: number;
  errors: number;
  measured: number;
  durationSum: number;
  running: Map<string, RunningBatch>;
}

export class ProgressTracker {
  private phase: Phase = 'validating';
  private outcome: string[] = [];
  private readonly rows = new Map<number, Row>();
  /** A tuning over several architectures: the architecture of the rows above, once named. */
  private architecture?: Architecture;
  /** ... and the rows of the architectures already tuned. */
  private earlierPasses: SizeProgressRow[] = [];

  /** `show` displays the markdown: the Web UI's current details (a test reads it instead). */
  constructor(
    private readonly functionLabel: string,
    private readonly show: (markdown: string) => void = setCurrentDetails,
  ) {}

  start(powerValues: number[], total: number): void {
    for (const power of powerValues)
      this.rows.set(power, { done: 0, total, errors: 0, measured: 0, durationSum: 0, running: new Map() });
    this.publish();
  }

  /**
   * A tuning over several architectures: the first call names the architecture of the rows so
   * far; each later one keeps those rows as they are and starts new ones on `architecture`.
   */
  startPass(architecture: Architecture, powerValues: number[], total: number): void {
    if (this.architecture !== undefined) {
      this.earlierPasses.push(...this.currentRows());
      this.rows.clear();
      this.architecture = architecture;
      this.start(powerValues, total);
      return;
    }
    this.architecture = architecture;
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

  /** A batch of `size` invocations is scheduled: its signals may count it before it returns. */
  begin(power: number, batch: string, size: number): void {
    this.rows.get(power)?.running.set(batch, { size, done: 0, errors: 0 });
  }

  /**
   * A running batch's signal. Counts only move up and stay within the batch; a batch that has
   * returned (or was never begun) is not running, so a late or repeated signal changes nothing.
   */
  batchProgress(signal: BatchProgress): void {
    const running = this.rows.get(signal.power)?.running.get(signal.batch);
    if (!running) return;
    const done = Math.max(running.done, Math.min(signal.done, running.size));
    const errors = Math.max(running.errors, Math.min(signal.errors, done));
    if (done === running.done && errors === running.errors) return;
    running.done = done;
    running.errors = errors;
    this.publish();
  }

  /** Adds a batch's summary (current workflow code); it replaces what the batch signalled. */
  recordSummary(power: number, summary: SizeSummary, batch?: string): void {
    const row = this.rows.get(power);
    if (!row) return;
    if (batch !== undefined) row.running.delete(batch);
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
    if (row) {
      row.total = row.done;
      row.running.clear();
    }
    this.publish();
  }

  /**
   * The recommendation, shown under the table once the analysis has made it: one markdown
   * paragraph each (lines of one paragraph would run together in the Web UI).
   */
  recommend(
    output: Pick<
      TuningOutput,
      | 'power'
      | 'strategy'
      | 'confidence'
      | 'equivalentSizes'
      | 'constraints'
      | 'architecture'
      | 'architectures'
      | 'exploration'
    >,
  ): void {
    const equivalent = (output.equivalentSizes ?? []).filter((p) => p !== output.power);
    const on = output.architectures ? ` on ${output.architecture}` : '';
    const paragraphs = [
      // Without a recommendation the constraints' statement, next, says why and by how much.
      output.power === null
        ? `**No recommendation** (strategy ${output.strategy})`
        : `**Recommended: ${output.power} MB${on}** (strategy ${output.strategy})`,
      ...(output.architectures ? [output.architectures.statement] : []),
      // The table lists the measured sizes only; this says the rest of the range is predicted.
      ...(output.exploration ? [output.exploration.statement] : []),
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
    return { phase: this.phase, sizes: [...this.earlierPasses, ...this.currentRows()] };
  }

  private currentRows(): SizeProgressRow[] {
    const architecture = this.architecture;
    return [...this.rows].map(([power, row]): SizeProgressRow => {
      const running = [...row.running]
        .filter(([, b]) => b.done > 0)
        .map(([batch, b]) => ({ batch, done: b.done, errors: b.errors }));
      const sum = (pick: (b: { done: number; errors: number }) => number) =>
        running.reduce((total, b) => total + pick(b), 0);
      return {
        power,
        ...(architecture !== undefined ? { architecture } : {}),
        done: row.done + sum((b) => b.done),
        total: row.total,
        errors: row.errors + sum((b) => b.errors),
        averageDuration: row.measured ? row.durationSum / row.measured : undefined,
        // Only while a batch has signalled: rows stay as they were otherwise.
        ...(running.length ? { running } : {}),
      };
    });
  }

  private publish(): void {
    const lines = [
      `**Power tuning** of \`${this.functionLabel}\`: phase **${this.phase}**`,
      '',
      textTable(
        ['Memory (MB)', 'Invocations', 'Errors', 'Mean duration (ms)'],
        this.snapshot().sizes.map((p) => [
          p.architecture === undefined ? String(p.power) : `${p.power} ${p.architecture}`,
          `${p.done}/${p.total}`,
          String(p.errors),
          p.averageDuration?.toFixed(2) ?? '-',
        ]),
        ['right', 'right', 'right', 'right'],
      ),
      ...(this.outcome.length ? ['', ...this.outcome] : []),
    ];
    this.show(lines.join('\n'));
  }
}
