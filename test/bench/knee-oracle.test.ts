/**
 * The exploration benchmark's knee oracle: with no noise it finds the truth's speed optimum to
 * the MB (one thread, two, four), so where it misses with noise, the budget is what it lacks; it
 * refuses profiles whose law it does not know.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectProfiles, type BenchProfile } from '../../bench/decisions/profiles.js';
import { groundTruth } from '../../bench/decisions/truth.js';
import { oracleApplies, oracleSpeedChoice } from '../../bench/exploration/knee-oracle.js';
import { HIGHEST_MB, LOWEST_MB } from '../../bench/exploration/run.js';

const profile = (name: string): BenchProfile => {
  const found = selectProfiles([name])[0];
  if (!found) throw new Error(`no profile ${name}`);
  return found;
};
const noiseFree = (bench: BenchProfile): BenchProfile => ({
  ...bench,
  profile: {
    ...bench.profile,
    relativeNoise: 0,
    outliers: { rate: 0, factor: 1 },
    environmentSpread: 0,
    noise: { distribution: 'none', size: 0 },
  },
});
const EVERY_MB = Array.from({ length: HIGHEST_MB - LOWEST_MB + 1 }, (_, i) => LOWEST_MB + i);

void describe('knee oracle', () => {
  for (const name of ['io-bound', 'near-tie-speed', 'multi-threaded', 'mixed']) {
    void it(`${name}, without noise: the truth's speed optimum over the whole range`, () => {
      const bench = noiseFree(profile(name));
      const truth = groundTruth(bench.profile, EVERY_MB, 'speed');
      assert.equal(oracleSpeedChoice(bench, 159, 0), truth.best);
    });
  }

  void it('with noise and a tenth of the grid, misses io-bound by more than a few MB in some runs', () => {
    const bench = profile('io-bound');
    const choices = new Set(Array.from({ length: 10 }, (_, run) => oracleSpeedChoice(bench, 159, run)));
    assert.ok(Math.max(...choices) - Math.min(...choices) > 15, [...choices].join(', '));
  });

  void it('applies only where its law holds: no memory pressure, no failures, 128 MB works', () => {
    for (const name of ['io-bound', 'multi-threaded', 'mixed'])
      assert.equal(oracleApplies(profile(name)), true);
    for (const name of ['gc-pressure', 'memory-floor', 'flaky'])
      assert.equal(oracleApplies(profile(name)), false, name);
    assert.throws(() => oracleSpeedChoice(profile('gc-pressure'), 159, 0), /law does not hold/);
  });
});
