/**
 * Live progress of a tuning on stderr: on a terminal, a bar per memory size (invocations
 * done/total) under a line with the phase and the elapsed time; otherwise (CI logs, pipes)
 * a plain line whenever something changes.
 */
import cliProgress from 'cli-progress';
import type { TuningSnapshot } from '../api.js';
import { statusWord } from '../format/status.js';
import { formatElapsed, formatMs } from '../format/units.js';
import { writeLine, type OutStream } from './io.js';

export interface ProgressView {
  update(snapshot: TuningSnapshot): void;
  stop(): void;
}

/** What a size's row says after its counter, e.g. `avg 41.2 ms` or `2 errors`. */
export function sizeStatus(p: {
  done: number;
  total: number;
  errors: number;
  averageDuration?: number;
}): string {
  const parts: string[] = [];
  if (p.averageDuration !== undefined) parts.push(`avg ${formatMs(p.averageDuration)} ms`);
  if (p.errors > 0) parts.push(`${p.errors} error${p.errors === 1 ? '' : 's'}`);
  if (p.done >= p.total && p.total > 0) parts.push('done');
  return parts.join(', ');
}

/** `512 MB`, or `512 MB arm64` in a tuning over several architectures; `pad` right-aligns the size. */
function sizeLabel(row: { power: number; architecture?: string }, pad = 0): string {
  return `${String(row.power).padStart(pad)} MB${row.architecture ? ` ${row.architecture}` : ''}`;
}

/** One line summarising a snapshot, for logs: `[0:12] invoking: 128 MB 10/10, 256 MB 4/10`. */
export function progressLine(s: TuningSnapshot): string {
  const phase = s.status === 'RUNNING' ? (s.progress?.phase ?? 'starting') : statusWord(s.status);
  const sizes = s.progress?.sizes
    .map((p) => `${sizeLabel(p)} ${p.done}/${p.total}${p.errors > 0 ? ` (${p.errors} failed)` : ''}`)
    .join(', ');
  const note = s.progressError && s.status === 'RUNNING' ? ` (${s.progressError})` : '';
  return `[${formatElapsed(s.elapsedMs)}] ${phase}${sizes ? `: ${sizes}` : ''}${note}`;
}

export function plainProgressView(stream: OutStream): ProgressView {
  let last = '';
  return {
    update(snapshot) {
      // Compare without the clock so a line is printed only when something changed.
      const line = progressLine(snapshot);
      const key = line.replace(/^\[[^\]]*\] /, '');
      if (key !== last) writeLine(stream, line);
      last = key;
    },
    stop() {},
  };
}

export function ttyProgressView(stream: OutStream): ProgressView {
  const multi = new cliProgress.MultiBar(
    {
      stream: stream as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      format: ' {label} {bar} {value}/{total} {status}',
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const header = multi.create(
    1,
    0,
    { phase: 'starting', elapsed: '0:00', note: '' },
    {
      format: ' {phase} · elapsed {elapsed}{note}',
    },
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    update(s) {
      const phase = s.status === 'RUNNING' ? (s.progress?.phase ?? 'starting') : statusWord(s.status);
      const note = s.progressError && s.status === 'RUNNING' ? ` · ${s.progressError}` : '';
      header.update(0, { phase: `phase: ${phase}`, elapsed: formatElapsed(s.elapsedMs), note });
      for (const p of s.progress?.sizes ?? []) {
        const payload = { label: sizeLabel(p, 5), status: sizeStatus(p) };
        const key = `${p.architecture ?? ''} ${p.power}`;
        let bar = bars.get(key);
        if (!bar) {
          bar = multi.create(Math.max(p.total, 1), p.done, payload);
          bars.set(key, bar);
        }
        bar.setTotal(Math.max(p.total, 1));
        bar.update(p.done, payload);
      }
    },
    stop() {
      multi.stop();
    },
  };
}

export function progressViewFor(stream: OutStream, quiet: boolean): ProgressView {
  if (quiet) return { update() {}, stop() {} };
  return stream.isTTY ? ttyProgressView(stream) : plainProgressView(stream);
}
