/**
 * Publishing between rounds: a size the exploration proposes (workflows/exploration.ts), or more
 * environments for a size whose latency verdict is still open (domain/environment-growth.ts). As
 * every setup, one size at a time (each step changes `$LATEST`), then `$LATEST` is put back; on
 * another architecture's pass, between switching `$LATEST` there and back. Cleanup finds every
 * version the run published by its tag, so late ones are removed like the first.
 */
import { ApplicationFailure, log } from '@temporalio/workflow';
import type { LockResult, SetupResult } from '../activities/types.js';
import type { RoundRequest } from '../domain/sampling-policy.js';
import type { Architecture } from '../domain/types.js';
import type { SamplingRun } from './sampling.js';
import { restoreLatest, setUpSize } from './setup.js';

/**
 * A pass of a tuning over several architectures on another one than the function's: set up on it
 * (`beforeSetup` switches `$LATEST` there, `afterSetup` back once the sizes are published).
 */
export interface ForeignPass {
  architecture: Architecture;
  beforeSetup: () => Promise<void>;
  afterSetup: () => Promise<void>;
}

/** What publishing after the first round needs, besides what the sampling run holds. */
export interface LateSetup {
  tag: string;
  original: LockResult['original'];
  /** First-round invocations per size (the setup's version count with onlyColdStarts). */
  total: number;
  foreign?: ForeignPass;
}

/** Runs `publish` with `$LATEST` on the pass's architecture, then puts `$LATEST` back. */
export async function publishBetweenRounds(
  run: SamplingRun,
  late: LateSetup,
  publish: () => Promise<void>,
): Promise<void> {
  await late.foreign?.beforeSetup();
  await publish();
  await restoreLatest(run.target, late.original);
  await late.foreign?.afterSetup();
}

/** Publishes one size over `environments` (idempotent: what exists already is kept). */
export function setUpLate(
  run: SamplingRun,
  late: LateSetup,
  power: number,
  environments: number,
): Promise<SetupResult> {
  return setUpSize(
    run.config,
    run.target,
    late.tag,
    late.original,
    late.total,
    power,
    environments,
    late.foreign?.architecture,
  );
}

/**
 * Quotas that stop the function taking more versions or aliases. Growing is an improvement, not a
 * need: a run that meets one keeps the environments it has and the data it gathered.
 */
const VERSION_QUOTAS = new Set(['CodeStorageExceededException', 'AliasLimitExceededException']);

/**
 * Before a round that spreads sizes over more environments (RoundRequest.environments): publishes
 * their new versions and replaces their setups, so the round shares its calls among them all. On a
 * version quota the run stops growing and goes on with what it has (cleanup removes what was made).
 */
export async function growEnvironments(
  run: SamplingRun,
  setups: SetupResult[],
  late: LateSetup,
  requests: RoundRequest[],
): Promise<void> {
  const spreadOf = (power: number) => setups.find((s) => s.power === power)?.environmentAliases?.length ?? 1;
  const growing = requests.filter((r) => r.environments !== undefined && r.environments > spreadOf(r.power));
  if (growing.length === 0) return;
  await publishBetweenRounds(run, late, async () => {
    for (const request of growing) {
      let grown: SetupResult;
      try {
        grown = await setUpLate(run, late, request.power, request.environments as number);
      } catch (err) {
        if (!(err instanceof ApplicationFailure && VERSION_QUOTAS.has(err.type ?? ''))) throw err;
        log.warn('stopped spreading sizes over more environments', {
          power: request.power,
          reason: err.message,
        });
        delete run.settings.growEnvironmentsTo;
        return;
      }
      const at = setups.findIndex((s) => s.power === request.power);
      setups[at] = grown;
    }
  });
}
