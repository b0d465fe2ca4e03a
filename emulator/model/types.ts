/** Shapes shared by the emulator's modules. Field names follow the Lambda API where they mirror it. */

export type LogFormat = 'Text' | 'JSON';
export type NoiseDistribution = 'none' | 'uniform' | 'normal';
/** Lambda's instruction set architectures (`Architectures` holds exactly one). */
export type Architecture = 'x86_64' | 'arm64';
export const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];

/** A function whose work is described by numbers instead of code; every random draw is seeded. */
export interface SyntheticProfile {
  /** CPU work in ms when the function gets exactly one vCPU. */
  cpuMs: number;
  /** How many threads the work can use in parallel (1 = single-threaded). */
  threads: number;
  /** Time spent waiting on I/O, not affected by memory size. */
  ioWaitMs: number;
  /** Init Duration reported on the first call of a new execution environment. */
  coldStartMs: number;
  /** Below this memory size the call fails like an out-of-memory kill. 0 = never. */
  minMemoryMb: number;
  /** Reported Max Memory Used (capped at the memory size). */
  memoryUsedMb: number;
  /** Share of calls (0..1) that fail with a function error. */
  errorRate: number;
  /** Additive noise in ms, the same size at every memory size. */
  noise: { distribution: NoiseDistribution; size: number };
  /**
   * σ of a multiplicative lognormal factor exp(σ·Z) on each call's duration (median 1), so the
   * spread grows with the duration, as on real Lambda. Absent or 0: none.
   */
  relativeNoise?: number;
  /** A share of calls that take `factor` times longer (slow outliers). Absent: none. */
  outliers?: OutlierSpec;
  /**
   * σ of a lognormal speed factor exp(σ·Z) per execution environment, drawn once when the
   * environment starts: some hosts are slower, for every call they serve. Absent or 0: none.
   */
  environmentSpread?: number;
  /**
   * Work that eases with memory beyond what CPU explains (garbage collection, swapping of a
   * large heap): every call takes (1 + extra × (1 − memory / belowMb)) times longer below
   * `belowMb`. It breaks Lambda's plain CPU law on purpose. Absent: none.
   */
  memoryPressure?: { belowMb: number; extra: number };
  /** How the function behaves on each architecture it may be switched to. Absent: the same on both. */
  architectures?: Partial<Record<Architecture, ArchitectureBehaviour>>;
}

/** A synthetic function on one architecture. */
export interface ArchitectureBehaviour {
  /** Durations on this architecture are multiplied by it (absent: 1). */
  speedFactor?: number;
  /**
   * The code cannot start on this architecture (a native binary built for the other one): every
   * call fails as Lambda reports a runtime that cannot be executed, with this reason.
   */
  fails?: string;
}

/** Slow outliers: each call, independently, takes `factor` × longer with probability `rate`. */
export interface OutlierSpec {
  rate: number;
  factor: number;
}

/**
 * The deployment package as GetFunction's code location serves it (the bytes uploaded, or for
 * code given another way the bytes that re-create it); `sha256` (base64) and `size` are its own.
 */
export interface DeploymentPackage {
  deploymentPackage: Buffer;
  sha256: string;
  size: number;
}

/** How a function's code is provided. */
export type FunctionCode =
  | ({ kind: 'handler'; directory: string; handler: string } & DeploymentPackage)
  | ({ kind: 'synthetic'; profile: SyntheticProfile } & DeploymentPackage);

/** The mutable configuration of $LATEST, copied into each published version. */
export interface FunctionSettings {
  description: string;
  memorySize: number;
  timeout: number;
  environment: Record<string, string>;
  architectures: Architecture[];
  logFormat: LogFormat;
  runtime: string;
  handler: string;
  role: string;
  ephemeralStorageMb: number;
}

/** One version of a function ($LATEST or a published number). */
export interface VersionRecord {
  version: string;
  settings: FunctionSettings;
  code: FunctionCode;
  revisionId: string;
  lastModified: string;
  /** Real-clock ms until which the version is Pending (0 = Active). */
  pendingUntil: number;
  /**
   * Why a published version is Pending: `Creating` when UpdateFunctionCode published it before its
   * update finished; otherwise (SnapStart-like optimisation) `Restoring`.
   */
  pendingReason?: 'Creating';
  /** Real-clock ms until which the last update is InProgress (only for $LATEST). */
  updatingUntil: number;
  /** Bumped on every configuration or code change of $LATEST so warm environments are recycled. */
  generation: number;
  stats: VersionStats;
}

export interface VersionStats {
  invocations: number;
  errors: number;
  coldStarts: number;
  billedMs: number;
  billedGbSeconds: number;
}

export interface AliasRecord {
  name: string;
  functionVersion: string;
  description: string;
  revisionId: string;
  routingConfig?: { AdditionalVersionWeights?: Record<string, number> };
}

export interface FunctionRecord {
  name: string;
  latest: VersionRecord;
  /** Published versions by number, in publish order. */
  versions: Map<string, VersionRecord>;
  aliases: Map<string, AliasRecord>;
  lastPublished: number;
  /** SnapStart-like: how long new versions stay Pending, real ms (0 = Active at once). */
  pendingVersionMs: number;
  tags: Record<string, string>;
  /** Counters over every version, including deleted ones. */
  totals: VersionStats;
}

/** A function as declared in a definitions file, before it becomes a FunctionRecord. */
export interface FunctionDefinition {
  name: string;
  code: FunctionCode;
  settings: FunctionSettings;
  pendingVersionMs?: number;
}
