/** Defaults and limits of the input, in one place (documented in domain/README.md). */

/** The original's default powerValues. */
export const DEFAULT_POWER_VALUES: readonly number[] = [128, 256, 512, 1024, 1536, 3008];
/** Lambda's memory range, in MB. */
export const MIN_POWER = 128;
export const MAX_POWER = 10240;
/** `"ALL"`: every 64 MB step from 128 to 10240 (159 values). */
export const ALL_POWER_VALUES: readonly number[] = Array.from(
  { length: (MAX_POWER - MIN_POWER) / 64 + 1 },
  (_, i) => MIN_POWER + i * 64,
);
export const MAX_POWER_VALUE_COUNT = 200;

/** The original's documented minimum (it rejects num < 5). */
export const MIN_NUM = 5;
export const MAX_NUM = 100_000;

/**
 * Most versions (each with an alias) a run publishes: with onlyColdStarts one per invocation; else
 * per size its environments plus its cold invocations.
 */
export const MAX_COLD_START_VERSIONS = 1000;
/** With a sleep, every invocation is its own activity plus a timer: bounds history size. */
export const MAX_SLEEP_INVOCATIONS = 2500;
export const MAX_SLEEP_MS = 900_000;

/** Inline payloads travel in workflow history; bigger ones belong in S3. */
export const MAX_INLINE_PAYLOAD_BYTES = 256 * 1024;

export const DEFAULT_MAX_PARALLEL_INVOCATIONS = 10;
export const MAX_PARALLEL_INVOCATIONS = 1000;

export const DEFAULT_DISCARD_TOP_BOTTOM = 0.2;
export const MAX_DISCARD_TOP_BOTTOM = 0.4;
export const DEFAULT_BALANCED_WEIGHT = 0.5;

export const MAX_ALLOWED_EXCEPTIONS = 100;
export const MAX_URL_LENGTH = 2048;

/** Decisions (see domain/decision.ts and domain/sampling-policy.ts). */
export const MIN_CONFIDENCE = 0.5;
export const MAX_CONFIDENCE = 0.999;
/** Relative difference worth paying for: 0 with the fixed grid (the original's answers), 1% when sampling adaptively. */
export const DEFAULT_TOLERANCE_FIXED = 0;
export const DEFAULT_TOLERANCE_ADAPTIVE = 0.01;
export const MAX_TOLERANCE = 0.5;
/** Adaptive sampling spends at most this many times the fixed grid (num × sizes) unless told otherwise. */
export const DEFAULT_BUDGET_FACTOR = 3;
/** A size is infeasible when its error rate is proven above this. */
export const DEFAULT_MAX_ERROR_RATE = 0.1;
/** The confidence of the decision statement when the fixed grid is used. */
export const DEFAULT_DECISION_CONFIDENCE = 0.95;
/** The latency percentile of constraints.maxDurationMs when none is given. */
export const DEFAULT_CONSTRAINT_PERCENTILE = 95;
/** invocationsPerMonth: a trillion a month is far beyond any function's traffic. */
export const MAX_INVOCATIONS_PER_MONTH = 1e12;

/**
 * Upper bound of pricePerMillionActions: Temporal Cloud's list price starts at $50 per million
 * actions (temporal.io/pricing) and falls with volume; a thousand is a typing error, not a price.
 */
export const MAX_PRICE_PER_MILLION_ACTIONS = 1000;

/**
 * With coldStartRate, the cold invocations measured per size, each on its own fresh version (one
 * more publish each during setup): enough for a mean with an interval, few enough to keep setup
 * short.
 */
export const COLD_SAMPLES_PER_SIZE = 5;
/** Most cold invocations per size a run may ask for (coldInvocations). */
export const MAX_COLD_SAMPLES_PER_SIZE = 100;

/** Largest package UpdateFunctionCode takes inline (ZipFile); larger ones must go through S3. */
export const MAX_DIRECT_PACKAGE_BYTES = 50 * 1024 * 1024;
