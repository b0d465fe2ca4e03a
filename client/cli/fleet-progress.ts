/**
 * Live progress of a fleet on stderr: a line whenever a function changes state (with its
 * tuning's phase while it runs, its recommendation once tuned, the reason when it was not), and a
 * tally line whenever the counts change. Plain lines on a terminal and in logs alike.
 */
import type { FleetMemberProgress } from '../../domain/fleet-types.js';
import type { FleetSnapshot } from '../fleet.js';
import { shortReason } from '../format/reason.js';
import { statusWord } from '../format/status.js';
import { formatElapsed } from '../format/units.js';
import { writeLine, type OutStream } from './io.js';

export interface FleetProgressView {
  update(snapshot: FleetSnapshot): void;
}

/** What one function's line says after its name. */
export function memberText(row: FleetMemberProgress, phase: string | undefined): string {
  switch (row.state) {
    case 'running':
      return `tuning${phase ? ` (${phase})` : ''}`;
    case 'tuned':
      return row.recommendedPower === null
        ? `tuned: no size met the constraints (today ${row.currentPower} MB)`
        : row.recommendedPower === row.currentPower
          ? `tuned: keep ${row.currentPower} MB`
          : `tuned: ${row.currentPower} MB → ${row.recommendedPower} MB`;
    case 'locked':
      return `skipped, locked by another tuning${row.reason ? `: ${shortReason(row.reason, 160)}` : ''}`;
    case 'failed':
    case 'cancelled':
      return `${row.state}${row.reason ? `: ${shortReason(row.reason, 160)}` : ''}`;
    default:
      return row.state;
  }
}

/** `12 of 30 finished (10 tuned, 1 skipped, 1 failed), 4 running` */
export function tallyText(rows: FleetMemberProgress[]): string {
  const count = (state: FleetMemberProgress['state']) => rows.filter((r) => r.state === state).length;
  const finished = rows.length - count('pending') - count('running');
  const parts = [
    ...(count('tuned') ? [`${count('tuned')} tuned`] : []),
    ...(count('locked') ? [`${count('locked')} skipped`] : []),
    ...(count('failed') ? [`${count('failed')} failed`] : []),
    ...(count('cancelled') ? [`${count('cancelled')} cancelled`] : []),
  ];
  return `${finished} of ${rows.length} finished${parts.length ? ` (${parts.join(', ')})` : ''}, ${count('running')} running`;
}

export function fleetProgressView(stream: OutStream, quiet: boolean): FleetProgressView {
  if (quiet) return { update() {} };
  const said = new Map<string, string>();
  let lastTally = '';
  let lastNote = '';
  return {
    update(s) {
      const clock = `[${formatElapsed(s.elapsedMs)}]`;
      const phase = s.status === 'RUNNING' ? (s.progress?.phase ?? 'starting') : statusWord(s.status);
      const note = s.progressError && s.status === 'RUNNING' ? s.progressError : '';
      if (note !== lastNote && note) writeLine(stream, `${clock} fleet: ${note}`);
      lastNote = note;
      for (const row of s.progress?.functions ?? []) {
        if (row.state === 'pending') continue;
        const text = memberText(row, s.phases[row.childWorkflowId]);
        if (said.get(row.functionArn) === text) continue;
        said.set(row.functionArn, text);
        writeLine(stream, `${clock} ${row.functionName}: ${text}`);
      }
      const rows = s.progress?.functions ?? [];
      const tally = rows.length ? `${phase}: ${tallyText(rows)}` : phase;
      if (tally !== lastTally) writeLine(stream, `${clock} fleet ${tally}`);
      lastTally = tally;
    },
  };
}
