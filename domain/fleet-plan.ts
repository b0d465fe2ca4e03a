/**
 * Which functions a fleet tunes and in what order: the selection rules (prefix, tags), one group
 * per account and region (Lambda's concurrency limit is per account and region, so the bound is
 * too), at most `concurrency` tunings at once in each group, and each function's child run id.
 */
import type { FleetCarry, FleetMember, FleetSelector } from './fleet-types.js';

/** A function as ListFunctions and ListTags describe it, before it is selected. */
export interface ListedFunction {
  functionName: string;
  tags?: Record<string, string>;
}

/** Whether a listed function belongs to a prefix or tags selection (every tag must match). */
export function isSelected(fn: ListedFunction, selector: FleetSelector): boolean {
  if (selector.kind === 'prefix') return fn.functionName.startsWith(selector.prefix);
  if (selector.kind === 'tags')
    return Object.entries(selector.tags).every(([key, value]) => fn.tags?.[key] === value);
  return true;
}

/** The selection in words, for summaries and messages. */
export function describeSelection(selector: FleetSelector): string {
  switch (selector.kind) {
    case 'prefix':
      return `prefix "${selector.prefix}"`;
    case 'tags':
      return `tags ${Object.entries(selector.tags)
        .map(([key, value]) => `${key}=${value}`)
        .join(', ')}`;
    case 'functions':
      return selector.functions.length === 1 ? '1 function' : `${selector.functions.length} functions`;
  }
}

/** `<account>/<region>`: tunings in one group share the account's regional concurrency limit. */
export function groupOf(member: Pick<FleetMember, 'accountId' | 'region'>): string {
  return `${member.accountId}/${member.region}`;
}

export interface FleetGroup {
  key: string;
  /** In the order they are tuned: by name. */
  members: FleetMember[];
  /** Tunings running side by side in this group: never more than the concurrency. */
  lanes: number;
}

/** Groups by account and region (sorted), each by function name; lanes = min(concurrency, size). */
export function planFleet(members: FleetMember[], concurrency: number): FleetGroup[] {
  const byGroup = new Map<string, FleetMember[]>();
  for (const member of members) {
    const key = groupOf(member);
    byGroup.set(key, [...(byGroup.get(key) ?? []), member]);
  }
  return [...byGroup.keys()].sort().map((key) => {
    const inGroup = [...(byGroup.get(key) ?? [])].sort((a, b) => compare(a.functionName, b.functionName));
    return { key, members: inGroup, lanes: Math.min(concurrency, inGroup.length) };
  });
}

/** One member per ARN (a name and its ARN resolve to the same function), in a stable order. */
export function uniqueMembers(members: FleetMember[]): FleetMember[] {
  const seen = new Map<string, FleetMember>();
  for (const member of members) if (!seen.has(member.functionArn)) seen.set(member.functionArn, member);
  return [...seen.values()].sort(
    (a, b) => compare(groupOf(a), groupOf(b)) || compare(a.functionName, b.functionName),
  );
}

/**
 * The child run's workflow id: the fleet's id and the function, so a replayed or resumed fleet
 * can only ever address the same child, and a person reads which fleet and function it is.
 */
export function childWorkflowId(fleetWorkflowId: string, member: FleetMember): string {
  return `${fleetWorkflowId}--${member.functionName}--${member.region}--${member.accountId}`;
}

/**
 * A run hands over to a new one (continue-as-new) after starting this many children, or sooner
 * when the server suggests it: each child adds about ten events and its input (the payload
 * included) to the history, which must stay far below Temporal's limits.
 */
export const FLEET_CHILDREN_PER_RUN = 100;

/** Whether the current run should stop starting children and hand over what is left. */
export function shouldHandOver(startedThisRun: number, serverSuggests: boolean): boolean {
  return serverSuggests || startedThisRun >= FLEET_CHILDREN_PER_RUN;
}

/** The members not yet done, for the next run or the lanes. */
export function remainingMembers(carry: Pick<FleetCarry, 'members' | 'done'>): FleetMember[] {
  const done = new Set(carry.done.map((d) => d.functionArn));
  return carry.members.filter((m) => !done.has(m.functionArn));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
