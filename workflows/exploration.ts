/**
 * Sampling with `exploration: "model"`: after the first sizes' round (workflows/pipeline.ts), the
 * policy (domain/exploration.ts) asks for rounds that may name sizes not published yet. Those are
 * set up first, one at a time as every setup is (each step changes `$LATEST`), `$LATEST` is put
 * back, and then the round runs like any other; on another architecture's pass, between switching
 * `$LATEST` there and back. Cleanup finds every size the run published by its tag, so sizes added
 * late are removed like the first ones.
 */
import type { SetupResult } from '../activities/types.js';
import { explorationRacing, nextExploration, type ExplorationSettings } from '../domain/exploration.js';
import { emptySummary } from '../domain/sample-summary.js';
import type { ExplorationRange } from '../domain/types.js';
import { publishBetweenRounds, setUpLate, type LateSetup } from './late-setup.js';
import { runRound, sampledAt, sizeOf, type Sampled, type SamplingRun } from './sampling.js';

/** What setting up one more size needs, besides what the sampling run holds. */
export interface ExplorationSetup extends LateSetup {
  range: ExplorationRange;
}

/** Looks at the data after `look` rounds and runs the rounds the policy asks for, until it stops. */
export async function exploreFrom(
  run: SamplingRun,
  setups: SetupResult[],
  look: number,
  exploration: ExplorationSetup,
): Promise<Sampled> {
  const racing = explorationRacing(run.settings.racing);
  const settings: ExplorationSettings = {
    ...run.settings,
    racing,
    lowestMb: exploration.range.lowestMb,
    highestMb: exploration.range.highestMb,
  };
  for (let n = look; ; n++) {
    const round = nextExploration(settings, run.sizes, run.price, n);
    for (const { power, by } of round.eliminated ?? []) sizeOf(run, power).eliminatedBy ??= by;
    if (round.stop) return sampledAt(run, round.stop, racing);
    const fresh = round.requests.filter((r) => !setups.some((s) => s.power === r.power));
    if (fresh.length > 0)
      await publishBetweenRounds(run, exploration, async () => {
        for (const request of fresh) {
          setups.push(await setUpLate(run, exploration, request.power, run.environments));
          run.sizes.push({ power: request.power, summary: emptySummary() });
        }
      });
    for (const request of round.requests) {
      if (fresh.includes(request)) run.progress.start([request.power], request.count);
      else run.progress.extend(request.power, request.count);
    }
    await runRound(run, setups, round.requests, n + 1);
  }
}
