/**
 * The one validator for the workflow and the client: checks the whole input before anything
 * is changed in the account, reports every invalid field at once, and returns the config
 * with every default filled in. Rules per field: see domain/README.md.
 */
import { parseFunctionTarget } from './arn.js';
import { clip, describeValue } from './describe.js';
import { InputError, InputErrors, inputErrorList } from './errors.js';
import {
  DEFAULT_BALANCED_WEIGHT,
  DEFAULT_DISCARD_TOP_BOTTOM,
  DEFAULT_MAX_PARALLEL_INVOCATIONS,
  MAX_COLD_START_VERSIONS,
  MAX_DISCARD_TOP_BOTTOM,
  MAX_PARALLEL_INVOCATIONS,
  MAX_SLEEP_INVOCATIONS,
  MAX_SLEEP_MS,
  DEFAULT_BUDGET_FACTOR,
  DEFAULT_DECISION_CONFIDENCE,
  DEFAULT_MAX_ERROR_RATE,
  DEFAULT_TOLERANCE_ADAPTIVE,
  DEFAULT_TOLERANCE_FIXED,
  MAX_CONFIDENCE,
  MAX_NUM,
  MAX_POWER_VALUE_COUNT,
  MAX_TOLERANCE,
  MIN_CONFIDENCE,
} from './limits.js';
import { readPayload, weightedPayloadProblem } from './payloads.js';
import { ALIAS_PREFIX, LOCK_ALIAS, isReservedAliasName } from './naming.js';
import type { PowerTuningInput, TuningConfig } from './types.js';
import {
  isPlainObject,
  readAliasName,
  readAllowedExceptions,
  readBoolean,
  readNum,
  readNumber,
  readPayloadS3,
  readPowerValues,
  readPrices,
  readProcessor,
  readStrategy,
  readVisualizationUrl,
} from './validate-fields.js';
import { DEFAULT_VISUALIZATION_URL } from './visualization.js';

/** Every accepted top-level key, in the order they are checked and reported. */
export const ACCEPTED_KEYS = [
  'lambdaARN',
  'num',
  'powerValues',
  'payload',
  'payloadS3',
  'parallelInvocation',
  'maxParallelInvocations',
  'strategy',
  'balancedWeight',
  'autoOptimize',
  'autoOptimizeAlias',
  'dryRun',
  'preProcessorARN',
  'postProcessorARN',
  'discardTopBottom',
  'sleepBetweenRunsMs',
  'disablePayloadLogs',
  'includeOutputResults',
  'onlyColdStarts',
  'allowedExceptions',
  'visualizationURL',
  'prices',
  'confidence',
  'tolerance',
  'maxInvocations',
  'maxErrorRate',
] as const satisfies readonly (keyof PowerTuningInput)[];

/**
 * Validates and normalises an execution input. Throws InputErrors (a subclass of InputError)
 * listing every invalid field, one line each; never anything else for any JSON input.
 *
 * With dryRun, `num` is ignored (it may be left out) and the config says num = 1: a dry run
 * makes one invocation per power value, and every later step reads config.num.
 */
export function validateInput(raw: unknown): TuningConfig {
  if (!isPlainObject(raw)) {
    throw new InputErrors([
      new InputError(
        'input',
        `expected a JSON object, got ${raw === undefined ? 'nothing' : describeValue(raw)}`,
        'an object such as {"lambdaARN": "my-function", "num": 10}',
      ),
    ]);
  }
  const errors: InputError[] = [];
  /** Runs one reader; on InputError records it and returns undefined. */
  const read = <T>(reader: () => T): T | undefined => {
    try {
      return reader();
    } catch (error) {
      if (error instanceof InputError) {
        errors.push(...inputErrorList(error));
        return undefined;
      }
      throw error;
    }
  };

  for (const key of Object.keys(raw)) {
    if (!(ACCEPTED_KEYS as readonly string[]).includes(key)) {
      const suggestion = suggestKey(key);
      errors.push(
        new InputError(
          clip(key, 60),
          `unknown parameter${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
          `the parameters ${ACCEPTED_KEYS.join(', ')}`,
        ),
      );
    }
  }

  const target = read(() => parseFunctionTarget(raw.lambdaARN));
  const dryRun = read(() => readBoolean('dryRun', raw.dryRun));
  const num = read(() => readNum(raw.num, dryRun === true));
  const powerValues = read(() => readPowerValues(raw.powerValues));
  const payload = read(() => readPayload(raw.payload));
  const payloadS3 = raw.payloadS3 === undefined ? undefined : read(() => readPayloadS3(raw.payloadS3));
  const parallelInvocation = read(() => readBoolean('parallelInvocation', raw.parallelInvocation));
  const maxParallelInvocations = read(() =>
    readNumber('maxParallelInvocations', raw.maxParallelInvocations, {
      min: 1,
      max: MAX_PARALLEL_INVOCATIONS,
      integer: true,
      default: DEFAULT_MAX_PARALLEL_INVOCATIONS,
      note: 'used only with parallelInvocation',
    }),
  );
  const strategy = read(() => readStrategy(raw.strategy));
  const balancedWeight = read(() =>
    readNumber('balancedWeight', raw.balancedWeight, {
      min: 0,
      max: 1,
      integer: false,
      default: DEFAULT_BALANCED_WEIGHT,
      note: '0 favours speed, 1 favours cost; used only with strategy "balanced"',
      numericStrings: true,
    }),
  );
  const autoOptimize = read(() => readBoolean('autoOptimize', raw.autoOptimize));
  const autoOptimizeAlias =
    raw.autoOptimizeAlias === undefined
      ? undefined
      : read(() => readAliasName('autoOptimizeAlias', raw.autoOptimizeAlias));
  const preProcessorARN =
    raw.preProcessorARN === undefined
      ? undefined
      : read(() => readProcessor('preProcessorARN', raw.preProcessorARN));
  const postProcessorARN =
    raw.postProcessorARN === undefined
      ? undefined
      : read(() => readProcessor('postProcessorARN', raw.postProcessorARN));
  const discardTopBottom = read(() =>
    readNumber('discardTopBottom', raw.discardTopBottom, {
      min: 0,
      max: MAX_DISCARD_TOP_BOTTOM,
      integer: false,
      default: DEFAULT_DISCARD_TOP_BOTTOM,
      note: 'the share of fastest and of slowest results dropped before averaging',
      numericStrings: true,
    }),
  );
  const sleepBetweenRunsMs = read(() =>
    readNumber('sleepBetweenRunsMs', raw.sleepBetweenRunsMs, {
      min: 0,
      max: MAX_SLEEP_MS,
      integer: true,
      default: 0,
      note: 'milliseconds; serial runs only',
      numericStrings: true,
    }),
  );
  const disablePayloadLogs = read(() => readBoolean('disablePayloadLogs', raw.disablePayloadLogs));
  const includeOutputResults = read(() => readBoolean('includeOutputResults', raw.includeOutputResults));
  const onlyColdStarts = read(() => readBoolean('onlyColdStarts', raw.onlyColdStarts));
  const allowedExceptions = read(() => readAllowedExceptions(raw.allowedExceptions));
  const visualizationURL = read(() => readVisualizationUrl(raw.visualizationURL, DEFAULT_VISUALIZATION_URL));
  const prices = read(() => readPrices(raw.prices));

  const confidence =
    raw.confidence === undefined
      ? undefined
      : read(() =>
          readNumber('confidence', raw.confidence, {
            min: MIN_CONFIDENCE,
            max: MAX_CONFIDENCE,
            integer: false,
            note: 'e.g. 0.95; turns on adaptive sampling (leave it out for the fixed grid of num per size)',
          }),
        );
  const tolerance = read(() =>
    readNumber('tolerance', raw.tolerance, {
      min: 0,
      max: MAX_TOLERANCE,
      integer: false,
      default: confidence === undefined ? DEFAULT_TOLERANCE_FIXED : DEFAULT_TOLERANCE_ADAPTIVE,
      note: 'a relative difference (0.01 = 1%) below which two sizes count as equally good',
    }),
  );
  const maxErrorRate = read(() =>
    readNumber('maxErrorRate', raw.maxErrorRate, {
      min: 0,
      max: 1,
      integer: false,
      default: DEFAULT_MAX_ERROR_RATE,
      note: 'a size whose error rate is proven above this is infeasible',
    }),
  );
  const grid = num !== undefined && powerValues !== undefined ? num * powerValues.length : undefined;
  const maxInvocations =
    raw.maxInvocations === undefined
      ? grid === undefined
        ? undefined
        : DEFAULT_BUDGET_FACTOR * grid
      : read(() =>
          readNumber('maxInvocations', raw.maxInvocations, {
            min: grid ?? 1,
            max: MAX_NUM * MAX_POWER_VALUE_COUNT,
            integer: true,
            note: 'at least num × number of powerValues; used only with confidence',
          }),
        );

  // ---- Rules across fields (checked only when the fields involved are valid) ----
  if (raw.maxInvocations !== undefined && raw.confidence === undefined) {
    errors.push(
      new InputError(
        'maxInvocations',
        'set without "confidence", so there is no adaptive sampling for it to bound',
        'maxInvocations together with "confidence", or leave it out',
      ),
    );
  }
  if (confidence !== undefined && onlyColdStarts === true) {
    errors.push(
      new InputError(
        'confidence',
        'adaptive sampling is not available with "onlyColdStarts": true (every extra sample would need its own version)',
        'confidence without onlyColdStarts, or onlyColdStarts with the fixed grid (no confidence)',
      ),
    );
  }
  if (raw.payload !== undefined && raw.payloadS3 !== undefined) {
    errors.push(
      new InputError(
        'payloadS3',
        'both "payload" and "payloadS3" are set; the original silently used payloadS3, this tuner refuses so it is ' +
          'clear which one is sent',
        'either "payload" (inline, up to 256 KB) or "payloadS3", not both',
      ),
    );
  }
  if (payload?.kind === 'weighted' && num !== undefined && !dryRun) {
    const problem = weightedPayloadProblem(payload, num);
    if (problem) {
      errors.push(
        new InputError(
          'payload',
          problem,
          'a weighted list in which every payload gets at least one of the num invocations',
        ),
      );
    }
  }
  if (parallelInvocation && sleepBetweenRunsMs !== undefined && sleepBetweenRunsMs > 0) {
    errors.push(
      new InputError(
        'sleepBetweenRunsMs',
        `${sleepBetweenRunsMs} ms has no effect with "parallelInvocation": true (parallel invocations do not wait)`,
        'sleepBetweenRunsMs 0 (or left out) with parallelInvocation, or parallelInvocation false to sleep between runs',
      ),
    );
  }
  if (num !== undefined && powerValues !== undefined) {
    const total = num * powerValues.length;
    if (sleepBetweenRunsMs !== undefined && sleepBetweenRunsMs > 0 && total > MAX_SLEEP_INVOCATIONS) {
      errors.push(
        new InputError(
          'sleepBetweenRunsMs',
          `with a sleep between runs, invocations go one at a time, and num × powerValues = ${num} × ${powerValues.length} = ` +
            `${total} is more than ${MAX_SLEEP_INVOCATIONS}`,
          `num × number of powerValues at most ${MAX_SLEEP_INVOCATIONS} when sleepBetweenRunsMs > 0`,
        ),
      );
    }
    if (onlyColdStarts && total > MAX_COLD_START_VERSIONS) {
      errors.push(
        new InputError(
          'onlyColdStarts',
          `every cold-start invocation needs its own version, and num × powerValues = ${num} × ${powerValues.length} = ` +
            `${total} is more than ${MAX_COLD_START_VERSIONS}`,
          `num × number of powerValues at most ${MAX_COLD_START_VERSIONS} with onlyColdStarts`,
        ),
      );
    }
  }
  if (autoOptimizeAlias !== undefined && isReservedAliasName(autoOptimizeAlias)) {
    errors.push(
      new InputError(
        'autoOptimizeAlias',
        `"${autoOptimizeAlias}" is a name the tuner manages itself (its lock "${LOCK_ALIAS}" and its ` +
          `"${ALIAS_PREFIX}-*" aliases are moved and deleted by every tuning)`,
        `an alias name other than "${LOCK_ALIAS}" and not starting with "${ALIAS_PREFIX}-"`,
      ),
    );
  }
  if (autoOptimizeAlias !== undefined && autoOptimize === false) {
    errors.push(
      new InputError(
        'autoOptimizeAlias',
        'set without "autoOptimize": true, so it would never be created',
        'autoOptimizeAlias together with "autoOptimize": true, or leave it out',
      ),
    );
  }

  if (errors.length > 0) throw new InputErrors(errors);

  // Every reader succeeded, so every value below is defined.
  const config: TuningConfig = {
    target: target!,
    lambdaARN: raw.lambdaARN as string,
    num: num!,
    powerValues: powerValues!,
    payload: payloadS3 ? { kind: 'single', body: undefined } : payload!,
    parallelInvocation: parallelInvocation!,
    maxParallelInvocations: maxParallelInvocations!,
    strategy: strategy!,
    balancedWeight: balancedWeight!,
    autoOptimize: autoOptimize!,
    dryRun: dryRun!,
    // Cold starts are rare outliers by nature; with onlyColdStarts they are the sample itself.
    discardTopBottom: onlyColdStarts ? 0 : discardTopBottom!,
    sleepBetweenRunsMs: sleepBetweenRunsMs!,
    disablePayloadLogs: disablePayloadLogs!,
    includeOutputResults: includeOutputResults!,
    onlyColdStarts: onlyColdStarts!,
    allowedExceptions: allowedExceptions!,
    visualizationURL: visualizationURL!,
    prices: prices!,
    // A dry run checks the setup with one invocation per size: nothing to sample adaptively.
    sampling: {
      policy: confidence === undefined || dryRun ? 'fixed' : 'adaptive',
      confidence: confidence ?? DEFAULT_DECISION_CONFIDENCE,
      tolerance: tolerance!,
      maxInvocations: maxInvocations!,
      maxErrorRate: maxErrorRate!,
    },
  };
  if (payloadS3) config.payloadS3 = payloadS3;
  if (autoOptimizeAlias !== undefined) config.autoOptimizeAlias = autoOptimizeAlias;
  if (preProcessorARN !== undefined) config.preProcessorARN = preProcessorARN;
  if (postProcessorARN !== undefined) config.postProcessorARN = postProcessorARN;
  return config;
}

/**
 * The input that validates back to this config (defaults written out). Useful to show users
 * what will run, and to check that validation is stable.
 */
export function configToInput(config: TuningConfig): PowerTuningInput {
  const input: PowerTuningInput = {
    lambdaARN: config.lambdaARN,
    num: config.num,
    powerValues: [...config.powerValues],
  };
  if (config.payloadS3) input.payloadS3 = config.payloadS3.uri;
  else if (config.payload.kind === 'weighted') {
    input.payload = config.payload.entries.map((e) => ({ payload: e.body, weight: e.weight }));
  } else if (config.payload.body !== undefined) input.payload = config.payload.body;
  Object.assign(input, {
    parallelInvocation: config.parallelInvocation,
    maxParallelInvocations: config.maxParallelInvocations,
    strategy: config.strategy,
    balancedWeight: config.balancedWeight,
    autoOptimize: config.autoOptimize,
    dryRun: config.dryRun,
    discardTopBottom: config.discardTopBottom,
    sleepBetweenRunsMs: config.sleepBetweenRunsMs,
    disablePayloadLogs: config.disablePayloadLogs,
    includeOutputResults: config.includeOutputResults,
    onlyColdStarts: config.onlyColdStarts,
    allowedExceptions: [...config.allowedExceptions],
    visualizationURL: config.visualizationURL,
    prices: { ...config.prices },
    tolerance: config.sampling.tolerance,
    maxErrorRate: config.sampling.maxErrorRate,
  });
  if (config.sampling.policy === 'adaptive') {
    input.confidence = config.sampling.confidence;
    input.maxInvocations = config.sampling.maxInvocations;
  }
  if (config.autoOptimizeAlias !== undefined) input.autoOptimizeAlias = config.autoOptimizeAlias;
  if (config.preProcessorARN !== undefined) input.preProcessorARN = config.preProcessorARN;
  if (config.postProcessorARN !== undefined) input.postProcessorARN = config.postProcessorARN;
  return input;
}

/** The accepted key closest to a typo: same letters ignoring case, or at most 2 edits away. */
export function suggestKey(key: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of ACCEPTED_KEYS) {
    if (candidate.toLowerCase() === key.toLowerCase()) return candidate;
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
