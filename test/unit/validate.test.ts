import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError, InputErrors } from '../../domain/errors.js';
import { ALL_POWER_VALUES, DEFAULT_POWER_VALUES } from '../../domain/limits.js';
import { ACCEPTED_KEYS, configToInput, suggestKey, validateInput } from '../../domain/validate.js';

const BASE = { lambdaARN: 'arn:aws:lambda:eu-west-1:123456789012:function:my-fn', num: 10 };
const valid = (extra: Record<string, unknown>) => validateInput({ ...BASE, ...extra });

/** Asserts that the input is rejected and that one of the errors names `field`; returns that error's message. */
function rejects(input: unknown, field: string): string {
  try {
    validateInput(input);
  } catch (error) {
    assert.ok(error instanceof InputErrors, `expected InputErrors, got ${String(error)}`);
    const match = error.errors.find((e) => e.field === field);
    assert.ok(match, `no error names "${field}": ${error.message}`);
    assert.ok(match.message.startsWith(`Invalid input "${field}": `));
    assert.ok(/\. Accepted: .+\.$/.test(match.message), match.message);
    return match.message;
  }
  assert.fail(`accepted ${JSON.stringify(input)}`);
}
const rejectsWith = (extra: Record<string, unknown>, field: string) => rejects({ ...BASE, ...extra }, field);

describe('validateInput: defaults', () => {
  it('fills every default', () => {
    const config = validateInput(BASE);
    assert.deepEqual(config, {
      target: {
        functionName: BASE.lambdaARN,
        name: 'my-fn',
        region: 'eu-west-1',
        accountId: '123456789012',
        partition: 'aws',
      },
      lambdaARN: BASE.lambdaARN,
      num: 10,
      powerValues: [...DEFAULT_POWER_VALUES],
      payload: { kind: 'single', body: undefined },
      parallelInvocation: false,
      maxParallelInvocations: 10,
      strategy: 'cost',
      balancedWeight: 0.5,
      autoOptimize: false,
      dryRun: false,
      discardTopBottom: 0.2,
      sleepBetweenRunsMs: 0,
      disablePayloadLogs: false,
      includeOutputResults: false,
      onlyColdStarts: false,
      // One version per size for the original's fixed grid, as it had.
      environments: 1,
      allowedExceptions: [],
      visualizationURL: 'https://lambda-power-tuning.show/',
      prices: {},
      // The original's grid; the decision is still stated at 95% confidence.
      sampling: { policy: 'fixed', confidence: 0.95, tolerance: 0, maxInvocations: 180, maxErrorRate: 0.1 },
    });
  });
});

describe('validateInput: confidence, tolerance, maxInvocations, maxErrorRate', () => {
  it('confidence turns on adaptive sampling with a 1% tolerance and a budget of 3 × the grid', () => {
    const config = valid({ confidence: 0.9, num: 10, powerValues: [128, 256, 512] });
    assert.deepEqual(config.sampling, {
      policy: 'adaptive',
      confidence: 0.9,
      tolerance: 0.01,
      maxInvocations: 90,
      maxErrorRate: 0.1,
    });
    assert.equal(
      valid({ confidence: 0.95, tolerance: 0.05, maxInvocations: 500 }).sampling.maxInvocations,
      500,
    );
  });
  it('a dry run stays on the fixed grid', () => {
    assert.equal(valid({ confidence: 0.95, dryRun: true }).sampling.policy, 'fixed');
  });
  it('rejects out-of-range values, naming the field', () => {
    for (const confidence of [0.4, 1, 2, '0.95']) rejectsWith({ confidence }, 'confidence');
    for (const tolerance of [-0.1, 0.6, 'x']) rejectsWith({ tolerance }, 'tolerance');
    for (const maxErrorRate of [-0.1, 1.5]) rejectsWith({ maxErrorRate }, 'maxErrorRate');
    // Below the first round (num × sizes) there is nothing to spend on the race.
    rejectsWith({ confidence: 0.95, num: 10, powerValues: [128, 256], maxInvocations: 19 }, 'maxInvocations');
  });
  it('rejects maxInvocations without confidence, and confidence with onlyColdStarts', () => {
    assert.match(rejectsWith({ maxInvocations: 100 }, 'maxInvocations'), /confidence/);
    assert.match(rejectsWith({ confidence: 0.95, onlyColdStarts: true }, 'confidence'), /onlyColdStarts/);
  });
});

describe('validateInput: the input as a whole', () => {
  it('rejects null, arrays, strings and numbers', () => {
    for (const raw of [null, undefined, [], 'x', 5, true]) {
      assert.match(rejects(raw, 'input'), /expected a JSON object/);
    }
  });

  it('rejects unknown keys with the accepted list and a suggestion (typo "powerValue")', () => {
    const message = rejectsWith({ powerValue: [128] }, 'powerValue');
    assert.match(message, /did you mean "powerValues"/);
    assert.match(message, /lambdaARN, num, powerValues/);
    assert.equal(suggestKey('LAMBDAARN'), 'lambdaARN');
    assert.equal(suggestKey('completelyDifferent'), undefined);
  });

  it('reports every invalid field at once, one line each', () => {
    try {
      validateInput({ lambdaARN: '', num: 'x', strategy: 'fast', dryRun: 'yes' });
      assert.fail('accepted');
    } catch (error) {
      assert.ok(error instanceof InputErrors);
      assert.deepEqual(error.fields, ['lambdaARN', 'dryRun', 'num', 'strategy']);
      assert.equal(error.message.split('\n').length, 4);
      assert.ok(error instanceof InputError);
    }
  });
});

describe('validateInput: lambdaARN', () => {
  it('accepts names, partial and full ARNs', () => {
    assert.equal(valid({ lambdaARN: 'fn' }).target.functionName, 'fn');
    assert.equal(valid({ lambdaARN: '123456789012:function:fn' }).target.accountId, '123456789012');
  });
  it('is required and must be a function name or ARN', () => {
    assert.match(rejects({ num: 10 }, 'lambdaARN'), /missing/);
    rejectsWith({ lambdaARN: 42 }, 'lambdaARN');
    rejectsWith({ lambdaARN: 'arn:aws:lambda:eu-west-1:123456789012:function:fn:ptune-x-128' }, 'lambdaARN');
  });
  it('takes a version or alias: the target stays the function, the qualifier is kept for the code check', () => {
    const config = valid({ lambdaARN: 'arn:aws:lambda:eu-west-1:123456789012:function:fn:prod' });
    assert.equal(config.target.functionName, 'arn:aws:lambda:eu-west-1:123456789012:function:fn');
    assert.equal(config.target.qualifier, 'prod');
    assert.equal(config.allowCodeMismatch, undefined);
    assert.equal(valid({ lambdaARN: 'fn:7', allowCodeMismatch: true }).allowCodeMismatch, true);
  });
  it('with autoOptimize, an alias given is the alias to move, unless another is named; a version is not', () => {
    assert.equal(valid({ lambdaARN: 'fn:prod', autoOptimize: true }).autoOptimizeAlias, 'prod');
    assert.equal(
      valid({ lambdaARN: 'fn:prod', autoOptimize: true, autoOptimizeAlias: 'canary' }).autoOptimizeAlias,
      'canary',
    );
    assert.equal(valid({ lambdaARN: 'fn:7', autoOptimize: true }).autoOptimizeAlias, undefined);
    assert.equal(valid({ lambdaARN: 'fn:prod' }).autoOptimizeAlias, undefined);
  });
  it('allowCodeMismatch needs a version or alias to compare with', () => {
    assert.match(
      rejectsWith({ lambdaARN: 'fn', allowCodeMismatch: true }, 'allowCodeMismatch'),
      /no version or alias/,
    );
    rejectsWith({ lambdaARN: 'fn:prod', allowCodeMismatch: 'yes' }, 'allowCodeMismatch');
  });
});

describe('validateInput: num', () => {
  it('accepts integers from 5 to 100000', () => {
    assert.equal(valid({ num: 5 }).num, 5);
    assert.equal(valid({ num: 100000 }).num, 100000);
  });
  it('reads a decimal string as its number, as the original parseInt did ("10" → 10)', () => {
    assert.equal(valid({ num: '10' }).num, 10);
    assert.equal(valid({ num: ' 50 ' }).num, 50);
    assert.equal(valid({ num: '20.0' }).num, 20);
    assert.equal(validateInput({ lambdaARN: 'fn', dryRun: true, num: '3' }).num, 1);
  });
  it('rejects missing, < 5, decimals, strings like "5abc" (upstream parseInt read 5) and bad numeric strings', () => {
    assert.match(rejects({ lambdaARN: 'fn' }, 'num'), /missing/);
    for (const num of [4, 0, -1, 5.9, 100001, null, true]) rejectsWith({ num }, 'num');
    for (const num of ['5abc', '', 'ten', '1e3', '0x10', '10 20']) {
      assert.match(rejectsWith({ num }, 'num'), /got the string ".*", which is not a number/);
    }
    assert.match(rejectsWith({ num: '5.9' }, 'num'), /"5\.9" is not an integer/);
    assert.match(rejectsWith({ num: '3' }, 'num'), /"3" is out of range/);
    assert.match(rejectsWith({ num: '1'.repeat(400) }, 'num'), /got "1{80}…"/);
  });
  it('is ignored with dryRun (config num 1), but still type-checked when given', () => {
    assert.equal(validateInput({ lambdaARN: 'fn', dryRun: true }).num, 1);
    assert.equal(validateInput({ lambdaARN: 'fn', dryRun: true, num: 2 }).num, 1);
    rejects({ lambdaARN: 'fn', dryRun: true, num: 'many' }, 'num');
  });
});

describe('validateInput: powerValues', () => {
  it('deduplicates and sorts', () => {
    assert.deepEqual(valid({ powerValues: [1024, 128, 512, 128] }).powerValues, [128, 512, 1024]);
  });
  it('"ALL" means 128..10240 by 64 (159 values; upstream stopped at 3008)', () => {
    const values = valid({ powerValues: 'ALL' }).powerValues;
    assert.equal(values.length, 159);
    assert.equal(values[0], 128);
    assert.equal(values.at(-1), 10240);
    assert.deepEqual(values, [...ALL_POWER_VALUES]);
  });
  it('null or absent gives the default as numbers (upstream: strings)', () => {
    assert.deepEqual(valid({ powerValues: null }).powerValues, [128, 256, 512, 1024, 1536, 3008]);
  });
  it('rejects an empty list, explaining why', () => {
    assert.match(rejectsWith({ powerValues: [] }, 'powerValues'), /empty/);
  });
  it('reads decimal-string entries as numbers, as the original parseInt did', () => {
    assert.deepEqual(valid({ powerValues: ['512', 128, '256', '128'] }).powerValues, [128, 256, 512]);
  });
  it('rejects values out of 128..10240, non-integers, non-numeric strings, other strings than ALL, > 200 values', () => {
    for (const powerValues of [
      [64],
      [10241],
      [128.5],
      ['128MB'],
      ['64'],
      ['128.5'],
      'all',
      '128,256',
      512,
      [null],
    ]) {
      rejectsWith({ powerValues }, 'powerValues');
    }
    assert.match(rejectsWith({ powerValues: [128, 'big'] }, 'powerValues'), /entry 1 is the string "big"/);
    const many = Array.from({ length: 201 }, (_, i) => 128 + i);
    assert.match(rejectsWith({ powerValues: many }, 'powerValues'), /201 distinct values/);
  });
});

describe('validateInput: payload', () => {
  it('converts a single payload (§11.7 rules)', () => {
    assert.deepEqual(valid({ payload: { a: 1 } }).payload, { kind: 'single', body: '{"a":1}' });
    assert.deepEqual(valid({ payload: 'text' }).payload, { kind: 'single', body: '"text"' });
    assert.deepEqual(valid({ payload: null }).payload, { kind: 'single', body: 'null' });
    assert.deepEqual(valid({ payload: [1, 2, 3] }).payload, { kind: 'single', body: '[1,2,3]' });
  });
  it('reads a weighted payload', () => {
    const config = valid({
      payload: [
        { payload: { a: 1 }, weight: 1 },
        { payload: 'b', weight: 2 },
      ],
    });
    assert.deepEqual(config.payload, {
      kind: 'weighted',
      entries: [
        { body: '{"a":1}', weight: 1 },
        { body: '"b"', weight: 2 },
      ],
    });
  });
  it('rejects a mix of weighted and plain entries (upstream sent the array whole)', () => {
    assert.match(
      rejectsWith({ payload: [{ payload: {}, weight: 1 }, { payload: {} }] }, 'payload'),
      /both keys/,
    );
  });
  it('rejects bad weights', () => {
    assert.match(rejectsWith({ payload: [{ payload: {}, weight: 0 }] }, 'payload'), /greater than 0/);
    rejectsWith({ payload: [{ payload: {}, weight: '1' }] }, 'payload');
  });
  it('rejects more weighted payloads than num ("N payloads but num is M")', () => {
    const payload = Array.from({ length: 11 }, (_, i) => ({ payload: i, weight: 1 }));
    assert.match(rejectsWith({ payload }, 'payload'), /11 weighted payloads but num is 10/);
  });
  it('rejects inline payloads over 256 KB, pointing to payloadS3', () => {
    assert.match(rejectsWith({ payload: { big: 'x'.repeat(256 * 1024) } }, 'payload'), /payloadS3/);
  });
  it('accepts many weighted payloads with dryRun (only one invocation is made)', () => {
    const payload = Array.from({ length: 20 }, (_, i) => ({ payload: i, weight: 1 }));
    assert.equal(validateInput({ lambdaARN: 'fn', dryRun: true, payload }).payload.kind, 'weighted');
  });
});

describe('validateInput: payloadS3', () => {
  it('parses s3://bucket/key', () => {
    assert.deepEqual(valid({ payloadS3: 's3://my.bucket-1/dir/payload.json' }).payloadS3, {
      bucket: 'my.bucket-1',
      key: 'dir/payload.json',
      uri: 's3://my.bucket-1/dir/payload.json',
    });
  });
  it('rejects the §11.10 URIs and bad bucket names', () => {
    for (const payloadS3 of [
      '',
      '/',
      'bucket/key.json',
      '/bucket/key.json',
      '/key.json',
      'key.json',
      's3://bucket/',
      's3://key.json',
      's3://',
      's3://Bucket/key',
      's3://ab/key',
      's3://my..bucket/key',
      's3://192.168.1.1/key',
      's3://-bucket/key',
      42,
    ]) {
      rejectsWith({ payloadS3 }, 'payloadS3');
    }
  });
  it('rejects payload and payloadS3 together (upstream silently used S3)', () => {
    assert.match(rejectsWith({ payload: {}, payloadS3: 's3://bucket/key' }, 'payloadS3'), /not both/);
  });
});

describe('validateInput: booleans', () => {
  const flags = [
    'parallelInvocation',
    'autoOptimize',
    'dryRun',
    'disablePayloadLogs',
    'includeOutputResults',
    'onlyColdStarts',
  ];
  for (const flag of flags) {
    it(`${flag}: true/false accepted, "true", 1 and null rejected`, () => {
      assert.equal((valid({ [flag]: true }) as unknown as Record<string, unknown>)[flag], true);
      assert.equal((valid({ [flag]: false }) as unknown as Record<string, unknown>)[flag], false);
      assert.match(rejectsWith({ [flag]: 'true' }, flag), /without quotes/);
      rejectsWith({ [flag]: 1 }, flag);
      rejectsWith({ [flag]: null }, flag);
    });
  }
});

describe('validateInput: strategy and balancedWeight', () => {
  it('accepts the three strategies exactly', () => {
    for (const strategy of ['cost', 'speed', 'balanced'])
      assert.equal(valid({ strategy }).strategy, strategy);
  });
  it('rejects other spellings up front (upstream failed after all invocations)', () => {
    for (const strategy of ['foobar', 'Balanced', ' ', '-', '', null, 1])
      rejectsWith({ strategy }, 'strategy');
  });
  it('balancedWeight in [0,1], no silent clamping (upstream clamped 1.7 to 1)', () => {
    assert.equal(valid({ strategy: 'balanced', balancedWeight: 0 }).balancedWeight, 0);
    assert.equal(valid({ strategy: 'balanced', balancedWeight: 1 }).balancedWeight, 1);
    for (const balancedWeight of [1.7, -0.1, '1.7', 'half', '', null])
      rejectsWith({ balancedWeight }, 'balancedWeight');
    assert.match(
      rejectsWith({ balancedWeight: 'half' }, 'balancedWeight'),
      /got the string "half", which is not a number/,
    );
  });
  it('balancedWeight as a decimal string is read as its number, as the original did ("0.5" → 0.5)', () => {
    assert.equal(valid({ strategy: 'balanced', balancedWeight: '0.25' }).balancedWeight, 0.25);
    assert.equal(valid({ strategy: 'balanced', balancedWeight: '.5' }).balancedWeight, 0.5);
  });
  it('balancedWeight with another strategy is accepted and has no effect', () => {
    assert.equal(valid({ strategy: 'cost', balancedWeight: 0.9 }).balancedWeight, 0.9);
  });
});

describe('validateInput: discardTopBottom and sleepBetweenRunsMs', () => {
  it('discardTopBottom in [0, 0.4], forced to 0 with onlyColdStarts', () => {
    assert.equal(valid({ discardTopBottom: 0.4 }).discardTopBottom, 0.4);
    assert.equal(valid({ discardTopBottom: 0.3, onlyColdStarts: true }).discardTopBottom, 0);
    for (const discardTopBottom of [0.5, -0.1, '0.5', '20%', null])
      rejectsWith({ discardTopBottom }, 'discardTopBottom');
    assert.equal(valid({ discardTopBottom: '0.1' }).discardTopBottom, 0.1);
  });
  it('sleepBetweenRunsMs is an integer 0..900000', () => {
    assert.equal(valid({ sleepBetweenRunsMs: 500 }).sleepBetweenRunsMs, 500);
    for (const sleepBetweenRunsMs of [-1, 1.5, 900001, '1.5', '100ms'])
      rejectsWith({ sleepBetweenRunsMs }, 'sleepBetweenRunsMs');
    assert.equal(valid({ sleepBetweenRunsMs: '100' }).sleepBetweenRunsMs, 100);
  });
  it('a sleep with parallelInvocation is a conflict (it would be ignored)', () => {
    assert.match(
      rejectsWith({ sleepBetweenRunsMs: 100, parallelInvocation: true }, 'sleepBetweenRunsMs'),
      /no effect/,
    );
    assert.equal(valid({ sleepBetweenRunsMs: 0, parallelInvocation: true }).parallelInvocation, true);
  });
  it('a sleep caps num × powerValues at 2500', () => {
    assert.equal(valid({ num: 400, sleepBetweenRunsMs: 1 }).num, 400);
    assert.match(rejectsWith({ num: 500, sleepBetweenRunsMs: 1 }, 'sleepBetweenRunsMs'), /500 × 6 = 3000/);
  });
});

describe('validateInput: onlyColdStarts', () => {
  it('caps num × powerValues at 1000 (one version each)', () => {
    assert.equal(valid({ num: 166, onlyColdStarts: true }).num, 166);
    assert.match(rejectsWith({ num: 167, onlyColdStarts: true }, 'onlyColdStarts'), /167 × 6 = 1002/);
  });
});

describe('validateInput: autoOptimizeAlias', () => {
  it('accepts a valid alias with autoOptimize', () => {
    assert.equal(valid({ autoOptimize: true, autoOptimizeAlias: 'live' }).autoOptimizeAlias, 'live');
  });
  it('rejects bad alias names and an alias without autoOptimize', () => {
    for (const autoOptimizeAlias of ['', '123', 'a b', 'a'.repeat(129), 5]) {
      rejectsWith({ autoOptimize: true, autoOptimizeAlias }, 'autoOptimizeAlias');
    }
    assert.match(rejectsWith({ autoOptimizeAlias: 'live' }, 'autoOptimizeAlias'), /autoOptimize/);
  });
  it('refuses the names the tuner manages itself: its lock and its ptune-* aliases', () => {
    for (const autoOptimizeAlias of [
      'power-tuning-lock',
      'POWER-TUNING-LOCK',
      'ptune-1a2b3c4d-512',
      'ptune-live',
      'PTune-x',
    ]) {
      const message = rejectsWith({ autoOptimize: true, autoOptimizeAlias }, 'autoOptimizeAlias');
      assert.match(message, /manages itself/);
      assert.match(message, /not starting with "ptune-"/);
    }
    // Near misses are ordinary names.
    for (const autoOptimizeAlias of ['ptune', 'my-ptune-x', 'power-tuning-lock2']) {
      assert.equal(valid({ autoOptimize: true, autoOptimizeAlias }).autoOptimizeAlias, autoOptimizeAlias);
    }
  });
});

describe('validateInput: processors, allowedExceptions, maxParallelInvocations, visualizationURL, prices', () => {
  it('accepts processor names and qualified ARNs', () => {
    const config = valid({
      preProcessorARN: 'pre:live',
      postProcessorARN: 'arn:aws:lambda:eu-west-1:123456789012:function:post',
    });
    assert.equal(config.preProcessorARN, 'pre:live');
    assert.equal(config.postProcessorARN, 'arn:aws:lambda:eu-west-1:123456789012:function:post');
    for (const bad of ['', 'a b', 1]) {
      rejectsWith({ preProcessorARN: bad }, 'preProcessorARN');
      rejectsWith({ postProcessorARN: bad }, 'postProcessorARN');
    }
  });
  it('allowedExceptions: a list of non-empty strings', () => {
    assert.deepEqual(valid({ allowedExceptions: ['Handled'] }).allowedExceptions, ['Handled']);
    for (const allowedExceptions of ['Handled', [''], [1], null, Array(101).fill('x')]) {
      rejectsWith({ allowedExceptions }, 'allowedExceptions');
    }
  });
  it('maxParallelInvocations: integer 1..1000, default 10', () => {
    assert.equal(valid({ maxParallelInvocations: 1000 }).maxParallelInvocations, 1000);
    for (const maxParallelInvocations of [0, 1001, 2.5, '10'])
      rejectsWith({ maxParallelInvocations }, 'maxParallelInvocations');
    // Not a field of the original, so there is no old input with a string to stay compatible with.
    assert.match(
      rejectsWith({ maxParallelInvocations: '10' }, 'maxParallelInvocations'),
      /strings are not converted/,
    );
  });
  it('visualizationURL: http(s) only', () => {
    assert.equal(
      valid({ visualizationURL: 'http://localhost:8080/viz' }).visualizationURL,
      'http://localhost:8080/viz',
    );
    for (const visualizationURL of [
      'ftp://x/',
      'lambda-power-tuning.show',
      'https://',
      'javascript:alert(1)',
      7,
    ]) {
      rejectsWith({ visualizationURL }, 'visualizationURL');
    }
  });
  it('prices: perGbSecond > 0, perRequest >= 0, no other keys', () => {
    assert.deepEqual(valid({ prices: { perGbSecond: 1e-5, perRequest: 0 } }).prices, {
      perGbSecond: 1e-5,
      perRequest: 0,
    });
    for (const prices of [
      { perGbSecond: 0 },
      { perRequest: -1 },
      { perGBSecond: 1 },
      [],
      'cheap',
      { perGbSecond: '1' },
    ]) {
      rejectsWith({ prices }, 'prices');
    }
  });
});

describe('configToInput', () => {
  it('round-trips a rich config', () => {
    const config = valid({
      payload: [
        { payload: { a: 1 }, weight: 1 },
        { payload: 'b', weight: 2 },
      ],
      powerValues: [512, 128],
      strategy: 'balanced',
      balancedWeight: 0.3,
      autoOptimize: true,
      autoOptimizeAlias: 'live',
      preProcessorARN: 'pre',
      prices: { perRequest: 0 },
    });
    assert.deepEqual(validateInput(configToInput(config)), config);
  });

  it('lists only accepted keys', () => {
    const input = configToInput(valid({ payloadS3: 's3://bucket/key' }));
    for (const key of Object.keys(input)) assert.ok((ACCEPTED_KEYS as readonly string[]).includes(key), key);
    assert.equal(input.payloadS3, 's3://bucket/key');
    assert.equal('payload' in input, false);
  });
});

describe('validateInput: coldStartRate and coldInvocations', () => {
  it('defaults coldInvocations to 5 with a rate, and takes 2..100', () => {
    assert.equal(valid({ coldStartRate: 0.1 }).coldInvocations, 5);
    assert.equal(valid({ coldStartRate: 0.1, coldInvocations: 20 }).coldInvocations, 20);
    assert.equal(valid({}).coldInvocations, undefined);
    for (const coldInvocations of [1, 101, 2.5, '5'])
      rejectsWith({ coldStartRate: 0.1, coldInvocations }, 'coldInvocations');
  });
  it('refuses coldInvocations without a rate, and more versions than the limit', () => {
    assert.match(rejectsWith({ coldInvocations: 10 }, 'coldInvocations'), /without coldStartRate/);
    assert.match(
      rejectsWith(
        {
          coldStartRate: 0.5,
          coldInvocations: 100,
          powerValues: [128, 256, 512, 1024, 1536, 2048, 3008, 4096, 6144, 10240, 640],
        },
        'coldStartRate',
      ),
      /100 per size × 11 powerValues is more than 1000/,
    );
  });
});
