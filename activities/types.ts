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
  payload: PayloadSpec;
  payloadS3?: { bucket: string; key: string; uri: string; etag?: string };
  parallel: boolean;
  concurrency: number;
  preProcessorARN?: string;
  postProcessorARN?: string;
  allowedExceptions: string[];
  disablePayloadLogs: boolean;
}

export interface InvokeBatchResult {
  /** In invocation order. */
  results: InvocationResult[];
  /** Set when an invocation failed with an error not in allowedExceptions: the size is infeasible. */
  failure?: string;
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

export interface CleanupInput {
  target: FunctionTarget;
  tag: string;
  /** Restore `$LATEST` to this when set (setup cut short, or optimization not applied). */
  restore?: { memorySize: number; description: string };
}

export interface CleanupResult {
  deletedAliases: string[];
  deletedVersions: string[];
  restored: boolean;
  releasedLock: boolean;
}
