/**
 * A small seeded PRNG for simulations in tests (never in domain/): the same seed gives the same
 * stream on every machine, so a coverage figure is reproducible to the last digit.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
}

/** mulberry32: a 32-bit state advanced by a Weyl step, then mixed; plenty for Monte Carlo tests. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export function createRng(seed: number): Rng {
  const uniform = mulberry32(seed);
  let spare: number | undefined;
  return {
    uniform,
    // Box–Muller gives two independent normals per pair of uniforms; the second is kept.
    normal() {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return z;
      }
      const u = 1 - uniform(); // (0, 1]: the logarithm stays finite
      const radius = Math.sqrt(-2 * Math.log(u));
      const angle = 2 * Math.PI * uniform();
      spare = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
  };
}

/** Multiplicative noise as on Lambda: base · e^(σZ), and with probability `outlierRate` × `outlierFactor`. */
export interface NoiseModel {
  base: number;
  sigma: number;
  outlierRate: number;
  outlierFactor: number;
}

export function simulateDurations(rng: Rng, model: NoiseModel, n: number): number[] {
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const slow = rng.uniform() < model.outlierRate ? model.outlierFactor : 1;
    values.push(model.base * Math.exp(model.sigma * rng.normal()) * slow);
  }
  return values;
}

/** `n` lognormal values with the given median: median · e^(σZ), no outliers. */
export function lognormalSample(seed: number, median: number, sigma: number, n: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => median * Math.exp(sigma * rng.normal()));
}
