import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_VISUALIZATION_URL,
  decodeVisualizationHash,
  visualizationUrl,
} from '../../domain/visualization.js';

const POINTS = [
  { power: 1, duration: 2, cost: 3 },
  { power: 2, duration: 2, cost: 2 },
  { power: 3, duration: 1, cost: 2 },
];

describe('visualizationUrl (§11.6)', () => {
  it('encodes powers Int16 LE, durations and costs Float32 LE, base64 with padding', () => {
    assert.equal(
      visualizationUrl(POINTS, 'https://prefix/'),
      'https://prefix/#AQACAAMA;AAAAQAAAAEAAAIA/;AABAQAAAAEAAAABA',
    );
  });

  it('sorts by power first', () => {
    assert.equal(
      visualizationUrl([...POINTS].reverse(), 'https://prefix/'),
      visualizationUrl(POINTS, 'https://prefix/'),
    );
  });

  it('adds ?currency=CNY for China-region results', () => {
    assert.equal(
      visualizationUrl(POINTS, 'https://prefix/', 'CNY'),
      'https://prefix/?currency=CNY#AQACAAMA;AAAAQAAAAEAAAIA/;AABAQAAAAEAAAABA',
    );
    assert.ok(
      visualizationUrl(POINTS, 'https://prefix/?a=1', 'CNY').startsWith('https://prefix/?a=1&currency=CNY#'),
    );
  });

  it('defaults to https://lambda-power-tuning.show/', () => {
    assert.ok(visualizationUrl(POINTS).startsWith(`${DEFAULT_VISUALIZATION_URL}#`));
  });

  it('decodes the README hash to the default powers', () => {
    assert.deepEqual(decodeVisualizationHash('gAAAAQACAAQABsAL;').powers, [128, 256, 512, 1024, 1536, 3008]);
  });

  it('round-trips through decodeVisualizationHash (Float32 precision)', () => {
    const url = visualizationUrl([{ power: 10240, duration: 12.5, cost: 0.25 }]);
    const decoded = decodeVisualizationHash(url.slice(url.indexOf('#')));
    assert.deepEqual(decoded, { powers: [10240], durations: [12.5], costs: [0.25] });
  });
});
