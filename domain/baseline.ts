/**
 * The function's current memory size is always measured when it is a valid size, so the output
 * can say what the recommendation changes against today (monthly saving, `powertune check`).
 * It joins the sizes to test; a dry run only checks the setup, so it is left as it is.
 */
import { MAX_COLD_START_VERSIONS, MAX_POWER, MAX_SLEEP_INVOCATIONS, MIN_POWER } from './limits.js';
import type { TuningConfig } from './types.js';

/** The config with `currentPower` among its powerValues (sorted), when it is in Lambda's range. */
export function withBaseline(config: TuningConfig, currentPower: number): TuningConfig {
  const inRange = Number.isInteger(currentPower) && currentPower >= MIN_POWER && currentPower <= MAX_POWER;
  if (config.dryRun || !inRange || config.powerValues.includes(currentPower)) return config;
  // Never past a limit validation enforced on the sizes the user gave.
  const total = config.num * (config.powerValues.length + 1);
  if (config.onlyColdStarts && total > MAX_COLD_START_VERSIONS) return config;
  if (config.sleepBetweenRunsMs > 0 && total > MAX_SLEEP_INVOCATIONS) return config;
  // Every size is published once per environment and once per cold invocation.
  const versionsPerSize =
    config.environments + (config.coldStartRate !== undefined ? (config.coldInvocations ?? 0) : 0);
  if ((config.powerValues.length + 1) * versionsPerSize > MAX_COLD_START_VERSIONS) return config;
  const powerValues = [...config.powerValues, currentPower].sort((a, b) => a - b);
  const adaptive = config.sampling.policy === 'adaptive';
  // A budget the user set is a ceiling: the baseline shares it, when its first round fits.
  if (adaptive && config.sampling.budgetGiven)
    return config.sampling.maxInvocations >= total ? { ...config, powerValues } : config;
  // A default adaptive budget grows with the grid it was derived from; a model exploration's
  // budget was not derived from its first sizes, so the baseline adds its first round.
  const perSize = config.exploration
    ? config.num
    : config.sampling.maxInvocations / config.powerValues.length;
  return {
    ...config,
    powerValues,
    sampling: {
      ...config.sampling,
      maxInvocations: adaptive
        ? Math.round(config.sampling.maxInvocations + perSize)
        : config.sampling.maxInvocations,
    },
  };
}
