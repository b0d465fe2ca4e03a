/**
 * What a running fleet shows of itself: the `fleetProgress` query (one row per function) and the
 * same table as the workflow's current details in the Temporal Web UI.
 */
import { setCurrentDetails, setHandler } from '@temporalio/workflow';
import { childWorkflowId, groupOf } from '../domain/fleet-plan.js';
import type {
  FleetFunctionResult,
  FleetMember,
  FleetMemberProgress,
  FleetProgress,
} from '../domain/fleet-types.js';
import { textTable } from '../domain/text-table.js';
import { fleetProgressQuery } from '../domain/workflow-api.js';

type Phase = FleetProgress['phase'];

export class FleetStatus {
  private phase: Phase = 'validating';
  /** By function ARN, in the order the functions are tuned. */
  private readonly rows = new Map<string, FleetMemberProgress>();

  /** `show` displays the markdown: the Web UI's current details (a test reads it instead). */
  constructor(
    private readonly selection: string,
    private readonly concurrency: number,
    private readonly run: number,
    private readonly show: (markdown: string) => void = setCurrentDetails,
  ) {
    setHandler(fleetProgressQuery, () => this.snapshot());
    this.publish();
  }

  enter(phase: Phase): void {
    this.phase = phase;
    this.publish();
  }

  /** The selection is known: every function pending, except those an earlier run finished. */
  select(members: FleetMember[], fleetWorkflowId: string, done: Iterable<FleetFunctionResult>): void {
    for (const member of members) {
      this.rows.set(member.functionArn, {
        functionName: member.functionName,
        functionArn: member.functionArn,
        group: groupOf(member),
        state: 'pending',
        childWorkflowId: childWorkflowId(fleetWorkflowId, member),
        currentPower: member.memorySize,
      });
    }
    for (const result of done) this.update(result.functionArn, rowOf(result));
    this.publish();
  }

  running(functionArn: string, childRunId: string): void {
    this.update(functionArn, { state: 'running', childRunId });
    this.publish();
  }

  finished(result: FleetFunctionResult): void {
    this.update(result.functionArn, rowOf(result));
    this.publish();
  }

  /** The fleet was cancelled: what never started will not. */
  cancelPending(): void {
    for (const row of this.rows.values()) if (row.state === 'pending') row.state = 'cancelled';
    this.publish();
  }

  snapshot(): FleetProgress {
    return {
      phase: this.phase,
      selection: this.selection,
      concurrency: this.concurrency,
      functions: [...this.rows.values()].map((row) => ({ ...row })),
      run: this.run,
    };
  }

  private update(functionArn: string, change: Partial<FleetMemberProgress>): void {
    const row = this.rows.get(functionArn);
    if (row) Object.assign(row, change);
  }

  private publish(): void {
    const rows = [...this.rows.values()];
    const count = (state: FleetMemberProgress['state']) => rows.filter((r) => r.state === state).length;
    const finished = rows.filter((r) => r.state !== 'pending' && r.state !== 'running').length;
    const tally = (['tuned', 'locked', 'failed', 'cancelled'] as const)
      .filter((state) => count(state) > 0)
      .map((state) => `${count(state)} ${state}`)
      .join(', ');
    const lines = [
      `**Fleet tuning** of ${this.selection}: phase **${this.phase}**` +
        (rows.length
          ? `, ${finished} of ${rows.length} finished${tally ? ` (${tally})` : ''}, ${count('running')} running`
          : ''),
      '',
      `At most ${this.concurrency} tunings at once per account and region.` +
        (this.run > 1
          ? ` Run ${this.run} of this fleet (it continues as new to keep its history small).`
          : ''),
    ];
    if (rows.length) {
      lines.push(
        '',
        textTable(
          ['Function', 'Account/region', 'State', 'Memory (MB)', 'Tuning workflow'],
          rows.map((r) => [r.functionName, r.group, r.state, memoryText(r), r.childWorkflowId]),
          ['left', 'left', 'left', 'right', 'left'],
        ),
      );
    }
    this.show(lines.join('\n'));
  }
}

function rowOf(result: FleetFunctionResult): Partial<FleetMemberProgress> {
  const row: Partial<FleetMemberProgress> = { state: result.status };
  if (result.childRunId !== undefined) row.childRunId = result.childRunId;
  if (result.currentPower !== undefined) row.currentPower = result.currentPower;
  if (result.recommendedPower !== undefined) row.recommendedPower = result.recommendedPower;
  if (result.reason !== undefined) row.reason = result.reason;
  return row;
}

/** `256 → 512` once tuned (`256 → -` without a recommendation), else today's size. */
function memoryText(row: FleetMemberProgress): string {
  const now = row.currentPower === undefined ? '?' : String(row.currentPower);
  if (row.recommendedPower === undefined) return now;
  return `${now} → ${row.recommendedPower === null ? '-' : row.recommendedPower}`;
}
