/**
 * Inputs and outputs of every activity. The workflow imports these as types only.
 * Everything here is recorded in workflow history, so it stays small: never a payload body.
 */
import type {
  Architecture,
  FunctionTarget,
  InvocationResult,
  PayloadS3Location,
  PayloadSpec,
  TuningConfig,
} from '../domain/types.js';
import type { PayloadRef } from '../domain/payload-ref.js';
import type { SizeSummary } from '../domain/sample-summary.js';
import type { MeasuredVolume } from '../domain/volume.js';

/** What the function looked like before the tuning touched it. */
export interface FunctionFacts {
  functionName: string;
  region: string;
  architecture: Architecture;
  memorySize: number;
  description: string;
  /** ETag of the payloadS3 object, so every batch reads exactly the same bytes. */
  payloadS3ETag?: string;
  /** With invocationsPerMonth "cloudwatch" only: the volume recorded before the tuning. */
  volume?: MeasuredVolume;
}

/** What prepareTuning returns: the function's facts, and one fact about the worker. */
export interface PrepareResult extends FunctionFacts {
  /**
   * The worker has the custom search attributes on its namespace (found or registered at
   * start-up): a worker capability, not a fact about the function. Field name kept as recorded
   * in workflow histories, which the workflow reads back on replay.
   */
  searchAttributesReady: boolean;
}

export interface SetupInput {
  target: FunctionTarget;
  tag: string;
  power: number;
  originalDescription: string;
  /** 1, or `num` with onlyColdStarts (one fresh version per invocation). */
  versions: number;
  onlyColdStarts: boolean;
  /** With a cold-start rate: this many more versions after the warm one, each invoked once (cold). */
  coldSlots?: number;
  /**
   * Warm versions of the size, each with its own alias, among which its calls are shared
   * (domain/environments.ts). Sent only when more than 1, so other runs' recorded inputs stay as they were.
   */
  environments?: number;
  /**
   * Set when `$LATEST` was switched to another architecture for this size: names carry it, and
   * each published version must run on it.
   */
  architecture?: Architecture;
}

export interface SetupResult {
  power: number;
  /** Alias to invoke for each invocation slot; a single entry unless onlyColdStarts. */
  aliases: string[];
  /** With coldSlots: one alias per cold invocation, each on its own fresh version. */
  coldAliases?: string[];
  /** With environments > 1: the size's warm aliases, one per environment, the first being `aliases[0]`. */
  environmentAliases?: string[];
  /** As SetupInput.architecture: set for sizes set up on another architecture. */
  architecture?: Architecture;
}

export interface RestoreInput {
  target: FunctionTarget;
  memorySize: number;
  description: string;
}

/** The payloadS3 object with the ETag prepareTuning found, so every batch reads the same bytes. */
export interface PinnedPayloadS3 extends PayloadS3Location {
  etag?: string;
}

export interface InvokeBatchInput {
  target: FunctionTarget;
  power: number;
  /** Index of the first invocation of this batch within the power value's run. */
  start: number;
  count: number;
  /** Total invocations for this power value (payload interleaving needs it). */
  total: number;
  /** One alias for all invocations, or one per invocation index (onlyColdStarts). */
  aliases: string[];
  /** Inline payload: only in batches scheduled by older workflow code. */
  payload?: PayloadSpec;
  /** The run's inline payload, by reference: the worker asks the run for it (see domain/payload-ref.ts). */
  payloadRef?: PayloadRef;
  payloadS3?: PinnedPayloadS3;
  parallel: boolean;
  concurrency: number;
  preProcessorARN?: string;
  postProcessorARN?: string;
  allowedExceptions: string[];
  disablePayloadLogs: boolean;
  /** Pause before every invocation but the size's first (sequential runs only). */
  sleepBetweenMs?: number;
  /** 'summary': return a SizeSummary instead of every result (set by current workflow code). */
  resultForm?: 'summary';
  /**
   * Which function errors stop the batch and make the size infeasible: 'any' (older workflow
   * code), or 'resource' (out of memory, timeout: other errors are counted, not fatal).
   */
  stopOn?: 'any' | 'resource';
  /**
   * Keep cold starts out of the summary's duration sketches (they are still counted and billed):
   * set for a size spread over environments, where each environment starts cold.
   */
  warmOnly?: boolean;
}

export interface InvokeBatchResult {
  /** In invocation order (older workflow code only). */
  results?: InvocationResult[];
  /** The batch's invocations, summarised (with resultForm 'summary'). */
  summary?: SizeSummary;
  /** Set when an invocation failed with an error not in allowedExceptions: the size is infeasible. */
  failure?: string;
  /** The first such error even when it did not stop the batch (stopOn 'resource'). */
  firstFailure?: string;
}

/** One size's invocations, as the legacy workflow keeps them and sends them to analysis. */
export interface PowerValueRun {
  power: number;
  invocations: InvocationResult[];
  /** Set when the size could not be measured (e.g. out of memory). */
  infeasibleReason?: string;
}

export interface AnalyzeInput {
  config: TuningConfig;
  /** The function's facts (named `snapshot` in the histories of the legacy workflow that sends it). */
  snapshot: FunctionFacts;
  results: PowerValueRun[];
}

export interface OptimizeInput {
  target: FunctionTarget;
  power: number;
  alias?: string;
  originalDescription: string;
}

/**
 * What taking the lock found: the settings to restore, kept in the saved version (the untouched
 * `$LATEST` published when the lock was taken), which the lock points at. The `snapshot…` field
 * names are the ones recorded in workflow histories, so they stay.
 */
export interface LockResult {
  original: { memorySize: number; description: string };
  /** The saved version. */
  snapshotVersion: string;
  /** False when PublishVersion returned an existing version (nothing changed since it): not ours to delete. */
  snapshotCreated: boolean;
}

/** The saved version (see LockResult), deleted with the lock when this run created it. */
export interface SavedVersion {
  version: string;
  created: boolean;
}

export interface CleanupInput {
  target: FunctionTarget;
  tag: string;
  /** Restore `$LATEST` to this when set (setup cut short, or optimization not applied). */
  restore?: { memorySize: number; description: string };
  /** The saved version (field name as recorded in workflow histories). */
  snapshot?: SavedVersion;
  /** The run may have switched `$LATEST`'s architecture: put the saved version's back. */
  restoreArchitecture?: boolean;
}

/** `powertune cleanup`: put back a function left behind by runs that never cleaned up. */
export interface StrandedCleanupInput {
  target: FunctionTarget;
  /** The workflow doing the cleanup; it holds the lock meanwhile when there is none. */
  workflowId: string;
  tag: string;
  dryRun: boolean;
  /** Clean up even when the lock holder's status cannot be checked. */
  force: boolean;
}

export interface StrandedCleanupReport {
  functionName: string;
  dryRun: boolean;
  /** The lock found, and the state of the run that holds it. */
  lock?: { workflowId?: string; runTag?: string; ownerStatus: string; pointsTo: string };
  /** Aliases and versions of tuning runs (deleted, or that would be with dryRun). */
  aliases: string[];
  versions: string[];
  /** `$LATEST` before and after (after = the original settings), when they differed. */
  restore?: {
    from: { memorySize: number; description: string };
    to: { memorySize?: number; description: string };
  };
  /** `$LATEST`'s architecture put back (a run over both architectures stopped on the other one). */
  architecture?: { from: string; to: string };
  releasedLock: boolean;
  /** What could not be done or decided, in words. */
  warnings: string[];
}

export interface CleanupResult {
  deletedAliases: string[];
  deletedVersions: string[];
  restored: boolean;
  releasedLock: boolean;
  /** The function no longer exists (deleted during the tuning). */
  functionGone?: boolean;
}

export interface SwitchArchitectureInput {
  target: FunctionTarget;
  tag: string;
  /** The lock's saved version: its package is what gets uploaded (see LockResult). */
  savedVersion: string;
  architecture: Architecture;
}

export interface SwitchArchitectureResult {
  architecture: Architecture;
  /** False when `$LATEST` already ran there. */
  switched: boolean;
}
