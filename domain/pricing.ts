/**
 * Lambda on-demand prices and the cost of one invocation.
 *
 * Built-in prices (source: the original tool's price table, lambda/utils.js at commit 262ecc2,
 * 2026-04-13, which follows aws.amazon.com/lambda/pricing; converted from its "USD per ms at
 * 128 MB" to "per GB-second" by × 1000 × 8). The default x86_64 and arm64 rates are AWS's
 * published first-tier prices (0.0000166667 and 0.0000133334 USD per GB-s). Tiered volume
 * discounts, ephemeral storage and the free tier are not modelled: pass `prices` to override.
 */
import type { Architecture, PriceOverrides } from './types.js';

export type Currency = 'USD' | 'CNY';

export interface LambdaPrice {
  perGbSecond: number;
  perRequest: number;
  currency: Currency;
  /** Where the figures come from: the built-in table, the overrides, or both. */
  source: 'built-in' | 'override' | 'built-in+override';
}

export class UnsupportedArchitectureError extends Error {
  constructor(architecture: string) {
    super(`Unsupported architecture: "${architecture}". Supported: x86_64, arm64.`);
    this.name = 'UnsupportedArchitectureError';
  }
}

const X86_DEFAULT = 0.0000166667;
const ARM_DEFAULT = 0.0000133334;
/** 0.20 USD per million requests. */
const REQUEST_USD = 2e-7;

/** x86_64 regional exceptions from the original's table (its per-ms rate × 8000). */
const X86_REGION_USD: Record<string, number> = {
  'ap-east-1': 2.9e-9 * 8000,
  'af-south-1': 2.8e-9 * 8000,
  'me-south-1': 2.6e-9 * 8000,
  'eu-south-1': 2.4e-9 * 8000,
  'ap-northeast-3': 2.7e-9 * 8000,
};

/**
 * China regions bill in CNY: x86_64 from the original (1.42e-8 CNY per ms at 128 MB); arm64
 * derived at 80% of x86_64, AWS's ratio everywhere else (the original priced arm64 in USD
 * there, a bug). Request fee 1.36 CNY per million (AWS China pricing page).
 */
const CN_X86 = 1.42e-8 * 8000;
const CN_ARM = CN_X86 * 0.8;
const CN_REQUEST = 1.36e-6;

export function currencyForRegion(region: string): Currency {
  return region.startsWith('cn-') ? 'CNY' : 'USD';
}

export function isSupportedArchitecture(value: string): value is Architecture {
  return value === 'x86_64' || value === 'arm64';
}

/** The price for a function's region and architecture, with any user overrides applied. */
export function lambdaPrice(
  region: string,
  architecture: string,
  overrides: PriceOverrides = {},
): LambdaPrice {
  if (!isSupportedArchitecture(architecture)) throw new UnsupportedArchitectureError(architecture);
  const currency = currencyForRegion(region);
  let perGbSecond: number;
  let perRequest: number;
  if (currency === 'CNY') {
    perGbSecond = architecture === 'arm64' ? CN_ARM : CN_X86;
    perRequest = CN_REQUEST;
  } else {
    perGbSecond = architecture === 'arm64' ? ARM_DEFAULT : (X86_REGION_USD[region] ?? X86_DEFAULT);
    perRequest = REQUEST_USD;
  }
  const overridden = [overrides.perGbSecond, overrides.perRequest].filter((v) => v !== undefined).length;
  return {
    perGbSecond: overrides.perGbSecond ?? perGbSecond,
    perRequest: overrides.perRequest ?? perRequest,
    currency,
    source: overridden === 0 ? 'built-in' : overridden === 2 ? 'override' : 'built-in+override',
  };
}

/** Cost of one invocation: billed GB-seconds × price, plus the request fee. */
export function invocationCost(
  billedMs: number,
  memoryMb: number,
  price: Pick<LambdaPrice, 'perGbSecond' | 'perRequest'>,
): number {
  return (billedMs / 1000) * (memoryMb / 1024) * price.perGbSecond + price.perRequest;
}

// ---- The original tool's formulas, kept to check its test vectors -------------------------
// Ours differs: exact per-GB-second prices instead of per-ms rates rounded up (2.1e-9 is
// 0.8% above the real x86_64 price), the request fee is included, and China arm64 is in CNY.

/** The original's "USD per ms at 128 MB" rate. */
export function upstreamLambdaBaseCost(region: string, architecture: string): number {
  if (architecture === 'x86_64') {
    const table: Record<string, number> = {
      'ap-east-1': 2.9e-9,
      'af-south-1': 2.8e-9,
      'me-south-1': 2.6e-9,
      'eu-south-1': 2.4e-9,
      'ap-northeast-3': 2.7e-9,
      'cn-north-1': 1.42e-8,
      'cn-northwest-1': 1.42e-8,
    };
    return table[region] ?? 2.1e-9;
  }
  if (architecture === 'arm64') return 1.7e-9;
  throw new UnsupportedArchitectureError(architecture);
}

/** The original's region lookup in a `{region: price, default: price}` table. */
export function upstreamBaseCostForRegion(table: Record<string, number>, region: string): number {
  const price = table[region] ?? table.default;
  if (price === undefined) throw new Error(`No price for region ${region} and no default`);
  return price;
}

/** ceil(duration) · baseCost · value/minRAM. */
export function upstreamComputePrice(
  baseCost: number,
  minRam: number,
  value: number,
  durationMs: number,
): number {
  return Math.ceil(durationMs) * baseCost * (value / minRam);
}

/** Σ computePrice over every duration. */
export function upstreamComputeTotalCost(
  baseCost: number,
  minRam: number,
  value: number,
  durationsMs: readonly number[],
): number {
  return durationsMs.reduce((sum, d) => sum + upstreamComputePrice(baseCost, minRam, value, d), 0);
}
