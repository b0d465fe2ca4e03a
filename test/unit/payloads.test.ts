import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InputError } from '../../domain/errors.js';
import {
  allocateWeighted,
  convertPayload,
  interleave,
  isWeightedPayload,
  payloadForInvocation,
  payloadSchedule,
  payloadShape,
  payloadSpecFromValue,
  payloadsForBatch,
  readPayload,
} from '../../domain/payloads.js';
import type { PayloadSpec } from '../../domain/types.js';

describe('convertPayload (§11.7)', () => {
  it('JSON-stringifies strings that are not JSON', () => {
    assert.equal(convertPayload('test'), '"test"');
    assert.equal(convertPayload(''), '""');
    assert.equal(convertPayload(' '), '" "');
  });

  it('passes JSON strings through unchanged', () => {
    for (const text of ['{"test": true}', '[]', 'true', 'null', '5'])
      assert.equal(convertPayload(text), text);
  });

  it('keeps undefined, serialises null, objects and arrays', () => {
    assert.equal(convertPayload(undefined), undefined);
    assert.equal(convertPayload(null), 'null');
    assert.equal(convertPayload({ test: true }), '{"test":true}');
    assert.equal(convertPayload([1, 2, 3]), '[1,2,3]');
  });
});

describe('weighted form detection', () => {
  it('is weighted only when every entry has both payload and weight', () => {
    assert.equal(isWeightedPayload([{ payload: {}, weight: 1 }]), true);
    assert.equal(
      isWeightedPayload([
        { payload: null, weight: 2 },
        { payload: 'x', weight: 1 },
      ]),
      true,
    );
  });

  it('treats the §11.8 non-weighted arrays as plain payloads, except the mixed one', () => {
    for (const value of [
      [],
      [{}],
      [1, 2, 3],
      [{ weight: 1 }],
      [{ payload: {} }],
      { payload: {}, weight: 1 },
    ]) {
      assert.equal(payloadShape(value), 'plain', JSON.stringify(value));
    }
  });

  it('flags the upstream quirk [{payload,weight},{payload}] as mixed (upstream sent it whole)', () => {
    assert.equal(payloadShape([{ payload: {}, weight: 1 }, { payload: {} }]), 'mixed');
    assert.throws(
      () => readPayload([{ payload: {}, weight: 1 }, { payload: {} }]),
      (e: unknown) =>
        e instanceof InputError &&
        e.field === 'payload' &&
        /entry 0 has .* but entry 1 does not/.test(e.message),
    );
  });

  it('rejects weights that are not finite numbers > 0 (upstream silently sent them whole)', () => {
    for (const weight of [0, -1, '2', null, true, {}]) {
      assert.throws(
        () =>
          readPayload([
            { payload: 1, weight: 1 },
            { payload: 2, weight },
          ]),
        /Invalid input "payload": entry 1 has weight/,
        String(weight),
      );
    }
  });

  it('converts every weighted entry', () => {
    assert.deepEqual(
      readPayload([
        { payload: { a: 1 }, weight: 2 },
        { payload: 'x', weight: 0.5 },
      ]),
      {
        kind: 'weighted',
        entries: [
          { body: '{"a":1}', weight: 2 },
          { body: '"x"', weight: 0.5 },
        ],
      },
    );
  });
});

describe('allocateWeighted (largest remainder)', () => {
  const cases: [number[], number, number[]][] = [
    [[10, 30, 60], 10, [1, 3, 6]],
    [[5, 15, 30], 100, [10, 30, 60]],
    [[1, 1, 1], 10, [4, 3, 3]], // upstream 3/3/4: the last absorbed the remainder
    [[1, 1], 100, [50, 50]],
    [[1, 1, 1], 100, [34, 33, 33]], // upstream 33/33/34
    [[1, 1, 1], 20, [7, 7, 6]], // upstream 6/6/8
    [[1], 10, [10]],
    [[1, 1, 1, 1], 23, [6, 6, 6, 5]], // upstream 5/5/5/8 (§12.8)
    [[1, 1, 1, 1, 1], 54, [11, 11, 11, 11, 10]], // upstream 10×4 then 14
    [[1, 2, 3], 7, [1, 2, 4]],
  ];
  for (const [weights, num, expected] of cases) {
    it(`weights ${weights.join('/')} with num ${num} → ${expected.join('/')}`, () => {
      assert.deepEqual(allocateWeighted(weights, num), expected);
    });
  }

  it('num 30 over 26 equal payloads: 2 each for the first 4, then 1 (upstream gave the last one 5)', () => {
    const counts = allocateWeighted(Array(26).fill(1), 30);
    assert.deepEqual(counts, [2, 2, 2, 2, ...Array(22).fill(1)]);
  });

  it('properties: sums to num, each within 1 of its exact share, largest remainders get the extras', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 5000 }),
        (weights, num) => {
          const counts = allocateWeighted(weights, num);
          const total = weights.reduce((a, b) => a + b, 0);
          assert.equal(
            counts.reduce((a, b) => a + b, 0),
            num,
          );
          const exact = weights.map((w) => (w * num) / total);
          counts.forEach((c, i) => {
            const share = exact[i] as number;
            assert.ok(c === Math.floor(share) || c === Math.floor(share) + 1, `count ${c} vs share ${share}`);
          });
          // Whoever got an extra has a remainder at least as large as anyone who did not.
          const rem = (i: number) => (exact[i] as number) - Math.floor(exact[i] as number);
          const got = counts.map((c, i) => c > Math.floor(exact[i] as number));
          for (let i = 0; i < counts.length; i++) {
            for (let j = 0; j < counts.length; j++) {
              if (got[i] && !got[j]) assert.ok(rem(i) >= rem(j) - 1e-9);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('interleave and payloadForInvocation', () => {
  it('spreads payloads evenly instead of contiguous blocks', () => {
    // Ideal positions (j + ½)/count: c at 1/12, 3/12…; b at 1/6, 3/6, 5/6; a at 1/2 (wins the tie with b).
    assert.deepEqual(interleave([1, 3, 6]), [2, 1, 2, 2, 0, 1, 2, 2, 1, 2]);
    assert.deepEqual(interleave([2, 2]), [0, 1, 0, 1]);
  });

  const spec: PayloadSpec = {
    kind: 'weighted',
    entries: [
      { body: '"a"', weight: 1 },
      { body: '"b"', weight: 3 },
      { body: '"c"', weight: 6 },
    ],
  };

  it('gives any batch the same payloads as the whole schedule', () => {
    const whole = payloadSchedule(spec, 10);
    assert.deepEqual(payloadsForBatch(spec, 10, 3, 4), whole.slice(3, 7));
    assert.equal(payloadForInvocation(spec, 10, 9), whole[9]);
  });

  it('returns the single body for every index', () => {
    const single: PayloadSpec = { kind: 'single', body: '{"x":1}' };
    assert.deepEqual(payloadSchedule(single, 3), ['{"x":1}', '{"x":1}', '{"x":1}']);
  });

  it('rejects an index outside the run', () => {
    assert.throws(() => payloadForInvocation(spec, 10, 10), /outside 0\.\.9/);
    assert.throws(() => payloadForInvocation(spec, 10, -1));
  });

  it('property: each payload is used exactly as often as its allocation, in any batch split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 50 }),
        (weights, num, batch) => {
          const s: PayloadSpec = {
            kind: 'weighted',
            entries: weights.map((weight, i) => ({ body: String(i), weight })),
          };
          const expected = allocateWeighted(weights, num);
          const seen: (string | undefined)[] = [];
          for (let start = 0; start < num; start += batch) {
            seen.push(...payloadsForBatch(s, num, start, Math.min(batch, num - start)));
          }
          const counts = weights.map((_, i) => seen.filter((b) => b === String(i)).length);
          assert.deepEqual(counts, expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: a payload never waits much longer than its fair gap', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 2, maxLength: 5 }), (counts) => {
        const order = interleave(counts);
        const num = order.length;
        counts.forEach((count, entry) => {
          const positions = order.flatMap((e, i) => (e === entry ? [i] : []));
          assert.equal(positions.length, count);
          // The first use comes within the first num/count (+ number of entries) slots.
          assert.ok((positions[0] as number) < num / count + counts.length);
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('payloadSpecFromValue (payloadS3 objects)', () => {
  it('applies the weighted rules with the given field name and no 256 KB limit', () => {
    const big = 'x'.repeat(300 * 1024);
    assert.equal(payloadSpecFromValue({ big }, 10).kind, 'single');
    assert.throws(
      () => payloadSpecFromValue([{ payload: 1, weight: 1 }, { payload: 2 }], 10),
      /Invalid input "payloadS3"/,
    );
  });

  it('rejects more weighted payloads than num ("N payloads but num is M")', () => {
    const entries = Array.from({ length: 10 }, (_, i) => ({ payload: i, weight: 1 }));
    assert.throws(() => payloadSpecFromValue(entries, 9), /10 weighted payloads but num is 9/);
  });

  it('rejects weights that leave a payload without any invocation (upstream: "num is too small")', () => {
    assert.throws(
      () =>
        payloadSpecFromValue(
          [
            { payload: 1, weight: 1 },
            { payload: 2, weight: 1000 },
          ],
          5,
        ),
      /entry 0 no invocation/,
    );
  });

  it('does not check counts for a dry run (num 1: only the first scheduled payload is sent)', () => {
    const entries = Array.from({ length: 10 }, (_, i) => ({ payload: i, weight: 1 }));
    assert.equal(payloadSpecFromValue(entries, 1).kind, 'weighted');
  });
});
