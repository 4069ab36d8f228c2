/** A number in at most `digits` significant digits; exponent form below 1e-3 and from 1e5; NaN and ±∞ spelled out. */
export function formatNumber(x: number, digits = 4): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "-∞";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e5) return x.toExponential(digits - 2).replace(/\.?0+e/, "e");
  return String(Number(x.toPrecision(digits)));
}

/**
 * `x` in at most `width` characters, never cut: fewer significant digits
 * first, then the exponent without its "+" (1.7e+246 → 1.7e246 → 2e246).
 */
export function fitNumber(x: number, width: number): string {
  const fits = (s: string) => s.length <= width && (!Number.isFinite(x) || Number.isFinite(Number(s)));
  for (let digits = 4; digits >= 2; digits--) {
    const s = formatNumber(x, digits);
    if (fits(s)) return s;
    const short = s.replace("e+", "e");
    if (fits(short)) return short;
  }
  // near the largest double rounding up overflows to Infinity: cut the mantissa instead
  const [mantissa, exponent] = x.toExponential(15).split("e") as [string, string];
  for (let k = 2; k >= 0; k--) {
    const s = `${mantissa.slice(0, mantissa.indexOf(".") + (k > 0 ? k + 1 : 0))}e${exponent.replace("+", "")}`;
    if (fits(s)) return s;
  }
  return `${mantissa.slice(0, mantissa.indexOf("."))}e${exponent.replace("+", "")}`;
}

/** A fraction as a percentage with one decimal: 0.9033 → "90.3%". */
export function formatPercent(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "-";
}

/** A fixed-width signed number for matrices: always `width` characters. */
export function formatCell(x: number, width = 8, decimals = 4): string {
  let s: string;
  if (Number.isNaN(x)) s = "NaN";
  else if (!Number.isFinite(x)) s = x > 0 ? "∞" : "-∞";
  else {
    const a = Math.abs(x);
    s = a !== 0 && (a < 1e-3 || a >= 1e4) ? x.toExponential(decimals > 4 ? decimals - 1 : 1) : x.toFixed(decimals);
    if (s.length > width) s = x.toExponential(Math.max(0, width - 7));
  }
  return s.padStart(width);
}

/** A progress bar of `width` cells for done/total. */
export function progressBar(done: number, total: number, width: number): string {
  const w = Math.max(1, width);
  const f = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const full = Math.floor(f * w);
  const eighths = Math.floor((f * w - full) * 8);
  const partial = full < w && eighths > 0 ? "▏▎▍▌▋▊▉"[eighths - 1]! : "";
  return "█".repeat(full) + partial + " ".repeat(w - full - (partial ? 1 : 0));
}
