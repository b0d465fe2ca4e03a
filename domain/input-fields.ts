/**
 * Every input field once: whether the original tool has it, how it is read (validated and
 * defaulted), how a config writes it back, and its flags on `powertune run`. The accepted keys,
 * the validator's per-field reads, `configToInput` and the CLI's options all come from this
 * table; the rules across fields stay in validate.ts. The README's parameter table is checked
 * against it by test/unit/input-fields.test.ts.
 */
import { parseFunctionTarget } from './arn.js';
import {
  COLD_SAMPLES_PER_SIZE,
  DEFAULT_BALANCED_WEIGHT,
  MAX_COLD_SAMPLES_PER_SIZE,
  DEFAULT_BUDGET_FACTOR,
  DEFAULT_CONSTRAINT_PERCENTILE,
  DEFAULT_DISCARD_TOP_BOTTOM,
  DEFAULT_MAX_ERROR_RATE,
  DEFAULT_MAX_PARALLEL_INVOCATIONS,
  DEFAULT_POWER_VALUES,
  DEFAULT_TOLERANCE_ADAPTIVE,
  DEFAULT_TOLERANCE_FIXED,
  MAX_CONFIDENCE,
  MAX_DISCARD_TOP_BOTTOM,
  MAX_NUM,
  MAX_PARALLEL_INVOCATIONS,
  MAX_POWER_VALUE_COUNT,
  MAX_PRICE_PER_MILLION_ACTIONS,
  MAX_SLEEP_MS,
  MAX_TOLERANCE,
  MIN_CONFIDENCE,
  MIN_NUM,
} from './limits.js';
import { readArchitectures } from './architectures.js';
import { DEFAULT_ENVIRONMENTS, MAX_ENVIRONMENTS } from './environments.js';
import { readPayload } from './payloads.js';
import { readExternalId, readRoleArn } from './role.js';
import { STRATEGIES } from './strategies.js';
import { defaultExplorationBudget, explorationRange, initialSizes } from './exploration-plan.js';
import type { ExplorationMode, PowerTuningInput, TuningConfig } from './types.js';
import {
  readAliasName,
  readAllowedExceptions,
  readBoolean,
  readConstraints,
  readExploration,
  readInvocationsPerMonth,
  readNum,
  readNumber,
  readOptionalNumber,
  readPayloadS3,
  readPowerValues,
  readPrices,
  readProcessor,
  readStrategy,
  readVisualizationUrl,
} from './validate-fields.js';
import { DEFAULT_VISUALIZATION_URL } from './visualization.js';
import { DEFAULT_VOLUME_WINDOW_DAYS, MAX_VOLUME_WINDOW_DAYS, VOLUME_FROM_CLOUDWATCH } from './volume.js';

export type InputKey = keyof PowerTuningInput;

/**
 * The values some readers need from other fields, as read (undefined when absent or invalid).
 * validate.ts passes its values here, so tsc checks these types against the readers'.
 */
export interface EarlierValues {
  dryRun?: boolean;
  num?: number;
  powerValues?: number[];
  confidence?: number;
  exploration?: ExplorationMode;
}

/** Reads another field first (each field is read once) and returns its value. */
export type ValueOf = <K extends keyof EarlierValues>(key: K) => EarlierValues[K];

/** One flag of `powertune run` that sets (part of) an input field. */
export interface CliFlag {
  /** The long flag; commander keeps its value under the camelCase name (`--max-parallel` → maxParallel). */
  name: `--${string}`;
  short?: `-${string}`;
  /** Placeholder of the value in --help; absent for a switch, which sets true. */
  value?: `<${string}>`;
  /** How the CLI parses the value (client/cli/input-flags.ts); the text as is when absent. */
  parse?: 'integer' | 'number' | 'json' | 'list' | 'powerValues';
  choices?: readonly string[];
  help: string;
  /** The value is a file whose JSON content sets the field. */
  jsonFile?: true;
  /** Sets this key of an object field (prices) instead of the whole field. */
  subKey?: string;
}

export interface InputField<K extends InputKey> {
  /** 'original': a parameter of the Step Functions tool; 'ours': an extension (marked "(ours)" in the README). */
  origin: 'original' | 'ours';
  /**
   * The value normalised, defaults filled in; throws an InputError naming `field`. `value` is
   * undefined when the field is absent.
   */
  read: (value: unknown, field: string, valueOf: ValueOf) => unknown;
  /** The input value that reads back to the config's; undefined leaves the field out. */
  toInput: (config: TuningConfig) => PowerTuningInput[K] | undefined;
  flags: readonly CliFlag[];
  /** Its flags come before the others in --help: what a run is about (function, sizes, payload, how sure). */
  listedFirst?: true;
}

/**
 * In the order of the original's documentation, ours after the original's; validation reads and
 * reports in this order (a field a reader needs is read just before it).
 */
export const INPUT_FIELDS = {
  lambdaARN: {
    origin: 'original',
    read: (value, field) => parseFunctionTarget(value, field),
    toInput: (config) => config.lambdaARN,
    flags: [
      {
        name: '--lambda-arn',
        value: '<arn>',
        help: 'function to tune: name, ARN or partial ARN (or give it as the first argument)',
      },
    ],
    listedFirst: true,
  },
  num: {
    origin: 'original',
    read: (value, _field, valueOf) => readNum(value, valueOf('dryRun') === true),
    toInput: (config) => config.num,
    flags: [
      {
        name: '--num',
        short: '-n',
        value: '<count>',
        parse: 'integer',
        help: `invocations per memory size (${MIN_NUM} or more; ignored with --dry-run)`,
      },
    ],
    listedFirst: true,
  },
  powerValues: {
    origin: 'original',
    read: (value) => readPowerValues(value),
    // A model exploration's powerValues are its first sizes; the input gave its range.
    toInput: (config) =>
      config.exploration
        ? [config.exploration.lowestMb, config.exploration.highestMb]
        : [...config.powerValues],
    flags: [
      {
        name: '--power-values',
        short: '-p',
        value: '<list>',
        parse: 'powerValues',
        help: `memory sizes in MB, e.g. 128,256,512,1024, or ALL (default ${DEFAULT_POWER_VALUES.join(',')})`,
      },
    ],
    listedFirst: true,
  },
  payload: {
    origin: 'original',
    read: (value, field) => readPayload(value, field),
    toInput: (config) => {
      if (config.payloadS3) return undefined;
      if (config.payload.kind === 'weighted')
        return config.payload.entries.map((e) => ({ payload: e.body, weight: e.weight }));
      return config.payload.body;
    },
    flags: [
      {
        name: '--payload',
        value: '<json>',
        parse: 'json',
        help: 'JSON payload sent to the function, or a weighted list [{"payload":…,"weight":n}]',
      },
      {
        name: '--payload-file',
        value: '<path>',
        jsonFile: true,
        help: 'read the payload (JSON) from a file',
      },
    ],
    listedFirst: true,
  },
  payloadS3: {
    origin: 'original',
    read: (value) => (value === undefined ? undefined : readPayloadS3(value)),
    toInput: (config) => config.payloadS3?.uri,
    flags: [
      {
        name: '--payload-s3',
        value: '<uri>',
        help: 'payload stored in S3 (s3://bucket/key), for payloads over 256 KB',
      },
    ],
    listedFirst: true,
  },
  parallelInvocation: {
    origin: 'original',
    read: (value, field) => readBoolean(field, value),
    toInput: (config) => config.parallelInvocation,
    flags: [{ name: '--parallel', help: 'invoke each size’s invocations in parallel (parallelInvocation)' }],
  },
  maxParallelInvocations: {
    origin: 'ours',
    read: (value, field) =>
      readNumber(field, value, {
        min: 1,
        max: MAX_PARALLEL_INVOCATIONS,
        integer: true,
        default: DEFAULT_MAX_PARALLEL_INVOCATIONS,
        note: 'used only with parallelInvocation',
      }),
    toInput: (config) => config.maxParallelInvocations,
    flags: [
      {
        name: '--max-parallel',
        value: '<count>',
        parse: 'integer',
        help: `most concurrent invocations per size with --parallel (default ${DEFAULT_MAX_PARALLEL_INVOCATIONS})`,
      },
    ],
  },
  strategy: {
    origin: 'original',
    read: (value) => readStrategy(value),
    toInput: (config) => config.strategy,
    flags: [
      {
        name: '--strategy',
        short: '-s',
        value: '<name>',
        choices: STRATEGIES,
        help: 'what to optimise (default cost)',
      },
    ],
  },
  balancedWeight: {
    origin: 'original',
    read: (value, field) =>
      readNumber(field, value, {
        min: 0,
        max: 1,
        integer: false,
        default: DEFAULT_BALANCED_WEIGHT,
        note: '0 favours speed, 1 favours cost; used only with strategy "balanced"',
        numericStrings: true,
      }),
    toInput: (config) => config.balancedWeight,
    flags: [
      {
        name: '--balanced-weight',
        value: '<0..1>',
        parse: 'number',
        help: `with --strategy balanced: 0 favours speed, 1 favours cost (default ${DEFAULT_BALANCED_WEIGHT})`,
      },
    ],
  },
  autoOptimize: {
    origin: 'original',
    read: (value, field) => readBoolean(field, value),
    toInput: (config) => config.autoOptimize,
    flags: [{ name: '--auto-optimize', help: 'set the function to the recommended memory at the end' }],
  },
  autoOptimizeAlias: {
    origin: 'original',
    read: (value, field) => (value === undefined ? undefined : readAliasName(field, value)),
    toInput: (config) => config.autoOptimizeAlias,
    flags: [
      {
        name: '--auto-optimize-alias',
        value: '<name>',
        help: 'with --auto-optimize: point this alias at the optimised version',
      },
    ],
  },
  dryRun: {
    origin: 'original',
    read: (value, field) => readBoolean(field, value),
    toInput: (config) => config.dryRun,
    flags: [{ name: '--dry-run', help: 'one invocation per size, to check permissions and setup' }],
  },
  preProcessorARN: {
    origin: 'original',
    read: (value, field) => (value === undefined ? undefined : readProcessor(field, value)),
    toInput: (config) => config.preProcessorARN,
    flags: [
      {
        name: '--pre-processor-arn',
        value: '<arn>',
        help: 'function invoked before each invocation (may replace the payload)',
      },
    ],
  },
  postProcessorARN: {
    origin: 'original',
    read: (value, field) => (value === undefined ? undefined : readProcessor(field, value)),
    toInput: (config) => config.postProcessorARN,
    flags: [{ name: '--post-processor-arn', value: '<arn>', help: 'function invoked after each invocation' }],
  },
  discardTopBottom: {
    origin: 'original',
    read: (value, field) =>
      readNumber(field, value, {
        min: 0,
        max: MAX_DISCARD_TOP_BOTTOM,
        integer: false,
        default: DEFAULT_DISCARD_TOP_BOTTOM,
        note: 'the share of fastest and of slowest results dropped before averaging',
        numericStrings: true,
      }),
    toInput: (config) => config.discardTopBottom,
    flags: [
      {
        name: '--discard-top-bottom',
        value: '<fraction>',
        parse: 'number',
        help:
          'share of fastest and of slowest results dropped before averaging, ' +
          `0 to ${MAX_DISCARD_TOP_BOTTOM} (default ${DEFAULT_DISCARD_TOP_BOTTOM})`,
      },
    ],
  },
  sleepBetweenRunsMs: {
    origin: 'original',
    read: (value, field) =>
      readNumber(field, value, {
        min: 0,
        max: MAX_SLEEP_MS,
        integer: true,
        default: 0,
        note: 'milliseconds; serial runs only',
        numericStrings: true,
      }),
    toInput: (config) => config.sleepBetweenRunsMs,
    flags: [
      {
        name: '--sleep-between-runs-ms',
        value: '<ms>',
        parse: 'integer',
        help: 'pause between two invocations (serial runs only)',
      },
    ],
  },
  disablePayloadLogs: {
    origin: 'original',
    read: (value, field) => readBoolean(field, value),
    toInput: (config) => config.disablePayloadLogs,
    flags: [{ name: '--disable-payload-logs', help: 'keep the payload out of logs, errors and reports' }],
  },
  includeOutputResults: {
    origin: 'original',
    read: (value, field) => readBoolean(field, value),
    toInput: (config) => config.includeOutputResults,
    flags: [
      {
        name: '--include-output-results',
        help: 'add the per-size "stats" list to the output (as the original)',
      },
    ],
  },
  onlyColdStarts: {
    origin: 'original',
    read: (value, field) => readBoolean(field, value),
    toInput: (config) => config.onlyColdStarts,
    flags: [
      { name: '--only-cold-starts', help: 'measure cold starts only (one new version per invocation)' },
    ],
  },
  allowedExceptions: {
    origin: 'original',
    read: (value) => readAllowedExceptions(value),
    toInput: (config) => [...config.allowedExceptions],
    flags: [
      {
        name: '--allowed-exceptions',
        value: '<types>',
        parse: 'list',
        help: 'error types that still count as measurements (comma-separated, repeatable)',
      },
    ],
  },
  visualizationURL: {
    origin: 'ours',
    read: (value) => readVisualizationUrl(value, DEFAULT_VISUALIZATION_URL),
    toInput: (config) => config.visualizationURL,
    flags: [{ name: '--visualization-url', value: '<url>', help: 'base URL of the visualization link' }],
  },
  prices: {
    origin: 'ours',
    read: (value) => readPrices(value),
    toInput: (config) => ({ ...config.prices }),
    flags: [
      {
        name: '--price-per-gb-second',
        value: '<price>',
        parse: 'number',
        subKey: 'perGbSecond',
        help: 'override the price per GB-second',
      },
      {
        name: '--price-per-request',
        value: '<price>',
        parse: 'number',
        subKey: 'perRequest',
        help: 'override the price per request',
      },
    ],
  },
  confidence: {
    origin: 'ours',
    read: (value, field) =>
      readOptionalNumber(field, value, {
        min: MIN_CONFIDENCE,
        max: MAX_CONFIDENCE,
        integer: false,
        note: 'e.g. 0.95; turns on adaptive sampling (leave it out for the fixed grid of num per size)',
      }),
    // Only an adaptive run has one: with the fixed grid the config holds the statement's default.
    toInput: (config) => (config.sampling.policy === 'adaptive' ? config.sampling.confidence : undefined),
    flags: [
      {
        name: '--confidence',
        value: '<p>',
        parse: 'number',
        // 0.95 is the CLI's own default (DEFAULT_CLI_CONFIDENCE in client/cli/run.ts).
        help: 'joint confidence of the decision, e.g. 0.95; sampling continues until the choice is settled (powertune run: 0.95 unless --fixed)',
      },
    ],
    listedFirst: true,
  },
  tolerance: {
    origin: 'ours',
    read: (value, field, valueOf) =>
      readNumber(field, value, {
        min: 0,
        max: MAX_TOLERANCE,
        integer: false,
        default: valueOf('confidence') === undefined ? DEFAULT_TOLERANCE_FIXED : DEFAULT_TOLERANCE_ADAPTIVE,
        note: 'a relative difference (0.01 = 1%) below which two sizes count as equally good',
      }),
    toInput: (config) => config.sampling.tolerance,
    flags: [
      {
        name: '--tolerance',
        value: '<share>',
        parse: 'number',
        help:
          'relative difference treated as none, e.g. 0.01 = 1% ' +
          `(default ${DEFAULT_TOLERANCE_ADAPTIVE} with --confidence, else ${DEFAULT_TOLERANCE_FIXED})`,
      },
    ],
    listedFirst: true,
  },
  maxInvocations: {
    origin: 'ours',
    read: (value, field, valueOf) => {
      const num = valueOf('num');
      const powerValues = valueOf('powerValues');
      if (valueOf('exploration') === 'model' && num !== undefined && powerValues !== undefined) {
        // A model exploration measures a few sizes first, not every one of the range.
        const range = explorationRange(powerValues);
        if (value === undefined) return defaultExplorationBudget(range, num);
        return readNumber(field, value, {
          min: num * initialSizes(range.lowestMb, range.highestMb).length,
          max: MAX_NUM * MAX_POWER_VALUE_COUNT,
          integer: true,
          note: 'with exploration "model", at least num × the sizes it measures first',
        });
      }
      // Without a valid num and powerValues there is no grid to bound: their errors are reported.
      const grid = num !== undefined && powerValues !== undefined ? num * powerValues.length : undefined;
      if (value === undefined) return grid === undefined ? undefined : DEFAULT_BUDGET_FACTOR * grid;
      return readNumber(field, value, {
        min: grid ?? 1,
        max: MAX_NUM * MAX_POWER_VALUE_COUNT,
        integer: true,
        note: 'at least num × number of powerValues; used only with confidence',
      });
    },
    toInput: (config) => (config.sampling.policy === 'adaptive' ? config.sampling.maxInvocations : undefined),
    flags: [
      {
        name: '--max-invocations',
        value: '<count>',
        parse: 'integer',
        help: `most invocations of an adaptive run (default ${DEFAULT_BUDGET_FACTOR} × num × sizes; with --exploration model, a tenth of the 64-MB grid)`,
      },
    ],
    listedFirst: true,
  },
  maxErrorRate: {
    origin: 'ours',
    read: (value, field) =>
      readNumber(field, value, {
        min: 0,
        max: 1,
        integer: false,
        default: DEFAULT_MAX_ERROR_RATE,
        note: 'a size whose error rate is proven above this is infeasible',
      }),
    toInput: (config) => config.sampling.maxErrorRate,
    flags: [
      {
        name: '--max-error-rate',
        value: '<share>',
        parse: 'number',
        help: `a size whose error rate is proven above this is infeasible (default ${DEFAULT_MAX_ERROR_RATE})`,
      },
    ],
    listedFirst: true,
  },
  constraints: {
    origin: 'ours',
    read: (value) => readConstraints(value),
    toInput: (config) => (config.sampling.constraints ? { ...config.sampling.constraints } : undefined),
    flags: [
      {
        name: '--max-duration',
        value: '<ms>',
        parse: 'number',
        subKey: 'maxDurationMs',
        help: `only sizes whose duration at --percentile stays under this (default p${DEFAULT_CONSTRAINT_PERCENTILE})`,
      },
      {
        name: '--percentile',
        value: '<p>',
        parse: 'number',
        subKey: 'percentile',
        help: `the percentile --max-duration applies to, 50..99.9 (default ${DEFAULT_CONSTRAINT_PERCENTILE})`,
      },
      {
        name: '--max-cost',
        value: '<price>',
        parse: 'number',
        subKey: 'maxCostPerInvocation',
        help: 'only sizes whose mean cost per invocation stays under this',
      },
      {
        name: '--max-memory',
        value: '<MB>',
        parse: 'integer',
        subKey: 'maxMemoryMb',
        help: 'only sizes up to this memory',
      },
    ],
  },
  invocationsPerMonth: {
    origin: 'ours',
    read: (value, field) => readInvocationsPerMonth(field, value),
    toInput: (config) => config.invocationsPerMonth,
    flags: [
      {
        name: '--invocations-per-month',
        value: `<count|${VOLUME_FROM_CLOUDWATCH}>`,
        // No parser: the text goes to the reader, which takes a count or the word.
        help:
          "production volume, or cloudwatch to read it from the function's Invocations metric: " +
          "shows each size's monthly cost and the saving against today's size",
      },
    ],
  },
  volumeWindowDays: {
    origin: 'ours',
    // Defaulted in validate.ts, and only with "cloudwatch" (a rule across fields).
    read: (value, field) =>
      readOptionalNumber(field, value, {
        min: 1,
        max: MAX_VOLUME_WINDOW_DAYS,
        integer: true,
        default: DEFAULT_VOLUME_WINDOW_DAYS,
        note: `the days of CloudWatch history read; only with invocationsPerMonth "${VOLUME_FROM_CLOUDWATCH}"`,
      }),
    toInput: (config) => config.volumeWindowDays,
    flags: [
      {
        name: '--volume-window-days',
        value: '<days>',
        parse: 'integer',
        help: `with --invocations-per-month ${VOLUME_FROM_CLOUDWATCH}: days of history to read (default ${DEFAULT_VOLUME_WINDOW_DAYS})`,
      },
    ],
  },
  coldStartRate: {
    origin: 'ours',
    read: (value, field) =>
      readOptionalNumber(field, value, {
        min: 0,
        max: 1,
        integer: false,
        note: 'share of production invocations that are cold starts; the run also measures coldInvocations cold invocations per size and the strategy compares the blend',
      }),
    toInput: (config) => config.coldStartRate,
    flags: [
      {
        name: '--cold-start-rate',
        value: '<share>',
        parse: 'number',
        help: 'share of production invocations that are cold (0..1): measure cold starts per size (--cold-invocations) and choose on the blend',
      },
    ],
  },
  coldInvocations: {
    origin: 'ours',
    // Defaulted in validate.ts, and only with coldStartRate (a rule across fields).
    read: (value, field) =>
      readOptionalNumber(field, value, {
        min: 2,
        max: MAX_COLD_SAMPLES_PER_SIZE,
        integer: true,
        default: COLD_SAMPLES_PER_SIZE,
        note: 'cold invocations per size, each on its own version; only with coldStartRate',
      }),
    toInput: (config) => config.coldInvocations,
    flags: [
      {
        name: '--cold-invocations',
        value: '<n>',
        parse: 'integer',
        help: `with --cold-start-rate: cold starts measured per size, each a version (default ${COLD_SAMPLES_PER_SIZE})`,
      },
    ],
  },
  environments: {
    origin: 'ours',
    // Defaulted in validate.ts: the default follows confidence, onlyColdStarts and dryRun (rules across fields).
    read: (value, field) =>
      readOptionalNumber(field, value, {
        min: 1,
        max: MAX_ENVIRONMENTS,
        integer: true,
        note:
          `warm versions per size, each with its own alias, sharing its calls; default ${DEFAULT_ENVIRONMENTS} ` +
          'with confidence, else 1; more than 1 not with onlyColdStarts or dryRun',
      }),
    toInput: (config) => config.environments,
    flags: [
      {
        name: '--environments',
        value: '<count>',
        parse: 'integer',
        help:
          `versions per memory size, sharing its calls, so no single host's speed decides ` +
          `(1..${MAX_ENVIRONMENTS}; default ${DEFAULT_ENVIRONMENTS} with --confidence, else 1)`,
      },
    ],
  },
  allowCodeMismatch: {
    origin: 'ours',
    // Only with a qualified lambdaARN (a rule across fields, in validate.ts).
    read: (value, field) => (value === undefined ? undefined : readBoolean(field, value)),
    toInput: (config) => config.allowCodeMismatch,
    flags: [
      {
        name: '--allow-code-mismatch',
        help: "with a version or alias in the function ARN: tune even if $LATEST's code is not that version's",
      },
    ],
  },
  architectures: {
    origin: 'ours',
    read: (value, field) => readArchitectures(field, value),
    toInput: (config) => config.architectures,
    flags: [
      {
        name: '--architectures',
        value: '<list>',
        parse: 'list',
        help: 'tune on these architectures (x86_64,arm64) and recommend one: the function is switched with its own code and put back',
      },
    ],
  },
  exploration: {
    origin: 'ours',
    // With "model": confidence required, and not with the fields it does not support yet (validate.ts).
    read: (value, field) => readExploration(field, value),
    toInput: (config) => (config.exploration ? 'model' : undefined),
    flags: [
      {
        name: '--exploration',
        value: '<mode>',
        help: 'grid (default: exactly the memory sizes given) or model: search every MB between the smallest and largest size with a fitted curve, at about a tenth of the 64-MB grid',
      },
    ],
  },
  pricePerMillionActions: {
    origin: 'ours',
    read: (value, field) =>
      readOptionalNumber(field, value, {
        min: 0,
        max: MAX_PRICE_PER_MILLION_ACTIONS,
        integer: false,
        note: "Temporal Cloud's price per million actions, in the run's currency; counts the run's actions and prices them",
      }),
    toInput: (config) => config.pricePerMillionActions,
    flags: [
      {
        name: '--price-per-million-actions',
        value: '<price>',
        parse: 'number',
        help: "Temporal Cloud's price per million actions: count this run's actions and show what they cost",
      },
    ],
  },
  roleArn: {
    origin: 'ours',
    read: (value, field) => readRoleArn(field, value),
    toInput: (config) => config.target.role?.arn,
    flags: [
      {
        name: '--role-arn',
        value: '<arn>',
        help: 'IAM role to assume for every call on the function (a function in another account)',
      },
    ],
  },
  externalId: {
    origin: 'ours',
    // Only with roleArn (a rule across fields, in validate.ts).
    read: (value, field) => readExternalId(field, value),
    toInput: (config) => config.target.role?.externalId,
    flags: [
      {
        name: '--external-id',
        value: '<id>',
        help: "with --role-arn: the external id the role's trust policy expects",
      },
    ],
  },
  // The mapped type is the check that this table and PowerTuningInput have the same keys: tsc
  // reports a key missing here, and one that PowerTuningInput does not have.
} satisfies { [K in InputKey]-?: InputField<K> };

/** Every accepted top-level key, in the table's order (the satisfies above makes them InputKeys). */
export const ACCEPTED_KEYS = Object.keys(INPUT_FIELDS) as readonly InputKey[];

/** What each field reads to (before the rules across fields). */
export type InputFieldValues = { [K in InputKey]: ReturnType<(typeof INPUT_FIELDS)[K]['read']> };
