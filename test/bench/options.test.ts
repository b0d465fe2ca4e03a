/**
 * `npm run bench`'s command line (bench/options.ts): the scenarios' sizes and flags, and `--cluster`,
 * which runs one workload of its own and refuses the scenarios' flags with a message naming them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../bench/cli-options.js';
import { parseBenchArgs, type BenchOptions } from '../../bench/options.js';

function parse(...argv: string[]): BenchOptions {
  const options = parseBenchArgs(argv);
  assert.ok(options, `${argv.join(' ')}: options, not --help`);
  return options;
}

describe('bench options', () => {
  it('runs every scenario at the default scale unless told otherwise, not the cluster', () => {
    const options = parse();
    assert.equal(options.cluster, false);
    assert.deepEqual(options.scenarios, [1, 2, 3, 4, 5, 6]);
    assert.equal(options.scale, 'default');
    assert.equal(options.worker, 'compiled');
    assert.deepEqual(options.sizes.concurrent, { tunings: 20, manyTunings: 100, powerValues: 5, num: 100 });
    assert.equal(parseBenchArgs(['--help']), undefined);
  });

  it('--cluster: 40 tunings × 5 sizes × 100 by default, the scale and the size flags apply to it', () => {
    const options = parse('--cluster');
    assert.equal(options.cluster, true);
    assert.deepEqual(options.sizes.cluster, { tunings: 40, powerValues: 5, num: 100 });
    assert.deepEqual(parse('--cluster', '--scale', 'tiny').sizes.cluster, {
      tunings: 2,
      powerValues: 2,
      num: 5,
    });
    const sized = parse('--cluster', '--tunings', '12', '--num', '20', '--power-values', '3', '--json');
    assert.deepEqual(sized.sizes.cluster, { tunings: 12, powerValues: 3, num: 20 });
    assert.equal(sized.json, true);
    assert.equal(parse('--cluster', '--worker', 'tsx').worker, 'tsx');
    assert.equal(parse('--cluster', '--update-delay-ms', '0').updateDelayMs, 0);
  });

  it('--cluster refuses the flags of the scenarios, naming each one given', () => {
    const refused = [
      ['--scenario', '4'],
      ['--many-tunings', '50'],
      ['--concurrency', '5'],
      ['--repeat', '2'],
      ['--cpu-prof', 'prof'],
    ];
    for (const flag of refused) {
      assert.throws(
        () => parseBenchArgs(['--cluster', ...flag]),
        (err: unknown) =>
          err instanceof UsageError &&
          err.message.includes(`it takes no ${flag[0]}`) &&
          err.message.includes('--cluster runs one workload of its own'),
        flag.join(' '),
      );
    }
    assert.throws(
      () => parseBenchArgs(['--cluster', '--repeat', '2', '--scenario', '1']),
      /it takes no --scenario, --repeat$/,
    );
    // Without --cluster they are the scenarios' flags as before.
    assert.deepEqual(parse('--scenario', '4', '--repeat', '2').scenarios, [4]);
  });

  it('--cluster still checks the values of the flags it takes', () => {
    assert.throws(() => parseBenchArgs(['--cluster', '--tunings', '0']), /--tunings must be an integer >= 1/);
    assert.throws(() => parseBenchArgs(['--cluster', '--num', '4']), /--num must be an integer >= 5/);
    assert.throws(
      () => parseBenchArgs(['--cluster', '--scale', 'huge']),
      /--scale must be tiny, small or default/,
    );
    assert.throws(
      () => parseBenchArgs(['--cluster', '--worker', 'docker']),
      /--worker must be compiled or tsx/,
    );
    assert.throws(() => parseBenchArgs(['--cluster=yes']), UsageError);
  });
});
