/**
 * The `environments` input field: its default in each case, the rules across fields (each error
 * naming the field and what it accepts), the bound on the versions a run publishes, the config
 * written back, and the `powertune run` flag.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { addInputOptions, describeInputErrors, inputFromOptions } from '../../client/cli/input-flags.js';
import type { CliIo } from '../../client/cli/io.js';
import { DEFAULT_ENVIRONMENTS, LATENCY_ENVIRONMENTS, MAX_ENVIRONMENTS } from '../../domain/environments.js';
import { InputErrors } from '../../domain/errors.js';
import { ALL_POWER_VALUES, MAX_COLD_START_VERSIONS } from '../../domain/limits.js';
import { configToInput, validateInput } from '../../domain/validate.js';

const BASE = { lambdaARN: 'my-fn', num: 10 };
const environmentsOf = (extra: Record<string, unknown>) => validateInput({ ...BASE, ...extra }).environments;

/** The message of the error naming `environments` (asserting there is one, in the usual form). */
function environmentsError(extra: Record<string, unknown>): string {
  try {
    validateInput({ ...BASE, ...extra });
  } catch (error) {
    assert.ok(error instanceof InputErrors, String(error));
    const match = error.errors.find((e) => e.field === 'environments');
    assert.ok(match, `no error names "environments": ${error.message}`);
    assert.match(match.message, /^Invalid input "environments": .+\. Accepted: .+\.$/);
    return match.message;
  }
  assert.fail(`accepted ${JSON.stringify(extra)}`);
}

/** 200 distinct sizes, the most an input may list. */
const TWO_HUNDRED_SIZES = Array.from({ length: 200 }, (_, i) => 128 + i);

void describe('environments: defaults', () => {
  void it('keeps one version per size for the original’s fixed grid, dry runs and cold-start runs', () => {
    assert.equal(environmentsOf({}), 1);
    assert.equal(environmentsOf({ dryRun: true }), 1);
    assert.equal(environmentsOf({ onlyColdStarts: true }), 1);
    assert.equal(environmentsOf({ coldStartRate: 0.1 }), 1);
  });

  void it(`spreads adaptive runs over ${DEFAULT_ENVIRONMENTS}, but not a dry run`, () => {
    assert.equal(environmentsOf({ confidence: 0.95 }), DEFAULT_ENVIRONMENTS);
    assert.equal(environmentsOf({ confidence: 0.9, coldStartRate: 0.1 }), DEFAULT_ENVIRONMENTS);
    assert.equal(environmentsOf({ confidence: 0.95, powerValues: 'ALL' }), DEFAULT_ENVIRONMENTS);
    // A dry run samples nothing adaptively: one invocation per size, one version.
    assert.equal(environmentsOf({ confidence: 0.95, dryRun: true }), 1);
  });

  void it('takes the value given, with or without confidence', () => {
    assert.equal(environmentsOf({ environments: 2 }), 2);
    assert.equal(environmentsOf({ confidence: 0.95, environments: 1 }), 1);
    assert.equal(environmentsOf({ confidence: 0.95, environments: MAX_ENVIRONMENTS }), MAX_ENVIRONMENTS);
    // One is always fine, even where more are refused.
    assert.equal(environmentsOf({ onlyColdStarts: true, environments: 1 }), 1);
    assert.equal(environmentsOf({ dryRun: true, environments: 1 }), 1);
  });

  void it('raises the adaptive default with a latency bound, below num, and keeps the old default for replay', () => {
    const latency = { percentile: 95, maxDurationMs: 200 };
    const config = validateInput({ ...BASE, confidence: 0.95, constraints: latency });
    assert.equal(config.environments, LATENCY_ENVIRONMENTS);
    assert.equal(config.environmentsBeforeLatencyDefault, DEFAULT_ENVIRONMENTS);
    // Fewer than num, so each environment measures a warm call.
    assert.equal(environmentsOf({ num: 5, confidence: 0.95, constraints: latency }), 4);
    // Only a latency bound raises it, and only a default.
    assert.equal(environmentsOf({ confidence: 0.95, constraints: { maxCostPerInvocation: 1e-6 } }), 3);
    const given = validateInput({ ...BASE, confidence: 0.95, constraints: latency, environments: 2 });
    assert.equal(given.environments, 2);
    assert.equal(given.environmentsBeforeLatencyDefault, undefined);
  });

  void it('lowers the adaptive default to what fits under the version bound', () => {
    // 159 sizes × (3 + 5 cold) would be 1272 versions: 6 fit per size, 5 are cold, 1 is left.
    assert.equal(environmentsOf({ confidence: 0.95, powerValues: 'ALL', coldStartRate: 0.1 }), 1);
    // 200 sizes × (2 + 3 cold) = 1000 exactly.
    assert.equal(
      environmentsOf({
        confidence: 0.95,
        powerValues: TWO_HUNDRED_SIZES,
        coldStartRate: 0.1,
        coldInvocations: 3,
      }),
      2,
    );
  });
});

void describe('environments: errors', () => {
  void it('refuses anything but an integer from 1 to the maximum', () => {
    for (const environments of [0, MAX_ENVIRONMENTS + 1, 2.5, -1, '3', null, true, [3]]) {
      const message = environmentsError({ confidence: 0.95, environments });
      assert.match(message, new RegExp(`Accepted: an integer from 1 to ${MAX_ENVIRONMENTS}`), message);
    }
  });

  void it('refuses more than one with onlyColdStarts or dryRun', () => {
    assert.match(
      environmentsError({ onlyColdStarts: true, environments: 2 }),
      /2 with "onlyColdStarts": true, .*Accepted: environments 1 \(or left out\) with onlyColdStarts/,
    );
    assert.match(
      environmentsError({ dryRun: true, environments: 3 }),
      /3 with "dryRun": true, .*Accepted: environments 1 \(or left out\) with dryRun/,
    );
    // Named on environments, before any side effect, even when another field is wrong too.
    assert.throws(
      () => validateInput({ ...BASE, dryRun: true, environments: 3, strategy: 'fast' }),
      (err: unknown) =>
        err instanceof InputErrors && err.fields.includes('environments') && err.fields.includes('strategy'),
    );
  });

  void it('needs more first-round calls than environments, since each one starts cold', () => {
    // num 5 over 5 versions: one call each, every one a cold start kept out of the durations.
    assert.match(
      environmentsError({ num: 5, confidence: 0.95, environments: 5 }),
      /5 with num 5: .*no warm call would be measured\. Accepted: environments at most num − 1 \(4 here\), or num at least 6/,
    );
    assert.equal(environmentsOf({ num: 5, confidence: 0.95, environments: 4 }), 4);
    assert.equal(environmentsOf({ num: 6, environments: 5 }), 5);
    // The default (3) leaves num's minimum, 5, two warm calls a size.
    assert.equal(environmentsOf({ num: 5, confidence: 0.95 }), DEFAULT_ENVIRONMENTS);
  });

  void it(`bounds sizes × (environments + cold invocations) at ${MAX_COLD_START_VERSIONS} versions`, () => {
    const message = environmentsError({ powerValues: 'ALL', coldStartRate: 0.1, environments: 3 });
    const versions = ALL_POWER_VALUES.length * (3 + 5);
    assert.ok(
      message.includes(`${ALL_POWER_VALUES.length} powerValues × (3 environments + 5 cold invocations)`),
    );
    assert.ok(message.includes(`${versions} versions is more than ${MAX_COLD_START_VERSIONS}`), message);
    assert.match(
      message,
      /Accepted: number of powerValues × \(environments \+ coldInvocations\) at most 1000\./,
    );
    assert.match(
      environmentsError({
        powerValues: TWO_HUNDRED_SIZES,
        environments: 5,
        coldStartRate: 0.5,
        coldInvocations: 2,
      }),
      /200 powerValues × \(5 environments \+ 2 cold invocations\) = 1400 versions/,
    );
    // Right at the bound is accepted: 200 × 5.
    assert.equal(environmentsOf({ powerValues: TWO_HUNDRED_SIZES, environments: 5 }), 5);
  });
});

void describe('environments: written back and set from the CLI', () => {
  void it('round-trips through configToInput', () => {
    for (const extra of [
      {},
      { confidence: 0.95 },
      { environments: 4 },
      { confidence: 0.9, environments: 1 },
    ]) {
      const config = validateInput({ ...BASE, ...extra });
      const input = configToInput(config);
      assert.equal(input.environments, config.environments);
      // (An adaptive config's written-back budget reads as one the user set: compare this field.)
      assert.equal(validateInput(JSON.parse(JSON.stringify(input))).environments, config.environments);
    }
  });

  void it('has a --environments flag, and its errors name the flag', async () => {
    const parse = async (argv: string[]) => {
      const cmd = addInputOptions(new Command('run').argument('[function]').exitOverride());
      cmd.parse(argv, { from: 'user' });
      const io = { cwd: process.cwd(), env: {}, stdin: process.stdin } as unknown as CliIo;
      return inputFromOptions(cmd.opts(), io, cmd.args[0]);
    };
    const spread = await parse(['my-fn', '-n', '10', '--environments', '4']);
    assert.equal(spread.input.environments, 4);
    assert.equal(validateInput(spread.input).environments, 4);

    const refused = await parse(['my-fn', '-n', '10', '--only-cold-starts', '--environments', '2']);
    try {
      validateInput(refused.input);
      assert.fail('accepted --environments 2 with --only-cold-starts');
    } catch (error) {
      assert.ok(error instanceof InputErrors, String(error));
      const lines = describeInputErrors(error, refused);
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0] ?? '', /^--environments: 2 with "onlyColdStarts": true/);
    }
  });
});
