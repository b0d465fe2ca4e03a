/**
 * The contracts of a fleet tuning: many functions, each tuned by its own `powerTuning` child run.
 * Pure types only (bundled into the workflow sandbox).
 */
import type {
  DecisionConfidence,
  Estimate,
  MonthlyReport,
  PowerTuningInput,
  TargetRole,
  TuningConfig,
} from './types.js';

/**
 * What every function of the fleet is tuned with: a tuning's input without the function. It is
 * passed to each child whole, so a field added to PowerTuningInput reaches the children as is.
 */
export type FleetTuningSettings = Omit<PowerTuningInput, 'lambdaARN'>;

/** The fleet's input: exactly one selector (functions, prefix or tags), then how to tune them. */
export interface FleetTuningInput {
  /** Function names, partial or full ARNs (unqualified): these and only these. */
  functions?: string[];
  /** Every function (`$LATEST`) of the region whose name starts with this. */
  prefix?: string;
  /** Every function of the region carrying all of these tags (same key, same value). */
  tags?: Record<string, string>;
  /** Where to list (prefix, tags) and where bare names live (default: the worker's AWS region). */
  region?: string;
  /** Most tunings at once per account and region (default 4). */
  concurrency?: number;
  tuning: FleetTuningSettings;
}

export type FleetSelector =
  | { kind: 'functions'; functions: string[] }
  | { kind: 'prefix'; prefix: string }
  | { kind: 'tags'; tags: Record<string, string> };

/** The shared tuning settings as validated: a TuningConfig without a function. */
export type FleetSharedConfig = Omit<TuningConfig, 'target' | 'lambdaARN'>;

/** The validated fleet input. */
export interface FleetConfig {
  selector: FleetSelector;
  region?: string;
  concurrency: number;
  /** As given, for the children (each validates it again with its own function). */
  tuning: FleetTuningSettings;
  /** The same settings validated and defaulted, for summaries. */
  shared: FleetSharedConfig;
  /** The role the settings name (roleArn): the functions are listed with it, as they are tuned. */
  role?: TargetRole;
}

/** One function the selection found, as the listing activity resolved it. */
export interface FleetMember {
  /** The bare function name. */
  functionName: string;
  /** Its unqualified full ARN: what the child tunes, so account and region are explicit. */
  functionArn: string;
  region: string;
  accountId: string;
  /** `$LATEST`'s memory size when it was listed. */
  memorySize: number;
}

/** tuned: the child completed; locked: another tuning holds the function (nothing was changed). */
export type FleetFunctionStatus = 'tuned' | 'failed' | 'locked' | 'cancelled';

/** A size's averages as the fleet reports them. */
export interface FleetSizeFigures {
  power: number;
  /** ms per invocation (trimmed mean). */
  averageDuration: number;
  /** Cost of one invocation, request fee included. */
  averagePrice: number;
}

/** One function's outcome, compact: the fleet's history and report carry only this. */
export interface FleetFunctionResult {
  functionName: string;
  functionArn: string;
  region: string;
  accountId: string;
  status: FleetFunctionStatus;
  /** The child run (deterministic id), and its run id once it started. */
  childWorkflowId: string;
  childRunId?: string;
  /** Why it was not tuned (failed, locked, cancelled), in the child's words. */
  reason?: string;
  /** The failure's type (e.g. ConcurrentTuning, StrandedTuning, InvalidInput). */
  errorType?: string;
  /** Memory size before the tuning. */
  currentPower?: number;
  /** The recommendation; null when the constraints ruled out every size. */
  recommendedPower?: number | null;
  /** Measured at today's size (absent when it was not measured or is infeasible). */
  current?: FleetSizeFigures;
  recommended?: FleetSizeFigures;
  currency?: 'USD' | 'CNY';
  /** With a production volume: the monthly saving of the recommendation against today. */
  monthly?: {
    invocationsPerMonth: number;
    source: MonthlyReport['source'];
    level: number;
    saving?: Estimate;
  };
  confidence?: Pick<DecisionConfidence, 'level' | 'tolerance' | 'policy' | 'settled' | 'statement'>;
  /** Without a recommendation: the constraints' statement saying why. */
  note?: string;
  /** The recommendation was applied (autoOptimize). */
  optimized?: boolean;
  dryRun?: boolean;
}

/** The monthly savings of the functions whose volume is known, per currency. */
export interface FleetSavingTotal {
  currency: 'USD' | 'CNY';
  estimate: number;
  /** Sums of the bounds: at least the joint confidence of each, never narrower than the truth. */
  lower: number;
  upper: number;
  /** How many functions the total covers. */
  functions: number;
}

export interface FleetOutput {
  /** The selection in words: `prefix "orders-"`, `tags team=orders`, `3 functions`. */
  selection: string;
  concurrency: number;
  strategy: TuningConfig['strategy'];
  functions: FleetFunctionResult[];
  counts: Record<FleetFunctionStatus, number>;
  savings: FleetSavingTotal[];
}

/** A function's state while the fleet runs. */
export type FleetMemberState = 'pending' | 'running' | FleetFunctionStatus;

export interface FleetMemberProgress {
  functionName: string;
  functionArn: string;
  /** `<account>/<region>`: concurrency is bounded per group. */
  group: string;
  state: FleetMemberState;
  childWorkflowId: string;
  childRunId?: string;
  currentPower?: number;
  recommendedPower?: number | null;
  reason?: string;
}

/** Answered by the `fleetProgress` query at any time. */
export interface FleetProgress {
  phase: 'validating' | 'selecting' | 'tuning' | 'done' | 'failed' | 'cancelled';
  selection: string;
  concurrency: number;
  /** Empty until the selection is known. */
  functions: FleetMemberProgress[];
  /** Runs of this fleet so far (continue-as-new keeps the history of each bounded). */
  run: number;
}

/** What a fleet run hands to the next when it continues as new. */
export interface FleetCarry {
  members: FleetMember[];
  done: FleetFunctionResult[];
  run: number;
}
