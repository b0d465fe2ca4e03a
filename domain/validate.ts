/**
 * The one validator for the workflow and the client: checks the whole input before anything
 * is changed in the account, reports every invalid field at once, and returns the config
 * with every default filled in. Rules per field: see domain/README.md.
 */
import { isVersionNumber } from './arn.js';
import { clip, describeValue } from './describe.js';
import { InputError, InputErrors, inputErrorList } from './errors.js';
import {
  ACCEPTED_KEYS,
  INPUT_FIELDS,
  type EarlierValues,
  type InputFieldValues,
  type InputKey,
} from './input-fields.js';
import { isPlainObject } from './json.js';
import { DEFAULT_ENVIRONMENTS, LATENCY_ENVIRONMENTS } from './environments.js';
import {
  COLD_SAMPLES_PER_SIZE,
  DEFAULT_DECISION_CONFIDENCE,
  MAX_COLD_START_VERSIONS,
  MAX_SLEEP_INVOCATIONS,
} from './limits.js';
import { weightedPayloadProblem } from './payloads.js';
import { externalIdWithoutRole, rolePartitionError, rolePartitionProblem, targetRole } from './role.js';
import { ALIAS_PREFIX, LOCK_ALIAS, isReservedAliasName } from './naming.js';
import { latencySamplesNeeded } from './constraints.js';
import { MAX_LOOKS } from './sampling-policy.js';
import { explorationRange, initialSizes, MAX_EXPLORED_SIZES } from './exploration-plan.js';
import type { ConstraintsConfig, PowerTuningInput, TuningConfig } from './types.js';
import { DEFAULT_VOLUME_WINDOW_DAYS, VOLUME_FROM_CLOUDWATCH } from './volume.js';

export { ACCEPTED_KEYS };

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
  // Typed by the table's keys from here, so a misspelt field name fails tsc.
  const given: Partial<Record<InputKey, unknown>> = raw;
  const values = readFields(given, read);
  const model = values.exploration === 'model';
  // A model exploration publishes only the sizes it measures, at most MAX_EXPLORED_SIZES.
  const sizeCount =
    values.powerValues === undefined ? undefined : model ? MAX_EXPLORED_SIZES : values.powerValues.length;

  // ---- Rules across fields (checked only when the fields involved are valid) ----
  if (given.maxInvocations !== undefined && given.confidence === undefined) {
    errors.push(
      ruleError(
        'maxInvocations',
        'set without "confidence", so there is no adaptive sampling for it to bound',
        'maxInvocations together with "confidence", or leave it out',
      ),
    );
  }
  if (values.confidence !== undefined && values.onlyColdStarts === true) {
    errors.push(
      ruleError(
        'confidence',
        'adaptive sampling is not available with "onlyColdStarts": true (every extra sample would need its own version)',
        'confidence without onlyColdStarts, or onlyColdStarts with the fixed grid (no confidence)',
      ),
    );
  }
  // Checked only when invocationsPerMonth is valid (absent or read): else its own error says it.
  if (
    given.volumeWindowDays !== undefined &&
    values.invocationsPerMonth !== VOLUME_FROM_CLOUDWATCH &&
    (given.invocationsPerMonth === undefined || values.invocationsPerMonth !== undefined)
  ) {
    errors.push(
      ruleError(
        'volumeWindowDays',
        given.invocationsPerMonth === undefined
          ? `set without "invocationsPerMonth": "${VOLUME_FROM_CLOUDWATCH}", so no volume is read for it to bound`
          : `set with a numeric "invocationsPerMonth", so no volume is read from CloudWatch for it to bound`,
        `volumeWindowDays together with "invocationsPerMonth": "${VOLUME_FROM_CLOUDWATCH}", or leave it out`,
      ),
    );
  }
  if (given.payload !== undefined && given.payloadS3 !== undefined) {
    errors.push(
      ruleError(
        'payloadS3',
        'both "payload" and "payloadS3" are set; the original silently used payloadS3, this tuner refuses so it is ' +
          'clear which one is sent',
        'either "payload" (inline, up to 256 KB) or "payloadS3", not both',
      ),
    );
  }
  if (values.payload?.kind === 'weighted' && values.num !== undefined && !values.dryRun) {
    const problem = weightedPayloadProblem(values.payload, values.num);
    if (problem) {
      errors.push(
        ruleError(
          'payload',
          problem,
          'a weighted list in which every payload gets at least one of the num invocations',
        ),
      );
    }
  }
  if (values.parallelInvocation && values.sleepBetweenRunsMs !== undefined && values.sleepBetweenRunsMs > 0) {
    errors.push(
      ruleError(
        'sleepBetweenRunsMs',
        `${values.sleepBetweenRunsMs} ms has no effect with "parallelInvocation": true (parallel invocations do not wait)`,
        'sleepBetweenRunsMs 0 (or left out) with parallelInvocation, or parallelInvocation false to sleep between runs',
      ),
    );
  }
  if (values.num !== undefined && values.powerValues !== undefined && sizeCount !== undefined) {
    const total = values.num * sizeCount;
    if (
      values.sleepBetweenRunsMs !== undefined &&
      values.sleepBetweenRunsMs > 0 &&
      total > MAX_SLEEP_INVOCATIONS
    ) {
      errors.push(
        ruleError(
          'sleepBetweenRunsMs',
          `with a sleep between runs, invocations go one at a time, and num × powerValues = ${values.num} × ${sizeCount} = ` +
            `${total} is more than ${MAX_SLEEP_INVOCATIONS}`,
          `num × number of powerValues at most ${MAX_SLEEP_INVOCATIONS} when sleepBetweenRunsMs > 0`,
        ),
      );
    }
    if (values.onlyColdStarts && total > MAX_COLD_START_VERSIONS) {
      errors.push(
        ruleError(
          'onlyColdStarts',
          `every cold-start invocation needs its own version, and num × powerValues = ${values.num} × ${sizeCount} = ` +
            `${total} is more than ${MAX_COLD_START_VERSIONS}`,
          `num × number of powerValues at most ${MAX_COLD_START_VERSIONS} with onlyColdStarts`,
        ),
      );
    }
  }
  if (values.autoOptimizeAlias !== undefined && isReservedAliasName(values.autoOptimizeAlias)) {
    errors.push(
      ruleError(
        'autoOptimizeAlias',
        `"${values.autoOptimizeAlias}" is a name the tuner manages itself (its lock "${LOCK_ALIAS}" and its ` +
          `"${ALIAS_PREFIX}-*" aliases are moved and deleted by every tuning)`,
        `an alias name other than "${LOCK_ALIAS}" and not starting with "${ALIAS_PREFIX}-"`,
      ),
    );
  }
  if (values.coldStartRate !== undefined && values.onlyColdStarts) {
    errors.push(
      ruleError(
        'coldStartRate',
        'set with "onlyColdStarts": true, where every invocation is a cold start already',
        'coldStartRate without onlyColdStarts, or leave it out',
      ),
    );
  }
  if (values.coldStartRate !== undefined && values.dryRun) {
    errors.push(
      ruleError(
        'coldStartRate',
        'set with "dryRun": true, which makes one invocation per size and measures no cold starts',
        'coldStartRate without dryRun, or leave it out',
      ),
    );
  }
  if (
    values.coldInvocations !== undefined &&
    values.coldStartRate === undefined &&
    given.coldStartRate === undefined
  ) {
    errors.push(
      ruleError(
        'coldInvocations',
        'set without coldStartRate, so no cold invocation is measured',
        'coldInvocations together with coldStartRate, or leave it out',
      ),
    );
  }
  const coldPerSize = values.coldInvocations ?? COLD_SAMPLES_PER_SIZE;
  if (
    values.coldStartRate !== undefined &&
    values.powerValues &&
    values.powerValues.length * coldPerSize > MAX_COLD_START_VERSIONS
  ) {
    errors.push(
      ruleError(
        'coldStartRate',
        `every cold invocation needs its own version: ${coldPerSize} per size × ${values.powerValues.length} powerValues ` +
          `is more than ${MAX_COLD_START_VERSIONS}`,
        `powerValues × coldInvocations at most ${MAX_COLD_START_VERSIONS}`,
      ),
    );
  }
  if (values.environments !== undefined && values.environments > 1) {
    const environmentsProblem = environmentsRuleError(
      values.environments,
      values,
      values.coldStartRate !== undefined ? coldPerSize : 0,
      sizeCount,
    );
    if (environmentsProblem) errors.push(environmentsProblem);
  }
  if (values.allowCodeMismatch !== undefined && values.lambdaARN && !values.lambdaARN.qualifier) {
    errors.push(
      ruleError(
        'allowCodeMismatch',
        'set, but lambdaARN names no version or alias, so there is no code to compare with $LATEST',
        'allowCodeMismatch together with a lambdaARN ending in ":<version>" or ":<alias>", or leave it out',
      ),
    );
  }
  if (values.externalId !== undefined && given.roleArn === undefined) errors.push(externalIdWithoutRole());
  if (values.roleArn !== undefined && values.lambdaARN) {
    const problem = rolePartitionProblem(values.roleArn, values.lambdaARN.partition);
    if (problem) errors.push(rolePartitionError(problem));
  }
  if (values.autoOptimizeAlias !== undefined && values.autoOptimize === false) {
    errors.push(
      ruleError(
        'autoOptimizeAlias',
        'set without "autoOptimize": true, so it would never be created',
        'autoOptimizeAlias together with "autoOptimize": true, or leave it out',
      ),
    );
  }

  if (values.constraints && values.powerValues && values.num !== undefined && !values.dryRun) {
    const budgetProblem = latencyBudgetProblem(
      values.constraints,
      values.powerValues.length,
      values.num,
      values.confidence,
      given.maxInvocations === undefined ? undefined : values.maxInvocations,
    );
    if (budgetProblem)
      errors.push(ruleError(budgetProblem.field, budgetProblem.problem, budgetProblem.accepted));
  }
  if (model) errors.push(...explorationRuleErrors(values, given));
  if (errors.length > 0) throw new InputErrors(errors);

  // Every reader succeeded, so every value below is defined.
  const range = model ? explorationRange(values.powerValues!) : undefined;
  const defaults = defaultEnvironments(
    values.confidence !== undefined && !values.onlyColdStarts && !values.dryRun,
    sizeCount!,
    values.coldStartRate !== undefined ? coldPerSize : 0,
    values.constraints?.maxDurationMs !== undefined ? values.num! : undefined,
  );
  const config: TuningConfig = {
    target: values.lambdaARN!,
    lambdaARN: given.lambdaARN as string,
    num: values.num!,
    powerValues: range ? initialSizes(range.lowestMb, range.highestMb) : values.powerValues!,
    payload: values.payloadS3 ? { kind: 'single', body: undefined } : values.payload!,
    parallelInvocation: values.parallelInvocation!,
    maxParallelInvocations: values.maxParallelInvocations!,
    strategy: values.strategy!,
    balancedWeight: values.balancedWeight!,
    autoOptimize: values.autoOptimize!,
    dryRun: values.dryRun!,
    // Cold starts are rare outliers by nature; with onlyColdStarts they are the sample itself.
    discardTopBottom: values.onlyColdStarts ? 0 : values.discardTopBottom!,
    sleepBetweenRunsMs: values.sleepBetweenRunsMs!,
    disablePayloadLogs: values.disablePayloadLogs!,
    includeOutputResults: values.includeOutputResults!,
    onlyColdStarts: values.onlyColdStarts!,
    environments: values.environments ?? defaults.environments,
    ...(values.environments === undefined && defaults.before !== undefined
      ? { environmentsBeforeLatencyDefault: defaults.before }
      : {}),
    allowedExceptions: values.allowedExceptions!,
    visualizationURL: values.visualizationURL!,
    prices: values.prices!,
    // A dry run checks the setup with one invocation per size: nothing to sample adaptively.
    sampling: {
      policy: values.confidence === undefined || values.dryRun ? 'fixed' : 'adaptive',
      confidence: values.confidence ?? DEFAULT_DECISION_CONFIDENCE,
      tolerance: values.tolerance!,
      maxInvocations: values.maxInvocations!,
      ...(given.maxInvocations !== undefined ? { budgetGiven: true as const } : {}),
      maxErrorRate: values.maxErrorRate!,
      ...(values.constraints ? { constraints: values.constraints } : {}),
    },
  };
  // A latency bound needs enough invocations for a percentile's upper bound to exist: adaptive
  // runs get that much budget on top of the grid unless maxInvocations says otherwise.
  if (
    config.sampling.constraints &&
    config.sampling.policy === 'adaptive' &&
    given.maxInvocations === undefined
  ) {
    const needed = latencySamplesNeeded(
      config.sampling.constraints,
      config.sampling.confidence,
      config.powerValues.length,
      MAX_LOOKS,
    );
    config.sampling.maxInvocations = Math.max(
      config.sampling.maxInvocations,
      config.num * config.powerValues.length + LATENCY_BUDGET_SIZES * needed,
    );
  }
  if (values.invocationsPerMonth !== undefined) config.invocationsPerMonth = values.invocationsPerMonth;
  if (values.pricePerMillionActions !== undefined)
    config.pricePerMillionActions = values.pricePerMillionActions;
  if (values.invocationsPerMonth === VOLUME_FROM_CLOUDWATCH)
    config.volumeWindowDays = values.volumeWindowDays ?? DEFAULT_VOLUME_WINDOW_DAYS;
  if (values.payloadS3) config.payloadS3 = values.payloadS3;
  if (values.autoOptimizeAlias !== undefined) config.autoOptimizeAlias = values.autoOptimizeAlias;
  // Tuning an alias with autoOptimize: the alias given is the one to move, unless another is named.
  const qualifier = config.target.qualifier;
  if (
    config.autoOptimize &&
    config.autoOptimizeAlias === undefined &&
    qualifier &&
    !isVersionNumber(qualifier)
  )
    config.autoOptimizeAlias = qualifier;
  if (values.allowCodeMismatch === true) config.allowCodeMismatch = true;
  if (values.architectures !== undefined) config.architectures = values.architectures;
  if (range) config.exploration = range;
  // The role travels with the target, so every activity on the function assumes it.
  if (values.roleArn !== undefined)
    config.target = { ...config.target, role: targetRole(values.roleArn, values.externalId) };
  if (values.coldStartRate !== undefined) {
    config.coldStartRate = values.coldStartRate;
    config.coldInvocations = values.coldInvocations ?? COLD_SAMPLES_PER_SIZE;
  }
  if (values.preProcessorARN !== undefined) config.preProcessorARN = values.preProcessorARN;
  if (values.postProcessorARN !== undefined) config.postProcessorARN = values.postProcessorARN;
  return config;
}

/**
 * Environments per size unless the input says: several for adaptive runs (their decision measures
 * the spread between hosts), as many as the version bound leaves room for; one otherwise.
 */
/**
 * The environments a run gets when the input leaves them out, within the version bound. With a
 * latency bound (`latencyNum`: the run's num), more: a percentile's bound carries the hosts'
 * variance, known from each size's environments, and fewer than num so each measures a warm call.
 * `before`: what the default was before latency bounds raised it (runs started then replay with it).
 */
function defaultEnvironments(
  adaptive: boolean,
  sizes: number,
  coldPerSize: number,
  latencyNum?: number,
): { environments: number; before?: number } {
  if (!adaptive) return { environments: 1 };
  const room = Math.floor(MAX_COLD_START_VERSIONS / sizes) - coldPerSize;
  const plain = Math.max(1, Math.min(DEFAULT_ENVIRONMENTS, room));
  if (latencyNum === undefined) return { environments: plain };
  const raised = Math.max(1, Math.min(LATENCY_ENVIRONMENTS, latencyNum - 1, room));
  return raised > plain ? { environments: raised, before: plain } : { environments: plain };
}

/** Why more than one environment per size cannot be had with these other fields, if it cannot. */
function environmentsRuleError(
  environments: number,
  values: Partial<InputFieldValues>,
  coldPerSize: number,
  /** Sizes the run may publish (undefined when powerValues is invalid). */
  sizeCount: number | undefined,
): InputError | undefined {
  const accepted = (when: string) => `environments 1 (or left out) ${when}`;
  if (values.onlyColdStarts)
    return ruleError(
      'environments',
      `${environments} with "onlyColdStarts": true, where every invocation already runs on a version of its own`,
      accepted('with onlyColdStarts'),
    );
  if (values.dryRun)
    return ruleError(
      'environments',
      `${environments} with "dryRun": true, which makes a single invocation per size`,
      accepted('with dryRun'),
    );
  // Each environment's first call is a cold start, kept out of the durations: with num at most
  // the environments, the first round measures no warm call of any size, and the run would end
  // with nothing to compare.
  if (values.num !== undefined && environments >= values.num)
    return ruleError(
      'environments',
      `${environments} with num ${values.num}: the first round shares num among the environments, and each ` +
        "environment's first call is a cold start, kept out of the durations, so no warm call would be measured",
      `environments at most num − 1 (${values.num - 1} here), or num at least ${environments + 1}`,
    );
  if (sizeCount === undefined) return undefined;
  const sizes = sizeCount;
  const versions = sizes * (environments + coldPerSize);
  if (versions <= MAX_COLD_START_VERSIONS) return undefined;
  const cold = coldPerSize > 0 ? ` + ${coldPerSize} cold invocations` : '';
  return ruleError(
    'environments',
    `every environment is a version published per size: ${sizes} powerValues × (${environments} environments${cold}) = ` +
      `${versions} versions is more than ${MAX_COLD_START_VERSIONS}`,
    `number of powerValues × (environments${coldPerSize > 0 ? ' + coldInvocations' : ''}) at most ${MAX_COLD_START_VERSIONS}`,
  );
}

/** What exploration "model" needs of the other fields, and what it does not support yet. */
function explorationRuleErrors(
  values: Partial<InputFieldValues>,
  given: Partial<Record<InputKey, unknown>>,
): InputError[] {
  const errors: InputError[] = [];
  const accepted = (field: string) => `exploration "model" without ${field}, or exploration "grid" with it`;
  if (given.confidence === undefined && !values.dryRun)
    errors.push(
      ruleError(
        'exploration',
        '"model" decides among the sizes it measures with adaptive sampling, and "confidence" is not set',
        'exploration "model" together with "confidence" (e.g. 0.95)',
      ),
    );
  if (values.powerValues && new Set(values.powerValues).size < 2)
    errors.push(
      ruleError(
        'exploration',
        `"model" searches the range between the smallest and largest powerValues, and only ${values.powerValues[0]} MB was given`,
        'at least two different powerValues (e.g. [128, 10240]) or "ALL"',
      ),
    );
  const unsupported: [InputKey, boolean][] = [
    ['onlyColdStarts', values.onlyColdStarts === true],
    ['coldStartRate', given.coldStartRate !== undefined],
    ['constraints', given.constraints !== undefined],
  ];
  for (const [field, set] of unsupported)
    if (set)
      errors.push(
        ruleError(field, 'set with exploration "model", which does not support it yet', accepted(field)),
      );
  return errors;
}

/** Sizes near a latency bound the default adaptive budget can measure to a verdict. */
const LATENCY_BUDGET_SIZES = 6;

/** Why the invocations planned cannot show any size under a latency bound, if they cannot. */
function latencyBudgetProblem(
  constraints: ConstraintsConfig,
  sizeCount: number,
  num: number,
  confidence: number | undefined,
  maxInvocations: number | undefined,
): { field: InputKey; problem: string; accepted: string } | undefined {
  if (constraints.maxDurationMs === undefined) return undefined;
  const p = `p${constraints.percentile}`;
  if (confidence === undefined) {
    const needed = latencySamplesNeeded(constraints, DEFAULT_DECISION_CONFIDENCE, sizeCount, 1);
    if (num >= needed) return undefined;
    return {
      field: 'constraints',
      problem:
        `a ${p} latency bound needs at least ${needed} invocations per size to be shown at ` +
        `${DEFAULT_DECISION_CONFIDENCE * 100}% confidence over ${sizeCount} sizes, and num is ${num}`,
      accepted: `"confidence" (adaptive sampling measures the sizes near the bound more), or num ≥ ${needed}`,
    };
  }
  const needed = latencySamplesNeeded(constraints, confidence, sizeCount, MAX_LOOKS);
  if (maxInvocations === undefined || maxInvocations >= num * sizeCount + needed) return undefined;
  return {
    field: 'maxInvocations',
    problem:
      `${maxInvocations} cannot show any size under the ${p} latency bound: after the first round of ` +
      `${num * sizeCount}, one size alone needs ${needed} invocations at ${confidence * 100}% confidence`,
    accepted: `at least ${num * sizeCount + needed}, or leave it out (the default then allows ${LATENCY_BUDGET_SIZES} such sizes)`,
  };
}

/** An error of a rule across fields; the field is an InputKey, so a misspelt name fails tsc. */
function ruleError(field: InputKey, problem: string, accepted: string): InputError {
  return new InputError(field, problem, accepted);
}

/**
 * Reads every field with its reader from the table, in the table's order; a field another
 * reader needs is read when asked for, so its errors come first. An invalid field stays
 * undefined (`read` records its error).
 */
function readFields(
  given: Partial<Record<InputKey, unknown>>,
  read: <T>(reader: () => T) => T | undefined,
): Partial<InputFieldValues> {
  const values: Partial<Record<InputKey, unknown>> = {};
  const attempted = new Set<InputKey>();
  const readField = (key: InputKey): void => {
    if (attempted.has(key)) return;
    attempted.add(key);
    values[key] = read(() => INPUT_FIELDS[key].read(given[key], key, valueOf));
  };
  const valueOf = <K extends keyof EarlierValues>(key: K): EarlierValues[K] => {
    readField(key);
    return typedValues[key];
  };
  // Each entry was produced by its key's reader, so it has that reader's type.
  const typedValues = values as Partial<InputFieldValues>;
  for (const key of ACCEPTED_KEYS) readField(key);
  return typedValues;
}

/**
 * The input that validates back to this config (defaults written out). Useful to show users
 * what will run, and to check that validation is stable.
 */
export function configToInput(config: TuningConfig): PowerTuningInput {
  const input: Partial<Record<InputKey, unknown>> = {};
  for (const key of ACCEPTED_KEYS) {
    const value = INPUT_FIELDS[key].toInput(config);
    if (value !== undefined) input[key] = value;
  }
  // Each value has its field's type (toInput's), and lambdaARN and num are always set.
  return input as unknown as PowerTuningInput;
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
