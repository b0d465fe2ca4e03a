import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Strategy } from '../../domain/types.js';
import { balancedScore, chooseOptimal, type Candidate } from '../../domain/strategies.js';

const set = (rows: [number, number, number][]): Candidate[] =>
  rows.map(([power, averagePrice, averageDuration]) => ({ power, averagePrice, averageDuration }));

const COST_SET = set([
  [128, 100, 100],
  [256, 200, 300],
  [512, 30, 200],
]);
const SPEED_SET = set([
  [128, 100, 300],
  [256, 200, 200],
  [512, 300, 100],
]);

describe('chooseOptimal (§11.5)', () => {
  it('cost picks the cheapest', () => {
    assert.equal(chooseOptimal(COST_SET, 'cost').power, 512);
  });

  it('speed picks the fastest', () => {
    assert.equal(chooseOptimal(SPEED_SET, 'speed').power, 512);
  });

  it('speed tie → cheaper', () => {
    const tie = set([
      [128, 100, 200],
      [256, 90, 200],
      [512, 300, 400],
    ]);
    assert.equal(chooseOptimal(tie, 'speed').power, 256);
  });

  it('balanced w=1 behaves like cost, w=0 like speed', () => {
    assert.equal(chooseOptimal(COST_SET, 'balanced', 1).power, 512);
    assert.equal(chooseOptimal(SPEED_SET, 'balanced', 0).power, 512);
  });

  it('balanced 0.5: scores 0.6683 / 0.6667 / 0.6683 → 256', () => {
    const rows = set([
      [128, 101, 300],
      [256, 200, 200],
      [512, 300, 101],
    ]);
    const scores = rows.map((c) => balancedScore(c, 300, 300, 0.5));
    assert.deepEqual(
      scores.map((s) => s.toFixed(4)),
      ['0.6683', '0.6667', '0.6683'],
    );
    assert.equal(chooseOptimal(rows, 'balanced', 0.5).power, 256);
  });

  it('rejects unknown strategies ("foobar", "Balanced", " ", "-")', () => {
    for (const s of ['foobar', 'Balanced', ' ', '-']) {
      assert.throws(() => chooseOptimal(COST_SET, s as Strategy), /Unknown strategy/);
    }
  });
});

describe('deterministic tie-breaks (fixes §12.9)', () => {
  it('cost tie → faster, then lower power (#60)', () => {
    assert.equal(
      chooseOptimal(
        set([
          [256, 10, 50],
          [128, 10, 80],
        ]),
        'cost',
      ).power,
      256,
    );
    assert.equal(
      chooseOptimal(
        set([
          [512, 10, 50],
          [256, 10, 50],
        ]),
        'cost',
      ).power,
      256,
    );
  });

  it('speed full tie → lower power', () => {
    assert.equal(
      chooseOptimal(
        set([
          [1024, 10, 50],
          [512, 10, 50],
        ]),
        'speed',
      ).power,
      512,
    );
  });

  it('balanced tie → cheaper, then lower power, whatever the input order', () => {
    // Equal scores: 0.5·(1/2)+0.5·(2/2) = 0.75 and 0.5·(2/2)+0.5·(1/2) = 0.75.
    const rows = set([
      [256, 2, 1],
      [128, 1, 2],
    ]);
    assert.equal(chooseOptimal(rows, 'balanced', 0.5).power, 128);
    assert.equal(chooseOptimal([...rows].reverse(), 'balanced', 0.5).power, 128);
  });

  it('balanced guards a zero maximum cost (upstream divided by zero)', () => {
    const rows = set([
      [128, 0, 300],
      [256, 0, 100],
    ]);
    assert.equal(chooseOptimal(rows, 'balanced', 0.5).power, 256);
    assert.ok(Number.isFinite(balancedScore(rows[0] as Candidate, 0, 0, 0.5)));
  });

  it('throws on an empty list', () => {
    assert.throws(() => chooseOptimal([], 'cost'), /at least one candidate/);
  });
});
