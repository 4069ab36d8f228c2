// Writes src/wasm-kernels.generated.ts: the WebAssembly module of core's fast
// inference kernels (dense layer, tanh), assembled from the text below with
// wabt. `node scripts/gen-wasm.mjs` rewrites it; `--check` fails when the
// committed file differs from a fresh build (core's tests run the check).
//
// The kernels do exactly the arithmetic of kernels.ts's denseForward and
// fast-math.ts's fastTanhInto, in the same order, two lanes at a time
// (f64x2): no fused multiply-add, no reassociation, so every result has the
// same bits as the JavaScript (test/wasm-forward.test.ts checks them).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

/** Byte offsets of the tables in the module's memory: 2^(j/64) − 1 (64 values), then 2^q for q = −1022..1023. */
export const EXPM1_AT = 0;
export const POW2_AT = 512;
/** Where the caller's buffers may start. */
export const FREE_AT = 512 + 2046 * 8;

const f = (v) => `(f64.const ${v})`;
const splat = (v) => `(f64x2.splat ${f(v)})`;

/**
 * dense: blocks of 4 rows × 4 columns (16 sums in 8 two-lane registers, each weight pair and input loaded once
 * per block), then a 2-column block, then an odd last column in scalar; the last n % 4 rows one at a time.
 */
function dense() {
  const colBlock = (rows, cols) => {
    const ks = Array.from({ length: rows }, (_, k) => k);
    const vs = Array.from({ length: cols / 2 }, (_, v) => v);
    const acc = (k, v) => `$a${k}_${v}`;
    const tag = `${rows}_${cols}`;
    return `
        (block $cols_done${tag} (loop $cols${tag}
          (br_if $cols_done${tag} (i32.gt_s (i32.add (local.get $j) (i32.const ${cols})) (local.get $nOut)))
          ${vs
            .map(
              (v) => `(local.set $bias${v} (if (result v128) (i32.lt_s (local.get $b) (i32.const 0))
            (then (v128.const f64x2 0 0))
            (else (v128.load offset=${16 * v} (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))))))`,
            )
            .join("\n          ")}
          ${ks.flatMap((k) => vs.map((v) => `(local.set ${acc(k, v)} (local.get $bias${v}))`)).join("\n          ")}
          (local.set $wp (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $ib (i32.const 0))
          (block $in_done${tag} (loop $in${tag}
            (br_if $in_done${tag} (i32.ge_s (local.get $ib) (local.get $inB)))
            ${vs.map((v) => `(local.set $w${v} (v128.load offset=${16 * v} (local.get $wp)))`).join("\n            ")}
            ${ks
              .map(
                (k) => `(local.set $xv (f64x2.splat (f64.load (i32.add (local.get $x${k}) (local.get $ib)))))
            ${vs.map((v) => `(local.set ${acc(k, v)} (f64x2.add (local.get ${acc(k, v)}) (f64x2.mul (local.get $xv) (local.get $w${v}))))`).join("\n            ")}`,
              )
              .join("\n            ")}
            (local.set $wp (i32.add (local.get $wp) (local.get $outB)))
            (local.set $ib (i32.add (local.get $ib) (i32.const 8)))
            (br $in${tag})))
          ${ks
            .flatMap((k) =>
              vs.map(
                (v) =>
                  `(v128.store offset=${16 * v} (i32.add (i32.add (local.get $zr) (i32.mul (i32.const ${k}) (local.get $outB))) (i32.shl (local.get $j) (i32.const 3))) (local.get ${acc(k, v)}))`,
              ),
            )
            .join("\n          ")}
          (local.set $j (i32.add (local.get $j) (i32.const ${cols})))
          (br $cols${tag})))`;
  };
  const rowBlock = (rows) => {
    const xs = Array.from({ length: rows }, (_, k) => k);
    return `
        ;; ${rows} row(s) from $r
        (local.set $x0 (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $inB))))
        ${xs.slice(1).map((k) => `(local.set $x${k} (i32.add (local.get $x${k - 1}) (local.get $inB)))`).join("\n        ")}
        (local.set $zr (i32.add (local.get $z) (i32.mul (local.get $r) (local.get $outB))))
        (local.set $j (i32.const 0))${colBlock(rows, 4)}${colBlock(rows, 2)}
        ;; an odd last column, one lane
        (if (i32.lt_s (local.get $j) (local.get $nOut)) (then
          ${xs
            .map(
              (k) => `(local.set $s (if (result f64) (i32.lt_s (local.get $b) (i32.const 0)) (then (f64.const 0)) (else (f64.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))))))
          (local.set $wp (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $ib (i32.const 0))
          (block $odd_done${rows}_${k} (loop $odd${rows}_${k}
            (br_if $odd_done${rows}_${k} (i32.ge_s (local.get $ib) (local.get $inB)))
            (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (i32.add (local.get $x${k}) (local.get $ib))) (f64.load (local.get $wp)))))
            (local.set $wp (i32.add (local.get $wp) (local.get $outB)))
            (local.set $ib (i32.add (local.get $ib) (i32.const 8)))
            (br $odd${rows}_${k})))
          (f64.store (i32.add (i32.add (local.get $zr) (i32.mul (i32.const ${k}) (local.get $outB))) (i32.shl (local.get $j) (i32.const 3))) (local.get $s))`,
            )
            .join("\n          ")}))`;
  };
  const accs = Array.from({ length: 4 }, (_, k) => `(local $a${k}_0 v128) (local $a${k}_1 v128)`).join(" ");
  return `
  ;; z[r, j] = b[j] + Σ_i x[r, i]·W[i, j], i ascending (byte offsets; b < 0: no bias, the sums start at 0)
  (func (export "dense") (param $z i32) (param $x i32) (param $w i32) (param $b i32) (param $n i32) (param $nIn i32) (param $nOut i32)
    (local $r i32) (local $j i32) (local $ib i32) (local $wp i32) (local $zr i32) (local $inB i32) (local $outB i32)
    (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32)
    (local $bias0 v128) (local $bias1 v128) (local $w0 v128) (local $w1 v128) (local $xv v128) ${accs} (local $s f64)
    (local.set $inB (i32.shl (local.get $nIn) (i32.const 3)))
    (local.set $outB (i32.shl (local.get $nOut) (i32.const 3)))
    (local.set $r (i32.const 0))
    (block $rows4_done (loop $rows4
      (br_if $rows4_done (i32.gt_s (i32.add (local.get $r) (i32.const 4)) (local.get $n)))
      ${rowBlock(4)}
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (br $rows4)))
    (block $rows1_done (loop $rows1
      (br_if $rows1_done (i32.ge_s (local.get $r) (local.get $n)))
      ${rowBlock(1)}
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows1))))`;
}

/**
 * tanh of two lanes per chain, `chains` chains interleaved step by step (independent work for the CPU to overlap,
 * as fast-math.ts's groups of four): the group formula with saturated values clamped to ±22 (where it gives ±1),
 * ±0 passed through as fastTanh does. The table lookups go lane by lane. Reads $z<k>, leaves the result in $o<k>.
 */
function tanhSteps(chains) {
  const ks = Array.from({ length: chains }, (_, k) => k);
  const step = (f) => ks.map(f).join("\n    ");
  const L = (name, k) => `(local.get $${name}${k})`;
  return [
    // x = z > 22 ? 22 : z < −22 ? −22 : z (NaN stays NaN)
    step((k) => `(local.set $x${k} (v128.bitselect ${splat(22)} (v128.bitselect ${splat(-22)} ${L("z", k)} (f64x2.lt ${L("z", k)} ${splat(-22)})) (f64x2.gt ${L("z", k)} ${splat(22)})))`),
    step((k) => `(local.set $y${k} (f64x2.add ${L("x", k)} ${L("x", k)}))`),
    step((k) => `(local.set $kd${k} (f64x2.sub (f64x2.add (f64x2.mul ${L("y", k)} ${splat("92.33248261689366")}) ${splat(6755399441055744)}) ${splat(6755399441055744)}))`),
    step((k) => `(local.set $r${k} (f64x2.sub (f64x2.sub ${L("y", k)} (f64x2.mul ${L("kd", k)} ${splat("0.01083042469326756")})) (f64x2.mul ${L("kd", k)} ${splat("2.9815858269852933e-12")})))`),
    step((k) => `(local.set $q${k} (f64x2.mul ${L("r", k)} ${L("r", k)}))`),
    step(
      (k) => `(local.set $p${k} (f64x2.add ${L("r", k)} (f64x2.mul ${L("q", k)}
      (f64x2.add (f64x2.add ${splat(0.5)} (f64x2.mul ${L("r", k)} ${splat("0.16666666666666666")}))
        (f64x2.mul ${L("q", k)} (f64x2.add (f64x2.add ${splat("0.041666666666666664")} (f64x2.mul ${L("r", k)} ${splat("0.008333333333333333")}))
          (f64x2.mul ${L("q", k)} ${splat("0.001388888888888889")})))))))`,
    ),
    // j = (kd | 0) + 32: kd is a whole number here, so truncation is exact
    step((k) => `(local.set $j${k} (i32x4.add (i32x4.trunc_sat_f64x2_s_zero ${L("kd", k)}) (v128.const i32x4 32 32 32 32)))`),
    step((k) => `(local.set $ja${k} (i32x4.extract_lane 0 ${L("j", k)}))
    (local.set $jb${k} (i32x4.extract_lane 1 ${L("j", k)}))`),
    step(
      (k) => `(local.set $t${k} (f64x2.replace_lane 1
      (f64x2.splat (f64.load offset=${EXPM1_AT} (i32.shl (i32.and ${L("ja", k)} (i32.const 63)) (i32.const 3))))
      (f64.load offset=${EXPM1_AT} (i32.shl (i32.and ${L("jb", k)} (i32.const 63)) (i32.const 3)))))
    (local.set $s${k} (f64x2.replace_lane 1
      (f64x2.splat (f64.load offset=${POW2_AT} (i32.shl (i32.add (i32.shr_s ${L("ja", k)} (i32.const 6)) (i32.const 1023)) (i32.const 3))))
      (f64.load offset=${POW2_AT} (i32.shl (i32.add (i32.shr_s ${L("jb", k)} (i32.const 6)) (i32.const 1023)) (i32.const 3)))))`,
    ),
    // e = s·(t + (p + t·p)) + (s − 1) = e^(2x) − 1; tanh = e / (e + 2); ±0 stays as it is
    step(
      (k) => `(local.set $e${k} (f64x2.add
      (f64x2.mul ${L("s", k)} (f64x2.add ${L("t", k)} (f64x2.add ${L("p", k)} (f64x2.mul ${L("t", k)} ${L("p", k)}))))
      (f64x2.sub ${L("s", k)} ${splat(1)})))`,
    ),
    step((k) => `(local.set $o${k} (v128.bitselect ${L("z", k)} (f64x2.div ${L("e", k)} (f64x2.add ${L("e", k)} ${splat(2)})) (f64x2.eq ${L("z", k)} ${splat(0)})))`),
  ].join("\n    ");
}

const CHAINS = 3;

function tanhLocals(chains) {
  const v = ["z", "x", "y", "kd", "r", "q", "p", "j", "t", "s", "e", "o"];
  return Array.from({ length: chains }, (_, k) => [...v.map((n) => `(local $${n}${k} v128)`), `(local $ja${k} i32) (local $jb${k} i32)`].join(" ")).join("\n    ");
}

function tanh() {
  const ks = Array.from({ length: CHAINS }, (_, k) => k);
  return `
  (func $tanh2 (param $z0 v128) (result v128)
    ${tanhLocals(1).replace("(local $z0 v128) ", "")}
    ${tanhSteps(1)}
    (local.get $o0))

  ;; out[i] = tanh(z[i]) for i < len (byte offsets): ${2 * CHAINS} values a step, then pairs, then an odd last value in lane 0
  (func (export "tanh") (param $out i32) (param $z i32) (param $len i32)
    (local $i i32) (local $end i32)
    ${tanhLocals(CHAINS)}
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (block $done (loop $groups
      (br_if $done (i32.gt_s (i32.add (local.get $i) (i32.const ${16 * CHAINS})) (local.get $end)))
      ${ks.map((k) => `(local.set $z${k} (v128.load offset=${16 * k} (i32.add (local.get $z) (local.get $i))))`).join("\n      ")}
    ${tanhSteps(CHAINS)}
      ${ks.map((k) => `(v128.store offset=${16 * k} (i32.add (local.get $out) (local.get $i)) (local.get $o${k}))`).join("\n      ")}
      (local.set $i (i32.add (local.get $i) (i32.const ${16 * CHAINS})))
      (br $groups)))
    (block $done2 (loop $pairs
      (br_if $done2 (i32.gt_s (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
      (v128.store (i32.add (local.get $out) (local.get $i)) (call $tanh2 (v128.load (i32.add (local.get $z) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $pairs)))
    (if (i32.lt_s (local.get $i) (local.get $end)) (then
      (f64.store (i32.add (local.get $out) (local.get $i))
        (f64x2.extract_lane 0 (call $tanh2 (f64x2.splat (f64.load (i32.add (local.get $z) (local.get $i))))))))))`;
}

export function wat() {
  return `(module
  (memory (export "memory") 1)${dense()}
${tanh()})
`;
}

export async function build() {
  const wabt = await wabtInit();
  const mod = wabt.parseWat("kernels.wat", wat(), { simd: true });
  mod.validate();
  const { buffer } = mod.toBinary({});
  mod.destroy();
  const base64 = Buffer.from(buffer).toString("base64");
  return `// Generated by scripts/gen-wasm.mjs from the WebAssembly text there: do not edit.
// The module of core's fast inference kernels (${buffer.length} bytes), as base64.
export const KERNELS_WASM = "${base64}";
export const EXPM1_AT = ${EXPM1_AT};
export const POW2_AT = ${POW2_AT};
export const FREE_AT = ${FREE_AT};
`;
}

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "src", "wasm-kernels.generated.ts");
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = await build();
  if (process.argv.includes("--check")) {
    if (readFileSync(target, "utf8") !== text) {
      console.error(`${target} is not what scripts/gen-wasm.mjs builds: run node scripts/gen-wasm.mjs`);
      process.exit(1);
    }
  } else writeFileSync(target, text);
}
