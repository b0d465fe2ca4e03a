import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  UnsupportedArchitectureError,
  invocationCost,
  lambdaPrice,
  upstreamBaseCostForRegion,
  upstreamComputePrice,
  upstreamComputeTotalCost,
  upstreamLambdaBaseCost,
} from '../../domain/pricing.js';

const close = (a: number, b: number, tolerance = 1e-15) =>
  assert.ok(Math.abs(a - b) <= tolerance, `${a} ≉ ${b}`);

describe('the original formulas (§11.4)', () => {
  it('computePrice(2.1e-9, 128, 1024, 300) = 5.04e-6', () => {
    close(upstreamComputePrice(2.1e-9, 128, 1024, 300), 5.04e-6);
  });

  it('computeTotalCost over [100,150,200,300,400] = 1.932e-5; [] → 0', () => {
    close(upstreamComputeTotalCost(2.1e-9, 128, 1024, [100, 150, 200, 300, 400]), 1.932e-5);
    assert.equal(upstreamComputeTotalCost(2.1e-9, 128, 1024, []), 0);
  });

  it('10 invocations × 1 ms at 128 MB: 2.1e-8 by default, 2.8e-8 in af-south-1', () => {
    const ten = Array(10).fill(1);
    close(upstreamComputeTotalCost(upstreamLambdaBaseCost('eu-west-1', 'x86_64'), 128, 128, ten), 2.1e-8);
    close(upstreamComputeTotalCost(upstreamLambdaBaseCost('af-south-1', 'x86_64'), 128, 128, ten), 2.8e-8);
  });

  it('lambdaBaseCost: x86_64 2.1e-9, arm64 1.7e-9, invalid_arch throws', () => {
    assert.equal(upstreamLambdaBaseCost('eu-west-1', 'x86_64'), 2.1e-9);
    assert.equal(upstreamLambdaBaseCost('eu-west-1', 'arm64'), 1.7e-9);
    assert.throws(() => upstreamLambdaBaseCost('eu-west-1', 'invalid_arch'), UnsupportedArchitectureError);
  });

  it('baseCostForRegion picks the region or the default', () => {
    const table = { 'ap-east-1': 2.865e-7, default: 2.083e-7 };
    assert.equal(upstreamBaseCostForRegion(table, 'ap-east-1'), 2.865e-7);
    assert.equal(upstreamBaseCostForRegion(table, 'eu-west-1'), 2.083e-7);
  });
});

describe('lambdaPrice (ours)', () => {
  it('uses AWS first-tier prices per GB-second and the request fee', () => {
    assert.deepEqual(lambdaPrice('eu-west-1', 'x86_64'), {
      perGbSecond: 0.0000166667,
      perRequest: 2e-7,
      currency: 'USD',
      source: 'built-in',
    });
    assert.equal(lambdaPrice('us-east-1', 'arm64').perGbSecond, 0.0000133334);
  });

  it('keeps the original regional x86_64 exceptions, converted to per GB-second', () => {
    close(lambdaPrice('af-south-1', 'x86_64').perGbSecond, 2.24e-5, 1e-12);
    close(lambdaPrice('ap-east-1', 'x86_64').perGbSecond, 2.32e-5, 1e-12);
  });

  it('prices China regions in CNY, arm64 included (upstream used USD for arm64 there)', () => {
    const x86 = lambdaPrice('cn-north-1', 'x86_64');
    const arm = lambdaPrice('cn-northwest-1', 'arm64');
    assert.equal(x86.currency, 'CNY');
    assert.equal(arm.currency, 'CNY');
    close(x86.perGbSecond, 1.136e-4, 1e-12);
    assert.ok(arm.perGbSecond < x86.perGbSecond);
  });

  it('applies overrides, partly or fully', () => {
    assert.deepEqual(lambdaPrice('eu-west-1', 'x86_64', { perGbSecond: 1, perRequest: 0 }), {
      perGbSecond: 1,
      perRequest: 0,
      currency: 'USD',
      source: 'override',
    });
    assert.equal(lambdaPrice('eu-west-1', 'x86_64', { perRequest: 0 }).source, 'built-in+override');
  });

  it('throws a clear error for an unsupported architecture', () => {
    assert.throws(
      () => lambdaPrice('eu-west-1', 'mips'),
      /Unsupported architecture: "mips"\. Supported: x86_64, arm64\./,
    );
  });
});

describe('invocationCost', () => {
  it('is billed GB-seconds × price + request fee', () => {
    // 1000 ms at 1024 MB = 1 GB-s.
    close(invocationCost(1000, 1024, { perGbSecond: 0.0000166667, perRequest: 2e-7 }), 0.0000168667);
    close(invocationCost(300, 1024, { perGbSecond: 2.1e-9 * 8000, perRequest: 0 }), 5.04e-6);
    assert.equal(invocationCost(0, 128, { perGbSecond: 1, perRequest: 2e-7 }), 2e-7);
  });
});
