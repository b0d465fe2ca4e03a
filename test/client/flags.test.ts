import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import {
  addInputOptions,
  flagForField,
  INPUT_FLAGS,
  inputFromOptions,
} from '../../client/cli/input-flags.js';
import type { CliIo } from '../../client/cli/io.js';
import { ACCEPTED_KEYS } from '../../domain/validate.js';
import { sampleOutput } from './fixtures.js';
import { runCaptured } from './support.js';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pt-flags-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function parseInput(argv: string[]) {
  const cmd = addInputOptions(new Command('run').argument('[function]').exitOverride());
  cmd.parse(argv, { from: 'user' });
  const io = { cwd: dir, env: {}, stdin: process.stdin } as unknown as CliIo;
  return inputFromOptions(cmd.opts(), io, cmd.args[0]);
}

void describe('input flags', () => {
  void it('has a flag for every input parameter', () => {
    const covered = new Set(INPUT_FLAGS.map((f) => f.field));
    for (const key of ACCEPTED_KEYS) assert.ok(covered.has(key), `no flag for ${key}`);
  });

  void it('builds the input from flags', async () => {
    fs.writeFileSync(path.join(dir, 'payload.json'), '{"work": 2}');
    const { input } = await parseInput([
      'my-fn',
      '-n',
      '20',
      '--power-values',
      '128,256',
      '-p',
      '512',
      '--strategy',
      'balanced',
      '--balanced-weight',
      '0.3',
      '--parallel',
      '--allowed-exceptions',
      'A,B',
      '--allowed-exceptions',
      'C',
      '--payload-file',
      'payload.json',
      '--price-per-request',
      '2e-7',
    ]);
    assert.deepEqual(input, {
      lambdaARN: 'my-fn',
      num: 20,
      powerValues: [128, 256, 512],
      strategy: 'balanced',
      balancedWeight: 0.3,
      parallelInvocation: true,
      allowedExceptions: ['A', 'B', 'C'],
      payload: { work: 2 },
      prices: { perRequest: 2e-7 },
    });
  });

  void it('lets flags override the --input file, field by field', async () => {
    const file = path.join(dir, 'input.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ lambdaARN: 'from-file', num: 5, strategy: 'speed', prices: { perGbSecond: 1e-5 } }),
    );
    const cli = await parseInput(['--input', file, '--num', '50', '--price-per-request', '1e-7']);
    assert.deepEqual(cli.input, {
      lambdaARN: 'from-file',
      num: 50,
      strategy: 'speed',
      prices: { perGbSecond: 1e-5, perRequest: 1e-7 },
    });
    assert.deepEqual([...cli.fromFlags].sort(), ['num', 'prices']);
  });

  void it('accepts ALL in any case and maps fields back to flags', async () => {
    const { input } = await parseInput(['f', '-p', 'all']);
    assert.equal(input.powerValues, 'ALL');
    assert.equal(flagForField('powerValues'), '--power-values');
    assert.equal(flagForField('prices'), '--price-per-gb-second/--price-per-request');
    assert.equal(flagForField('allowedExceptions[2]'), '--allowed-exceptions');
  });
});

void describe('CLI usage errors exit with 2 and name the flag', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown flag', ['run', 'f', '--nmu', '5'], /unknown option '--nmu'[\s\S]*--num/],
    ['non-numeric num', ['run', 'f', '--num', 'ten'], /--num <count>' argument 'ten' is invalid/],
    [
      'unknown strategy',
      ['run', 'f', '-n', '5', '--strategy', 'fast'],
      /--strategy <name>' argument 'fast' is invalid.*cost, speed, balanced/,
    ],
    [
      'bad memory list',
      ['run', 'f', '-n', '5', '-p', '128,abc'],
      /--power-values <list>' argument '128,abc' is invalid. "abc"/,
    ],
    ['num below 5', ['run', 'f', '-n', '3'], /--num: 3 is out of range/],
    ['memory out of range', ['run', 'f', '-n', '5', '-p', '64'], /--power-values: .*64/],
    ['missing function', ['run', '-n', '5'], /<function> \(--lambda-arn\): missing/],
    [
      'invalid payload JSON',
      ['run', 'f', '-n', '5', '--payload', '{oops'],
      /--payload <json>' argument '\{oops' is invalid. not valid JSON/,
    ],
    [
      'payload twice',
      ['run', 'f', '-n', '5', '--payload', '1', '--payload-file', 'x.json'],
      /'--payload <json>' cannot be used with option '--payload-file <path>'/,
    ],
    ['function twice', ['run', 'f', '--lambda-arn', 'g', '-n', '5'], /the function is given twice/],
    ['json and csv', ['run', 'f', '-n', '5', '--json', '--csv'], /--json and --csv cannot be used together/],
    ['unknown command', ['rnu'], /unknown command 'rnu'[\s\S]*run/],
    ['missing argument', ['watch'], /missing required argument 'workflow-id'/],
    ['bad list status', ['list', '--status', 'sleeping'], /--status: unknown status "sleeping"/],
    ['missing --input file', ['run', '--input', 'nope.json'], /--input: cannot read nope.json: ENOENT/],
    [
      'missing --payload-file',
      ['run', 'f', '-n', '5', '--payload-file', 'nope.json'],
      /--payload-file: cannot read nope.json: ENOENT/,
    ],
    ['missing result file', ['result', 'nope.json'], /result file: cannot read nope.json: ENOENT/],
  ];
  for (const [name, argv, message] of cases) {
    void it(name, async () => {
      const r = await runCaptured(argv, { cwd: dir });
      assert.equal(r.code, 2, `exit code for ${argv.join(' ')}; stderr: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }

  void it('reports every invalid field of an --input file at once, by file field', async () => {
    fs.writeFileSync(
      path.join(dir, 'bad.json'),
      JSON.stringify({ lambdaARN: 'f', num: 2, strategy: 'fastest' }),
    );
    const r = await runCaptured(['run', '--input', 'bad.json'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"num" in bad\.json: 2 is out of range/);
    assert.match(r.stderr, /"strategy" in bad\.json/);
  });

  void it('names the flag of a file that is not JSON', async () => {
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"num": ');
    const r = await runCaptured(['run', 'f', '-n', '5', '--payload-file', 'broken.json'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--payload-file: broken\.json is not valid JSON/);
  });

  void it('reads a result from stdin with -', async () => {
    const r = await runCaptured(['result', '-', '--json'], {
      cwd: dir,
      stdin: JSON.stringify(sampleOutput()),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { power: number }).power, sampleOutput().power);
  });

  void it('reads the input from stdin with --input -', async () => {
    const r = await runCaptured(['run', '--input', '-'], { cwd: dir, stdin: '{"lambdaARN": "f", "num": 1}' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"num" in -: 1 is out of range/);
  });

  void it('with no command, shows help and exits 2', async () => {
    const r = await runCaptured([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Usage: powertune/);
  });
});

/** Every command of the CLI; the help tests below go through each. */
const COMMANDS = ['run', 'watch', 'result', 'cancel', 'cleanup', 'list', 'report', 'compare', 'demo'];

void describe('help', () => {
  for (const command of COMMANDS) {
    void it(`${command} --help exits 0 and describes the command`, async () => {
      const r = await runCaptured([command, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`Usage: powertune ${command}`));
      assert.equal(r.stderr, '');
    });
  }

  void it('lists what a run is about first among the input flags', async () => {
    const r = await runCaptured(['run', '--help']);
    const at = (flag: string) => r.stdout.indexOf(`  ${flag} `);
    const order = ['--lambda-arn', '--payload-s3', '--max-error-rate', '--parallel', '--price-per-request'];
    for (const flag of order) assert.ok(at(flag) > 0, `${flag} missing from run --help`);
    assert.deepEqual(
      [...order].sort((a, b) => at(a) - at(b)),
      order,
    );
  });

  void it('lists every command in the main help', async () => {
    const r = await runCaptured(['--help']);
    assert.equal(r.code, 0);
    for (const command of COMMANDS) {
      assert.match(r.stdout, new RegExp(`\\n  ${command} `));
    }
    assert.match(r.stdout, /Exit codes: 0 success, 1 tuning failed, 2 bad usage or input/);
  });
});
