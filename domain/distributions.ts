/**
 * The few probability distributions the intervals need: standard normal, Student's t and the
 * binomial CDF, built on the regularized incomplete gamma and beta functions. Pure and
 * deterministic (plain arithmetic and Math.log/exp), accurate to ~1e-10 in the ranges used.
 */

/** Relative precision at which the series and continued fractions stop. */
const EPS = 1e-15;
/** Keeps Lentz's continued-fraction evaluation away from division by zero. */
const TINY = 1e-300;
/** Far more than any argument here needs (~√(largest shape parameter) terms); a guard only. */
const MAX_TERMS = 100_000;

/**
 * ln Γ(x) for x > 0: shift x up to ≥ 10 with Γ(x+1) = x·Γ(x), then Stirling's series with five
 * Bernoulli terms (stirlingSeries), whose first omitted term is below 2e-14 there.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  let z = x;
  let shift = 0;
  while (z < 10) {
    shift += Math.log(z);
    z += 1;
  }
  return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + stirlingSeries(z) - shift;
}

/** Stirling's correction Σ B_2k / (2k(2k−1)·z^(2k−1)), k = 1..5; for z ≥ 10. */
function stirlingSeries(z: number): number {
  const r = 1 / z;
  const r2 = r * r;
  return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 / 1188))));
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). When the larger argument is big, ln Γ(a + b) and
 * ln Γ(a) nearly cancel (both ~ a·ln a), so their difference is taken inside Stirling's formula.
 */
function logBeta(a: number, b: number): number {
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (big < 10) return logGamma(a) + logGamma(b) - logGamma(a + b);
  // ln Γ(big + small) − ln Γ(big), with (big+small−½)·ln(big+small) − (big−½)·ln(big) rewritten.
  const ratio =
    (big - 0.5) * Math.log1p(small / big) +
    small * Math.log(big + small) -
    small +
    stirlingSeries(big + small) -
    stirlingSeries(big);
  return logGamma(small) - ratio;
}

/**
 * Regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x), each computed
 * directly where it is small, so tail probabilities keep their relative precision.
 */
export function regularizedGamma(a: number, x: number): { p: number; q: number } {
  if (x <= 0) return { p: 0, q: 1 };
  const front = Math.exp(a * Math.log(x) - x - logGamma(a));
  if (x < a + 1) {
    // Power series for P: converges fast below the mean.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_TERMS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    const p = Math.min(1, front * sum);
    return { p, q: 1 - p };
  }
  // Continued fraction for Q (modified Lentz): converges fast above the mean.
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < EPS) break;
  }
  const q = Math.min(1, front * h);
  return { p: 1 - q, q };
}

/** The continued fraction of I_x(a, b), evaluated by the modified Lentz method; y = 1 − x. */
function betaFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let f = d;
  for (let m = 1; m < MAX_TERMS; m++) {
    // Even and odd terms alternate; each pair is one step of the recurrence.
    for (const coefficient of [
      (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)),
      (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1)),
    ]) {
      d = 1 + coefficient * d;
      if (Math.abs(d) < TINY) d = TINY;
      c = 1 + coefficient / c;
      if (Math.abs(c) < TINY) c = TINY;
      d = 1 / d;
      f *= d * c;
      if (Math.abs(d * c - 1) < EPS) return f;
    }
  }
  return f;
}

/**
 * Regularized incomplete beta I_x(a, b) and its complement 1 − I_x(a, b). Pass y = 1 − x when it
 * is known more precisely than the subtraction would give (x close to 1).
 */
export function regularizedBeta(x: number, a: number, b: number, y = 1 - x): { p: number; q: number } {
  if (x <= 0) return { p: 0, q: 1 };
  if (y <= 0) return { p: 1, q: 0 };
  // log1p of the smaller of x and y: a·ln x must stay precise when a is large and x near 1.
  const logX = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const logY = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  const logFront = a * logX + b * logY - logBeta(a, b);
  // The fraction converges fast below the distribution's mean; above it, use the mirror image.
  if (x < (a + 1) / (a + b + 2)) {
    const p = Math.min(1, (Math.exp(logFront) * betaFraction(a, b, x)) / a);
    return { p, q: 1 - p };
  }
  const q = Math.min(1, (Math.exp(logFront) * betaFraction(b, a, y)) / b);
  return { p: 1 - q, q };
}

/** P(Z > z) for a standard normal Z, precise in the far tail. */
export function normalUpperTail(z: number): number {
  const half = 0.5 * regularizedGamma(0.5, (z * z) / 2).q;
  return z >= 0 ? half : 1 - half;
}

/** Φ(z) = P(Z ≤ z). */
export function normalCdf(z: number): number {
  return normalUpperTail(-z);
}

function normalDensity(z: number): number {
  return Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
}

function checkDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
}

/**
 * Beyond this many degrees of freedom the incomplete beta loses digits (its continued fraction
 * subtracts numbers within ~1/df of each other), so the t distribution is taken from the normal
 * with the first term of its 1/df expansion; the omitted terms are O(1/df²), below 1e-12.
 */
const LARGE_DF = 1e6;

/** P(T > t) for Student's t with df degrees of freedom (df = Infinity is the normal). */
export function studentTUpperTail(t: number, df: number): number {
  checkDf(df);
  if (df === Infinity) return normalUpperTail(t);
  if (df > LARGE_DF) return normalUpperTail(t) + (normalDensity(t) * (t * t * t + t)) / (4 * df);
  const t2 = t * t;
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2); the complement is passed exactly.
  const bothTails = regularizedBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2)).p;
  return t >= 0 ? bothTails / 2 : 1 - bothTails / 2;
}

/** P(T ≤ t). */
export function studentTCdf(t: number, df: number): number {
  return studentTUpperTail(-t, df);
}

function studentTDensity(t: number, df: number): number {
  const logDensity =
    logGamma((df + 1) / 2) -
    logGamma(df / 2) -
    0.5 * Math.log(df * Math.PI) -
    ((df + 1) / 2) * Math.log1p((t * t) / df);
  return Math.exp(logDensity);
}

/**
 * The x > 0 where a decreasing upper tail equals target (0 < target < 1/2), from a guess: Newton
 * steps, falling back to doubling or bisection whenever a step would leave the bracket known so
 * far, so it always converges.
 */
function solveUpperTail(
  tail: (x: number) => number,
  density: (x: number) => number,
  target: number,
  guess: number,
): number {
  let lo = 0;
  let hi = Infinity;
  let x = guess > 0 && Number.isFinite(guess) ? guess : 1;
  for (let i = 0; i < 500; i++) {
    const excess = tail(x) - target;
    if (excess === 0) return x;
    if (excess > 0) lo = x;
    else hi = x;
    let next = x + excess / density(x);
    if (!(next > lo && next < hi)) next = hi === Infinity ? 2 * x : (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * x) return next;
    x = next;
  }
  return x;
}

function checkProbability(p: number): void {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
}

/** z with Φ(z) = p, 0 < p < 1. */
export function normalQuantile(p: number): number {
  checkProbability(p);
  if (p === 0.5) return 0;
  const tail = p > 0.5 ? 1 - p : p;
  // √(−2 ln tail) is always above the answer (Q(z) < e^(−z²/2)), a safe start for Newton.
  const upper = solveUpperTail(normalUpperTail, normalDensity, tail, Math.sqrt(-2 * Math.log(tail)));
  return p > 0.5 ? upper : -upper;
}

/** t with P(T ≤ t) = p, 0 < p < 1, for df > 0 degrees of freedom (Infinity: normal). */
export function studentTQuantile(p: number, df: number): number {
  checkProbability(p);
  checkDf(df);
  if (df === Infinity) return normalQuantile(p);
  if (p === 0.5) return 0;
  // Cornish–Fisher: the normal quantile plus its first two 1/df corrections. Exact enough on its
  // own for large df; otherwise a starting point for Newton.
  const z = normalQuantile(p);
  const z2 = z * z;
  const expanded = z + (z * (z2 + 1)) / (4 * df) + (z * (5 * z2 * z2 + 16 * z2 + 3)) / (96 * df * df);
  if (df > LARGE_DF) return expanded;
  const upper = solveUpperTail(
    (t) => studentTUpperTail(t, df),
    (t) => studentTDensity(t, df),
    p > 0.5 ? 1 - p : p,
    Math.abs(expanded),
  );
  return p > 0.5 ? upper : -upper;
}

/** P(X ≤ k) for X ~ Binomial(n, p), n a whole number: I_{1−p}(n − k, k + 1). */
export function binomialCdf(k: number, n: number, p: number): number {
  const j = Math.floor(k);
  if (j < 0) return 0;
  if (j >= n) return 1;
  return regularizedBeta(1 - p, n - j, j + 1, p).p;
}

/** P(X > k), computed directly so a small upper tail keeps its precision. */
export function binomialSf(k: number, n: number, p: number): number {
  const j = Math.floor(k);
  if (j < 0) return 1;
  if (j >= n) return 0;
  return regularizedBeta(1 - p, n - j, j + 1, p).q;
}
