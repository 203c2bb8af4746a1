/**
 * The Beta distribution arithmetic the personal pattern needs (science.md "A personal pattern",
 * JEFFREYS): the regularized incomplete beta, its inverse, and P(p1 > p2) for two independent
 * Beta posteriors. Written here rather than taken from npm: it is ~100 lines of textbook numerics
 * (Lentz's continued fraction, Lanczos' log-gamma), exact to ~1e-10 over the small counts a
 * runner has, deterministic (no sampling: the same history always gives the same words), and
 * pinned against hand-computed values in test/pattern/beta.test.ts; the statistics packages on
 * npm bring far more than this and none is already a dependency.
 */

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: ~15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = 0.99999999999980993;
  const t = z + 7.5;
  for (let i = 0; i < LANCZOS.length; i++) a += (LANCZOS[i] ?? 0) / (z + i + 1);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln B(a, b). */
export const logBeta = (a: number, b: number): number =>
  logGamma(a) + logGamma(b) - logGamma(a + b);

/** The continued fraction of I_x(a, b) (modified Lentz), valid for x < (a + 1) / (a + b + 2). */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-14) break;
  }
  return h;
}

/** The regularized incomplete beta I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b); a, b > 0. */
export function betaCdf(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
  // The fraction converges fast on this side of the mean; the symmetry I_x(a,b) = 1 − I_{1−x}(b,a)
  // covers the other.
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(x, a, b)) / a
    : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/**
 * The q-quantile of Beta(a, b), by bisection on {@link betaCdf} (monotone, so bisection always
 * converges; 60 halvings put it within 1e-18 of the answer, far below the whole percent shown).
 */
export function betaQuantile(q: number, a: number, b: number): number {
  if (q <= 0) return 0;
  if (q >= 1) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (betaCdf(mid, a, b) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Beta(a, b) parameters. */
export interface BetaParams {
  a: number;
  b: number;
}

/** Intervals of the Simpson rule below: the integrand is smooth, 400 keep errors under 1e-9. */
const STEPS = 400;
/** Mass of X left out at each end of the integration (below any digit shown). */
const TAIL = 1e-12;

/**
 * ∫ f_X(p) g(p) dp for X ~ Beta(a, b), by Simpson's rule after p = sin²θ: the substitution turns
 * the density's p^(a−1)(1−p)^(b−1) dp into 2 sin^(2a−1)θ cos^(2b−1)θ dθ, bounded for a, b ≥ ½
 * (the Jeffreys posteriors), so the rule needs no special care at 0 or 1. The rule spans X's
 * central 1 − 2·10⁻¹² only: with hundreds of runs the posterior is narrow, and the steps then
 * fall across it rather than across the whole of [0, 1].
 */
function expectOver(x: BetaParams, g: (p: number) => number): number {
  const lb = logBeta(x.a, x.b);
  const from = Math.asin(Math.sqrt(betaQuantile(TAIL, x.a, x.b)));
  const to = Math.asin(Math.sqrt(betaQuantile(1 - TAIL, x.a, x.b)));
  const h = (to - from) / STEPS;
  let sum = 0;
  for (let i = 0; i <= STEPS; i++) {
    const t = from + i * h;
    const s = Math.sin(t);
    const c = Math.cos(t);
    const w = i === 0 || i === STEPS ? 1 : i % 2 === 1 ? 4 : 2;
    const dens = 2 * Math.exp((2 * x.a - 1) * Math.log(s) + (2 * x.b - 1) * Math.log(c) - lb);
    sum += w * (Number.isFinite(dens) ? dens : 0) * g(s * s);
  }
  return (sum * h) / 3;
}

/**
 * P(X > Y) for independent X ~ Beta(x), Y ~ Beta(y): ∫ f_X(p) I_p(y) dp, integrated
 * deterministically (see {@link expectOver}); parameters ≥ ½.
 */
export function probGreater(x: BetaParams, y: BetaParams): number {
  return Math.min(
    1,
    Math.max(
      0,
      expectOver(x, (p) => betaCdf(p, y.a, y.b)),
    ),
  );
}

/** P(X − Y ≤ d) for independent X ~ Beta(x), Y ~ Beta(y). */
function differenceCdf(x: BetaParams, y: BetaParams, d: number): number {
  return expectOver(x, (p) => 1 - betaCdf(p - d, y.a, y.b));
}

/**
 * The equal-tailed interval (probability `level`) of X − Y, by bisection on its distribution
 * function: the "interval of the difference" science.md asks to be above zero.
 */
export function differenceInterval(
  x: BetaParams,
  y: BetaParams,
  level = 0.95,
): { low: number; high: number } {
  const tail = (1 - level) / 2;
  // 24 halvings of [−1, 1]: within 1.2e-7, far below the whole percent shown.
  const solve = (q: number): number => {
    let lo = -1;
    let hi = 1;
    for (let i = 0; i < 24; i++) {
      const mid = (lo + hi) / 2;
      if (differenceCdf(x, y, mid) < q) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  return { low: solve(tail), high: solve(1 - tail) };
}
