/**
 * Inputs and outputs of every activity. The workflow imports these as types only.
 * Everything here is recorded in workflow history, so it stays small: never a payload body.
 */
import type {
  Architecture,
  FunctionTarget,
  InvocationResult,
  PayloadSpec,
  TuningConfig,
} from '../domain/types.js';
import type { PayloadRef } from '../domain/payload-ref.js';
import type { SizeSummary } from '../domain/sample-summary.js';

/** What the function looked like before the tuning touched it. */
export interface FunctionSnapshot {
  functionName: string;
  region: string;
  architecture: Architecture;
  memorySize: number;
  description: string;
  /** ETag of the payloadS3 object, so every batch reads exactly the same bytes. */
  payloadS3ETag?: string;
  /** Whether the custom search attributes exist on this namespace (set by the worker at start-up). */
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
}

export interface SetupResult {
  power: number;
  /** Alias to invoke for each invocation slot; a single entry unless onlyColdStarts. */
  aliases: string[];
}

export interface RestoreInput {
  target: FunctionTarget;
  memorySize: number;
  description: string;
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
  payloadS3?: { bucket: string; key: string; uri: string; etag?: string };
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

export interface AnalyzeInput {
  config: TuningConfig;
  snapshot: FunctionSnapshot;
  results: { power: number; invocations: InvocationResult[]; infeasibleReason?: string }[];
}

export interface OptimizeInput {
  target: FunctionTarget;
  power: number;
  alias?: string;
  originalDescription: string;
}

/** What taking the lock found: the settings to restore, kept in a version the lock points at. */
export interface LockResult {
  original: { memorySize: number; description: string };
  snapshotVersion: string;
  /** False when PublishVersion returned an existing version (nothing changed since it): not ours to delete. */
  snapshotCreated: boolean;
}

export interface CleanupInput {
  target: FunctionTarget;
  tag: string;
  /** Restore `$LATEST` to this when set (setup cut short, or optimization not applied). */
  restore?: { memorySize: number; description: string };
  /** The lock's snapshot version, deleted with the lock when this run created it. */
  snapshot?: { version: string; created: boolean };
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
