/**
 * The contracts shared by the workflow, the activities, the client and the tests.
 * Pure types only: this file is imported into Temporal's deterministic workflow bundle.
 */
import type { ArchitectureReport } from './architectures.js';
import type { SizeConstraints } from './constraints.js';
import type { ActionCount } from './orchestration.js';

export type Strategy = 'cost' | 'speed' | 'balanced';
export type Architecture = 'x86_64' | 'arm64';

/** A payload entry of the weighted form `[{ payload, weight }, …]`. */
export interface WeightedPayload {
  payload: unknown;
  weight: number;
}

/** Price overrides accepted in the input; any field left out uses the built-in table. */
export interface PriceOverrides {
  /** USD (or CNY in China regions) per GB-second of billed duration. */
  perGbSecond?: number;
  /** Per single request. */
  perRequest?: number;
}

/**
 * The execution input, as a user of the original Step Functions tool would paste it,
 * plus a few optional extensions (marked "ours"). How each field is read, written back and set
 * from the CLI: domain/input-fields.ts, whose table must have exactly these keys (tsc checks it).
 */
export interface PowerTuningInput {
  lambdaARN: string;
  num: number;
  powerValues?: number[] | 'ALL';
  payload?: unknown;
  payloadS3?: string;
  parallelInvocation?: boolean;
  strategy?: Strategy;
  balancedWeight?: number;
  autoOptimize?: boolean;
  autoOptimizeAlias?: string;
  dryRun?: boolean;
  preProcessorARN?: string;
  postProcessorARN?: string;
  discardTopBottom?: number;
  sleepBetweenRunsMs?: number;
  disablePayloadLogs?: boolean;
  includeOutputResults?: boolean;
  onlyColdStarts?: boolean;
  allowedExceptions?: string[];
  /** Ours: most concurrent invocations per power value when parallelInvocation is set. */
  maxParallelInvocations?: number;
  /** Ours: base of the visualization link. */
  visualizationURL?: string;
  /** Ours: override the built-in price table. */
  prices?: PriceOverrides;
  /** Ours: joint confidence of the decision (e.g. 0.95); turns on adaptive sampling. */
  confidence?: number;
  /** Ours: relative difference below which two sizes count as equally good. */
  tolerance?: number;
  /** Ours: most invocations of an adaptive run (default 3 × num × sizes). */
  maxInvocations?: number;
  /** Ours: a size whose error rate is proven above this is infeasible (default 0.1). */
  maxErrorRate?: number;
  /**
   * Ours: share of production invocations that are cold starts (0..1). The run then also measures
   * each size's cold invocations (on fresh versions) and the strategy compares warm and cold
   * figures blended at this rate.
   */
  coldStartRate?: number;
  /** Ours: with coldStartRate, the cold invocations per size, each on its own version (default 5). */
  coldInvocations?: number;
  /**
   * Ours: warm versions (execution environments) per size, its calls shared among them
   * (domain/environments.ts); default 3 for adaptive runs, else 1.
   */
  environments?: number;
  /**
   * Ours: with a version or alias in lambdaARN, tune even when $LATEST's code (CodeSha256) is not
   * that version's (default false: refuse).
   */
  allowCodeMismatch?: boolean;
  /**
   * Ours: tune on these instruction sets (one or both of "x86_64", "arm64") and recommend a memory
   * size and an architecture; absent: the function's own architecture only.
   */
  architectures?: Architecture[];
  /**
   * Ours: "model" searches every MB between the smallest and the largest of powerValues: a few
   * sizes first, then the ones a fitted duration curve points at (domain/exploration.ts);
   * "grid" (the default) tests exactly powerValues.
   */
  exploration?: ExplorationMode;
  /** Ours: bounds the recommendation must meet (latency at a percentile, cost, memory). */
  constraints?: ConstraintsInput;
  /**
   * Ours: production invocations per month, for monthly costs and the saving against today; or
   * "cloudwatch" to read them from the function's Invocations metric.
   */
  invocationsPerMonth?: number | 'cloudwatch';
  /** Ours: with invocationsPerMonth "cloudwatch", the days of history read (default 14). */
  volumeWindowDays?: number;
  /**
   * Ours: Temporal Cloud's price per million actions. When set, the run counts its own billable
   * actions and reports their cost in stateMachine.executionCost (0 on a self-hosted server).
   */
  pricePerMillionActions?: number;
  /**
   * Ours: an IAM role to assume for every call on the function (a function in another account);
   * absent: the worker's own credentials.
   */
  roleArn?: string;
  /** Ours: with roleArn, the external id the role's trust policy expects. */
  externalId?: string;
}

/** The constraints as the input gives them; every bound is optional. */
export interface ConstraintsInput {
  /** The percentile maxDurationMs applies to (default 95). */
  percentile?: number;
  maxDurationMs?: number;
  /** In the price table's currency, request fee included. */
  maxCostPerInvocation?: number;
  maxMemoryMb?: number;
}

/** The constraints as validated: at least one bound, the percentile defaulted. */
export interface ConstraintsConfig {
  percentile: number;
  maxDurationMs?: number;
  maxCostPerInvocation?: number;
  maxMemoryMb?: number;
}

/** How the run samples and how sure its decision must be; decided once by validation. */
export interface SamplingConfig {
  /** fixed: num per size, as the original; adaptive: racing until settled (with confidence). */
  policy: 'fixed' | 'adaptive';
  /** Joint confidence of the comparisons behind the decision. */
  confidence: number;
  tolerance: number;
  /** Budget of an adaptive run, first round included. */
  maxInvocations: number;
  /** The user set maxInvocations: it is a ceiling (else it follows the sizes tested). */
  budgetGiven?: true;
  maxErrorRate: number;
  /** Bounds the choice must meet with the run's confidence (absent: none). */
  constraints?: ConstraintsConfig;
}

/** The payloadS3 object, as validation parses `s3://bucket/key`. */
export interface PayloadS3Location {
  bucket: string;
  key: string;
  /** What the user typed. */
  uri: string;
}

/** Where a function lives, parsed from a full ARN, a partial ARN or a bare name. */
export interface FunctionTarget {
  /** What the Lambda API calls FunctionName: the full unqualified ARN when one was given, else the name. */
  functionName: string;
  /** From the ARN when it has one; otherwise resolved by activities from the AWS configuration. */
  region?: string;
  accountId?: string;
  /** Added: the bare function name (also set for ARNs), for messages and resource names. */
  name?: string;
  /** Added: the ARN partition (aws, aws-cn, aws-us-gov, …) when a full ARN was given. */
  partition?: string;
  /**
   * Added: the version or alias lambdaARN named ($LATEST is dropped). Memory can be changed only
   * on $LATEST, so the run checks that $LATEST runs this version's code before it changes anything.
   */
  qualifier?: string;
  /** Added: the role every call on the function is made with (input roleArn); absent: the worker's own. */
  role?: TargetRole;
}

/** The IAM role assumed for a function in another account, as input roleArn and externalId give it. */
export interface TargetRole {
  arn: string;
  /** The value the role's trust policy expects in sts:ExternalId, when it expects one. */
  externalId?: string;
}

/** The validated, defaulted and normalised input. Every field is set. */
export interface TuningConfig {
  target: FunctionTarget;
  /** What the user typed, for messages and output. */
  lambdaARN: string;
  num: number;
  /** Integers in 128..10240, sorted ascending, without duplicates. */
  powerValues: number[];
  /** Inline payload plan (absent when payloadS3 is used). */
  payload: PayloadSpec;
  payloadS3?: PayloadS3Location;
  parallelInvocation: boolean;
  maxParallelInvocations: number;
  strategy: Strategy;
  balancedWeight: number;
  autoOptimize: boolean;
  autoOptimizeAlias?: string;
  dryRun: boolean;
  preProcessorARN?: string;
  postProcessorARN?: string;
  discardTopBottom: number;
  sleepBetweenRunsMs: number;
  disablePayloadLogs: boolean;
  includeOutputResults: boolean;
  onlyColdStarts: boolean;
  allowedExceptions: string[];
  visualizationURL: string;
  prices: PriceOverrides;
  sampling: SamplingConfig;
  /** Production invocations per month, or read from CloudWatch (absent: no monthly figures). */
  invocationsPerMonth?: number | 'cloudwatch';
  /** Set exactly when invocationsPerMonth is "cloudwatch": the days of history read. */
  volumeWindowDays?: number;
  /** Temporal Cloud's price per million actions (absent: orchestration is not priced). */
  pricePerMillionActions?: number;
  /** Set (true) only when given: tune a named version or alias even if $LATEST's code differs. */
  allowCodeMismatch?: boolean;
  /** Share of production invocations that are cold (absent: no cold measurements, no blend). */
  coldStartRate?: number;
  /** Set exactly when coldStartRate is: the cold invocations per size. */
  coldInvocations?: number;
  /** Warm versions per size, each with its own alias, among which its calls are shared (1: one alias per size). */
  environments: number;
  /**
   * Set only when a latency bound raised the default `environments`: the default before. Runs
   * started before the `latency-environments` patch replay with it (workflows/sampling.ts).
   */
  environmentsBeforeLatencyDefault?: number;
  /** Set only when given: the architectures to tune on. */
  architectures?: Architecture[];
  /**
   * Set only with exploration "model": the range searched, every MB of it a candidate. powerValues
   * then holds the first sizes measured (domain/exploration.ts initialSizes).
   */
  exploration?: ExplorationRange;
}

export type ExplorationMode = 'grid' | 'model';

/** The memory range a model exploration searches, both ends included, in MB. */
export interface ExplorationRange {
  lowestMb: number;
  highestMb: number;
}

/**
 * What a model exploration measured and what it only predicted. Only `measured` sizes have
 * figures in results[]; every point of `curve` is a prediction of the fitted model.
 */
export interface ExplorationReport {
  range: ExplorationRange;
  /** The sizes invoked, in MB, ascending (the recommendation is always one of them). */
  measured: number[];
  /** Invocations the exhaustive 64-MB grid over the range would make at the same num. */
  grid64Invocations: number;
  /** invocationsSpent / grid64Invocations. */
  shareOfGrid64: number;
  /** The fitted duration curve; absent when fewer than three sizes could be measured. */
  curve?: ExplorationCurve;
  /** One sentence: what was measured, what it cost against the grid, what is predicted. */
  statement: string;
}

/** duration(m) = ioMs + cpuMs / min(m / 1769, parallelism): the fit and its predictions. */
export interface ExplorationCurve {
  ioMs: number;
  cpuMs: number;
  /** Threads the code keeps busy, as fitted; the data cannot rule out the range after it. */
  parallelism: number;
  plausibleParallelism: [number, number];
  /** Scatter of the measured sizes around the curve beyond their own noise (1: none). */
  dispersion: number;
  /** Level of each point's band (pointwise, not simultaneous). */
  level: number;
  /** Predicted warm duration (ms) on the 64-MB grid and at every measured size, with its band. */
  points: { power: number; duration: number; lower: number; upper: number; measured: boolean }[];
}

/** Payloads as the invocations will send them: JSON text, already converted. */
export type PayloadSpec =
  | { kind: 'single'; body: string | undefined }
  | { kind: 'weighted'; entries: { body: string | undefined; weight: number }[] };

/** What one invocation measured; compact, because batches of them go into workflow history. */
export interface InvocationResult {
  /** Duration + Init + Restore, in ms. */
  durationMs: number;
  /** Billed + BilledRestore, in ms. */
  billedMs: number;
  /** Init Duration when this was a cold start, else 0. */
  initMs: number;
  coldStart: boolean;
  /** Set when the function reported an error (allowed or not). */
  error?: { type: string; message: string; allowed: boolean };
}

/** Summary of one power value that the analysis produces. */
export interface PowerValueStats {
  power: number;
  invocations: number;
  errors: number;
  coldStarts: number;
  /**
   * Trimmed mean of durationMs (per discardTopBottom). Null for an infeasible size: its few
   * or no measurements must not read as a duration a script could pick.
   */
  averageDuration: number | null;
  /** Cost of one invocation at the trimmed-mean billed duration, request fee included; null when infeasible. */
  averagePrice: number | null;
  p50: number;
  p90: number;
  p99: number;
  stdDev: number;
  /** Sum of the cost of every invocation made at this size. */
  totalCost: number;
  feasible: boolean;
  /** Why this size cannot be used (e.g. out of memory), when not feasible. */
  infeasibleReason?: string;
  /** Added: invocations whose error type is in allowedExceptions (kept in the statistics). */
  allowedErrors?: number;
  /** Ours: confidence interval of averageDuration (at the run's confidence); absent when infeasible. */
  durationInterval?: Interval;
  /** Ours: confidence interval of averagePrice; absent when infeasible. */
  priceInterval?: Interval;
  /** Ours: share of invocations that failed (errors / invocations), with its interval. */
  errorRate?: number;
  errorRateInterval?: Interval;
  /** Ours: interval of p90 (distribution-free; `bounded: false` when there are too few invocations). */
  p90Interval?: Interval & { bounded: boolean };
  /** Ours: where the size stands against the best under the strategy (see domain/decision.ts). */
  standing?: 'best' | 'equivalent' | 'uncertain' | 'worse';
  /** Ours, with constraints: whether the size is shown to meet them (domain/constraints.ts). */
  constraints?: 'meets' | 'fails' | 'uncertain';
  /** Ours, with coldStartRate: the size's cold invocations, each on a fresh version. */
  cold?: ColdStats;
  /** Ours, with coldStartRate: warm and cold figures blended at that rate (what the strategy compared). */
  blended?: {
    averageDuration: number;
    averagePrice: number;
    /** Their intervals at the run's confidence (absent in results of runs made before them). */
    durationInterval?: Interval;
    priceInterval?: Interval;
  };
}

/** One size's cold invocations: Duration and Billed Duration include the Init Duration. */
export interface ColdStats {
  invocations: number;
  errors: number;
  /** Mean duration of a cold invocation, init included (ms); null when none succeeded. */
  averageDuration: number | null;
  /** Mean Init Duration (ms); null when none was reported. */
  averageInitDuration: number | null;
  /** Cost of one cold invocation at the mean billed duration, request fee included; null when none succeeded. */
  averagePrice: number | null;
}

/** A size's statistics with both averages known, as every feasible size has them. */
export type MeasuredStats = PowerValueStats & { averageDuration: number; averagePrice: number };

export interface Interval {
  lower: number;
  upper: number;
}

/** Ours: how sure the recommendation is, in numbers and in words. */
export interface DecisionConfidence {
  /** Joint confidence of the comparisons behind the choice. */
  level: number;
  /** The relative difference treated as no difference. */
  tolerance: number;
  policy: 'fixed' | 'adaptive';
  /** True when the choice is the best size or proven within the tolerance of it. */
  settled: boolean;
  /** Why sampling stopped (adaptive runs). */
  stop?: 'grid-complete' | 'settled' | 'budget-spent' | 'nothing-feasible';
  /** The statement behind the choice, in one sentence. */
  statement: string;
}

/** One size in the original tool's `stats` list (with includeOutputResults). */
export interface OriginalStatsEntry {
  /** The memory size, in MB. */
  value: number;
  averagePrice: number;
  averageDuration: number;
}

/**
 * The workflow's result. The first keys are the original tool's, in its order. power, cost and
 * duration are null only when constraints were given and no size was shown to meet them.
 */
export interface TuningOutput {
  power: number | null;
  cost: number | null;
  duration: number | null;
  stateMachine: { executionCost: number; lambdaCost: number; visualization: string };
  stats?: OriginalStatsEntry[];
  // ours, beside the original keys:
  strategy: Strategy;
  functionName: string;
  region: string;
  architecture: Architecture;
  currency: 'USD' | 'CNY';
  dryRun: boolean;
  optimized: boolean;
  results: PowerValueStats[];
  /** Ours: the statement behind the choice. Absent in results of runs made before it existed. */
  confidence?: DecisionConfidence;
  /** Ours: sizes statistically indistinguishable from the choice under the strategy. */
  equivalentSizes?: number[];
  /** Ours: invocations made, and what the fixed grid (num × sizes) would make. */
  invocationsSpent?: number;
  gridInvocations?: number;
  /** Ours, with exploration "model": the range searched, the sizes measured and the fitted curve. */
  exploration?: ExplorationReport;
  /** Ours, with constraints: the bounds, each measured size's checks and the statement. */
  constraints?: ConstraintsReport;
  /**
   * Ours: the function's memory size when the run started. New runs measure it too when it is a
   * valid size (one more row in results), so the choice can be weighed against today.
   */
  currentPower?: number;
  /** Ours, with invocationsPerMonth: what each size costs per month, and the saving against today. */
  monthly?: MonthlyReport;
  /** Ours: the coldStartRate the strategy blended warm and cold figures at. */
  coldStartRate?: number;
  /** Ours, without coldStartRate: what a cold-start rate would change (domain/cold-start-preview.ts). */
  coldStartPreview?: ColdStartPreview;
  /** Ours, with sizes spread over environments: how much their hosts differed in speed. */
  hosts?: HostSpread;
  /** Ours, with pricePerMillionActions: the run's Temporal Cloud actions and their cost. */
  orchestration?: OrchestrationReport;
  /**
   * Ours, with architectures: how each architecture's recommendation compared. `architecture`
   * and the top-level figures and results are then the chosen architecture's.
   */
  architectures?: ArchitectureReport;
}

/** Sizes spread over several execution environments: how much their hosts differed (domain/host-variance.ts). */
export interface HostSpread {
  /** Environments (published versions) per size. */
  environments: number;
  /** The most any size ran on, when contested sizes were spread further (domain/environment-growth.ts). */
  mostEnvironments?: number;
  /** The hosts' estimated relative standard deviation of speed (0.04: about 4%); 0 when none was measured. */
  spread: number;
  /** Degrees of freedom of that estimate (few: a rough figure). */
  degreesOfFreedom: number;
  statement: string;
}

/** An indication, from the cold starts every run measures, of what a cold-start rate would change. */
export interface ColdStartPreview {
  /** Per size: the mean Init Duration of the cold starts its run measured (ms), and how many. */
  init: { power: number; initMs: number; coldStarts: number }[];
  /** The least-regret size on warm figures. */
  warmChoice: number;
  /** At each rate, the least-regret size on the blended figures. */
  byRate: { rate: number; power: number }[];
  statement: string;
}

/** The run's billable Temporal Cloud actions, counted from its event history (domain/orchestration.ts). */
export interface OrchestrationReport {
  actions: ActionCount;
  pricePerMillionActions: number;
  /** actions.total at that price; also in stateMachine.executionCost. */
  cost: number;
}

/** A figure with its confidence interval. */
export interface Estimate {
  estimate: number;
  lower: number;
  upper: number;
}

export interface MonthlyReport {
  invocationsPerMonth: number;
  /** Where the volume came from: the input, or the function's CloudWatch Invocations metric. */
  source: 'input' | 'cloudwatch';
  /** From CloudWatch: the days read, ending when the tuning started. */
  windowDays?: number;
  /** From CloudWatch: the invocations recorded in those days. */
  invocationsInWindow?: number;
  /** Confidence of each interval. */
  level: number;
  /** Monthly cost of each feasible size (cost per invocation × invocations). */
  sizes: (Estimate & { power: number })[];
  /** The function's memory size before the tuning. */
  currentPower: number;
  /** Monthly saving of the recommendation against the current size (negative: it costs more); absent when the current size was not measured or there is no recommendation. */
  saving?: Estimate;
  /** One sentence. */
  statement: string;
}

/** How every measured size fared against the constraints. */
export interface ConstraintsReport {
  bounds: ConstraintsConfig;
  /** True when some size was shown to meet every bound (the recommendation is among them). */
  met: boolean;
  /** The run's confidence: the verdicts hold at it together with the choice (each gets a share of the error). */
  level: number;
  /** Every measured size's verdict and checks (domain/constraints.ts). */
  sizes: SizeConstraints[];
  /** One sentence: which sizes meet them, or why none does. */
  statement: string;
  /**
   * Sizes not yet shown to meet or fail the constraints that could still replace the
   * recommendation once shown to meet them (the run ended first); absent when there are none.
   */
  openContenders?: number[];
}

/** Progress, returned by the `progress` query at any time. */
export interface SizeProgressRow {
  power: number;
  /** In a tuning over several architectures: the one this size runs on. */
  architecture?: Architecture;
  done: number;
  total: number;
  errors: number;
  averageDuration?: number;
  /**
   * Running batches whose signalled counts `done` and `errors` include (their durations are not
   * in the mean yet): a client adding heartbeats adds only what goes beyond these.
   */
  running?: { batch: string; done: number; errors: number }[];
}

export interface TuningProgress {
  phase:
    | 'validating'
    | 'setup'
    | 'invoking'
    | 'analyzing'
    | 'optimizing'
    | 'cleanup'
    | 'done'
    | 'failed'
    | 'cancelled';
  /** One row per memory size: invocations done and planned, errors, the running mean duration. */
  sizes: SizeProgressRow[];
}
