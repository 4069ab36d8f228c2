// Writes src/wasm-train-kernels.generated.ts: the WebAssembly module of core's
// training kernels (forward, loss gradient, backward, penalty, norms, clipping
// and the optimizer updates), assembled from the text below with the pinned
// wabt. `node scripts/gen-wasm-train.mjs` rewrites it; `--check` fails when
// the committed file differs from a fresh build (test/wasm-train.test.ts runs
// the check).
//
// Every kernel does exactly the arithmetic of the JavaScript it stands for
// (kernels.ts, activations.ts, fast-math.ts, loss.ts, regularization.ts,
// clip.ts, optimizers.ts) in the same order per output, two lanes at a time
// (f64x2) where outputs are independent: no fused multiply-add, no relaxed
// SIMD, no reassociation. exp, sigmoid and tanh are fast-math.ts's algorithm
// step by step (the same table, the same polynomial, the same edge cases), so
// every result has the JavaScript's bits (test/wasm-train.test.ts checks it on
// random networks, batches and optimizers).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";

/** Byte offsets of the tables in the module's memory: 2^(j/64) − 1 (64 values), then 2^q for q = −1022..1023. */
export const EXPM1_AT = 0;
export const POW2_AT = 512;
/** Byte offset of the vector constants the loops load once (a data segment, 16 bytes each; room for 32). */
export const CONSTS_AT = 512 + 2046 * 8;
const CONSTS_SIZE = 32 * 16;
/** Where the caller's buffers may start. */
export const FREE_AT = CONSTS_AT + CONSTS_SIZE;

const f = (v) => `(f64.const ${v})`;
const splat = (v) => `(f64x2.splat ${f(v)})`;
const g = (name) => `(local.get $${name})`;

/**
 * dense: Z[r, j] = B[j] + Σ_t X[r, t]·W[t, j], t ascending, from 0 when b < 0. X[r, t] is at x + r·xRow + t·xStep
 * (bytes), so the same kernel does the forward product (X = the input, row-major), dW = Xᵀ·dZ (X read down the
 * columns) and dX = dZ·Wᵀ (with W transposed first). W and Z are row-major with nOut columns.
 * Where nOut ≤ 3 and X's rows are 8 bytes apart, blocks of pairs of rows in the lanes first (rowPairLoop); then
 * blocks of 4 rows × 4 columns (16 sums in 8 registers),
 * then 2 columns, then an odd column; leftover rows two, then one at a time in blocks of 8, 4 and 2 columns, then
 * the odd one. Each sum is added in the same order whatever the block.
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
            (br_if $in_done${tag} (i32.ge_s (local.get $ib) (local.get $xEnd)))
            ${vs.map((v) => `(local.set $w${v} (v128.load offset=${16 * v} (local.get $wp)))`).join("\n            ")}
            ${ks
              .map(
                (k) => `(local.set $xv (v128.load64_splat (i32.add (local.get $x${k}) (local.get $ib))))
            ${vs.map((v) => `(local.set ${acc(k, v)} (f64x2.add (local.get ${acc(k, v)}) (f64x2.mul (local.get $xv) (local.get $w${v}))))`).join("\n            ")}`,
              )
              .join("\n            ")}
            (local.set $wp (i32.add (local.get $wp) (local.get $outB)))
            (local.set $ib (i32.add (local.get $ib) (local.get $xStep)))
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
  const rowBlock = (rows, colSizes) => {
    const xs = Array.from({ length: rows }, (_, k) => k);
    return `
        ;; ${rows} row(s) from $r
        (local.set $x0 (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $xRow))))
        ${xs.slice(1).map((k) => `(local.set $x${k} (i32.add (local.get $x${k - 1}) (local.get $xRow)))`).join("\n        ")}
        (local.set $zr (i32.add (local.get $z) (i32.mul (local.get $r) (local.get $outB))))
        (local.set $j (i32.const 0))${colSizes.map((c) => colBlock(rows, c)).join("")}
        ;; an odd last column, one lane
        (if (i32.lt_s (local.get $j) (local.get $nOut)) (then
          ${xs
            .map(
              (k) => `(local.set $s (if (result f64) (i32.lt_s (local.get $b) (i32.const 0)) (then (f64.const 0)) (else (f64.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))))))
          (local.set $wp (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $ib (i32.const 0))
          (block $odd_done${rows}_${k} (loop $odd${rows}_${k}
            (br_if $odd_done${rows}_${k} (i32.ge_s (local.get $ib) (local.get $xEnd)))
            (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (i32.add (local.get $x${k}) (local.get $ib))) (f64.load (local.get $wp)))))
            (local.set $wp (i32.add (local.get $wp) (local.get $outB)))
            (local.set $ib (i32.add (local.get $ib) (local.get $xStep)))
            (br $odd${rows}_${k})))
          (f64.store (i32.add (i32.add (local.get $zr) (i32.mul (i32.const ${k}) (local.get $outB))) (i32.shl (local.get $j) (i32.const 3))) (local.get $s))`,
            )
            .join("\n          ")}))`;
  };
  /**
   * Blocks of `pairs` pairs of rows × all `cols` columns (nOut = cols, X's rows 8 bytes apart): the sums of
   * Z[r + 2p, j] and Z[r + 2p + 1, j] share a register, X[r + 2p … r + 2p + 1, t] is one load, W[t, j] one splat.
   */
  const rowPairLoop = (cols, pairs) => {
    const ps = Array.from({ length: pairs }, (_, q) => q);
    const js = Array.from({ length: cols }, (_, c) => c);
    const acc = (q, c) => `$a${q}_${c}`;
    const tag = `p${cols}`;
    return `
      (block $done_${tag} (loop $rows_${tag}
        (br_if $done_${tag} (i32.gt_s (i32.add (local.get $r) (i32.const ${2 * pairs})) (local.get $n)))
        ${js
          .map(
            (c) => `(local.set $bias${c} (if (result v128) (i32.lt_s (local.get $b) (i32.const 0))
          (then (v128.const f64x2 0 0))
          (else (f64x2.splat (f64.load offset=${8 * c} (local.get $b))))))`,
          )
          .join("\n        ")}
        ${ps.flatMap((q) => js.map((c) => `(local.set ${acc(q, c)} (local.get $bias${c}))`)).join("\n        ")}
        (local.set $x0 (i32.add (local.get $x) (i32.shl (local.get $r) (i32.const 3))))
        (local.set $wp (local.get $w))
        (local.set $ib (i32.const 0))
        (block $in_done_${tag} (loop $in_${tag}
          (br_if $in_done_${tag} (i32.ge_s (local.get $ib) (local.get $xEnd)))
          ${js.map((c) => `(local.set $w${c} (v128.load64_splat offset=${8 * c} (local.get $wp)))`).join("\n          ")}
          ${ps
            .map(
              (q) => `(local.set $xv (v128.load offset=${16 * q} (i32.add (local.get $x0) (local.get $ib))))
          ${js.map((c) => `(local.set ${acc(q, c)} (f64x2.add (local.get ${acc(q, c)}) (f64x2.mul (local.get $xv) (local.get $w${c}))))`).join("\n          ")}`,
            )
            .join("\n          ")}
          (local.set $wp (i32.add (local.get $wp) (local.get $outB)))
          (local.set $ib (i32.add (local.get $ib) (local.get $xStep)))
          (br $in_${tag})))
        (local.set $zr (i32.add (local.get $z) (i32.mul (local.get $r) (local.get $outB))))
        ${ps
          .flatMap((q) =>
            js.map(
              (c) => `(f64.store offset=${8 * c} (i32.add (local.get $zr) (i32.mul (i32.const ${2 * q}) (local.get $outB))) (f64x2.extract_lane 0 (local.get ${acc(q, c)})))
        (f64.store offset=${8 * c} (i32.add (local.get $zr) (i32.mul (i32.const ${2 * q + 1}) (local.get $outB))) (f64x2.extract_lane 1 (local.get ${acc(q, c)})))`,
            ),
          )
          .join("\n        ")}
        (local.set $r (i32.add (local.get $r) (i32.const ${2 * pairs})))
        (br $rows_${tag})))`;
  };
  const accs = Array.from({ length: 8 }, (_, k) => `(local $a${k}_0 v128) (local $a${k}_1 v128) (local $a${k}_2 v128) (local $a${k}_3 v128)`).join(" ");
  const rowLoop = (rows, colSizes) => `
    (block $rows${rows}_done (loop $rows${rows}
      (br_if $rows${rows}_done (i32.gt_s (i32.add (local.get $r) (i32.const ${rows})) (local.get $n)))
      ${rowBlock(rows, colSizes)}
      (local.set $r (i32.add (local.get $r) (i32.const ${rows})))
      (br $rows${rows})))`;
  return `
  ;; Z[r, j] = B[j] + Σ_t X[r, t]·W[t, j], t ascending (byte offsets; b < 0: no bias, the sums start at 0)
  (func (export "dense") (param $z i32) (param $x i32) (param $w i32) (param $b i32) (param $n i32) (param $inner i32) (param $nOut i32) (param $xRow i32) (param $xStep i32)
    (local $r i32) (local $j i32) (local $ib i32) (local $wp i32) (local $zr i32) (local $xEnd i32) (local $outB i32)
    (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32) (local $x4 i32) (local $x5 i32) (local $x6 i32) (local $x7 i32)
    (local $bias0 v128) (local $bias1 v128) (local $bias2 v128) (local $bias3 v128) (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $xv v128) ${accs} (local $s f64)
    (local.set $xEnd (i32.mul (local.get $inner) (local.get $xStep)))
    (local.set $outB (i32.shl (local.get $nOut) (i32.const 3)))
    (local.set $r (i32.const 0))
    ;; one to three columns, and X's rows side by side (xRow = 8: dW of a narrow layer, or a one-input layer):
    ;; two rows in the lanes, so one load of X feeds every column
    (if (i32.and (i32.eq (local.get $xRow) (i32.const 8)) (i32.le_s (local.get $nOut) (i32.const 3))) (then
      (if (i32.eq (local.get $nOut) (i32.const 1)) (then ${rowPairLoop(1, 8)}))
      (if (i32.eq (local.get $nOut) (i32.const 2)) (then ${rowPairLoop(2, 4)}))
      (if (i32.eq (local.get $nOut) (i32.const 3)) (then ${rowPairLoop(3, 3)}))))
    ;; then (the rest) 4 rows, then 2 (dW of a two-input layer), then 1
    ${rowLoop(4, [4, 2])}
    ${rowLoop(2, [8, 4, 2])}
    ${rowLoop(1, [8, 4, 2])})`;
}

/**
 * dense_small: dense's Z[r, j] = B[j] + Σ_t X[r, t]·W[t, j] for a short inner sum (inner = 1 … 4: the product after
 * a narrow input, or dX = dZ·Wᵀ under a narrow layer), X row-major (row r at x + r·xRow). A block of columns holds
 * its W rows and bias in registers while every row goes by: per row, `inner` splats and the sums, no inner loop.
 * With a ≥ 0 it also writes dz[r, j] = Z[r, j]·A[r, j]·(1 − A[r, j]) (sigmoid_back fused: Z is the gradient of a
 * sigmoid layer's output A, read once); A and dz are row-major with nOut columns. The same operations per output,
 * in the same order, as dense then sigmoid_back.
 */
function denseSmall() {
  // vectors per column block for each inner size (W and bias in inner·C + C registers)
  const WIDTH = { 1: 4, 2: 3, 3: 2, 4: 2 };
  const biasVec = (v) => `(if (result v128) (i32.lt_s (local.get $b) (i32.const 0))
            (then (v128.const f64x2 0 0))
            (else (v128.load offset=${16 * v} (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))))`;
  const rows = (I, C, fused, tag) => {
    const ts = Array.from({ length: I }, (_, t) => t);
    const vs = Array.from({ length: C }, (_, v) => v);
    const sum = (v) => ts.reduce((acc, t) => `(f64x2.add ${acc} (f64x2.mul (local.get $x${t}) (local.get $w${t}_${v})))`, `(local.get $bias${v})`);
    return `
          (local.set $rp (local.get $x))
          (local.set $zp (i32.add (local.get $z) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $ap (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $dp (i32.add (local.get $dz) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $r (i32.const 0))
          (block $rows_done${tag} (loop $rows${tag}
            (br_if $rows_done${tag} (i32.ge_s (local.get $r) (local.get $n)))
            ${ts.map((t) => `(local.set $x${t} (v128.load64_splat offset=${8 * t} (local.get $rp)))`).join("\n            ")}
            ${vs
              .map(
                (v) => `(local.set $acc ${sum(v)})
            (v128.store offset=${16 * v} (local.get $zp) (local.get $acc))${
              fused
                ? `
            (local.set $av (v128.load offset=${16 * v} (local.get $ap)))
            (v128.store offset=${16 * v} (local.get $dp) (f64x2.mul (f64x2.mul (local.get $acc) (local.get $av)) (f64x2.sub ${splat(1)} (local.get $av))))`
                : ""
            }`,
              )
              .join("\n            ")}
            (local.set $rp (i32.add (local.get $rp) (local.get $xRow)))
            (local.set $zp (i32.add (local.get $zp) (local.get $outB)))
            (local.set $ap (i32.add (local.get $ap) (local.get $outB)))
            (local.set $dp (i32.add (local.get $dp) (local.get $outB)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rows${tag})))`;
  };
  const colBlocks = (I, C) => {
    const ts = Array.from({ length: I }, (_, t) => t);
    const vs = Array.from({ length: C }, (_, v) => v);
    const tag = `${I}_${C}`;
    return `
      (block $cols_done${tag} (loop $cols${tag}
        (br_if $cols_done${tag} (i32.gt_s (i32.add (local.get $j) (i32.const ${2 * C})) (local.get $nOut)))
        ${vs.map((v) => `(local.set $bias${v} ${biasVec(v)})`).join("\n        ")}
        ${ts.flatMap((t) => vs.map((v) => `(local.set $w${t}_${v} (v128.load offset=${16 * v} (i32.add (i32.add (local.get $w) (i32.mul (i32.const ${t}) (local.get $outB))) (i32.shl (local.get $j) (i32.const 3)))))`)).join("\n        ")}
        ${rows(I, C, false, `${tag}_z`)}
        (local.set $j (i32.add (local.get $j) (i32.const ${2 * C})))
        (br $cols${tag})))`;
  };
  // the odd last column, one lane: s = B[j] (or 0) + Σ_t X[r, t]·W[t, j]
  const oddColumn = (I) => {
    const ts = Array.from({ length: I }, (_, t) => t);
    const sum = ts.reduce(
      (acc, t) => `(f64.add ${acc} (f64.mul (f64.load offset=${8 * t} (local.get $rp)) (f64.load (i32.add (i32.add (local.get $w) (i32.mul (i32.const ${t}) (local.get $outB))) (i32.shl (local.get $j) (i32.const 3))))))`,
      `(if (result f64) (i32.lt_s (local.get $b) (i32.const 0)) (then (f64.const 0)) (else (f64.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))))`,
    );
    return `
      (if (i32.lt_s (local.get $j) (local.get $nOut)) (then
        (local.set $rp (local.get $x))
        (local.set $zp (i32.add (local.get $z) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $ap (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $dp (i32.add (local.get $dz) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $r (i32.const 0))
        (block $odd_done${I} (loop $odd${I}
          (br_if $odd_done${I} (i32.ge_s (local.get $r) (local.get $n)))
          (local.set $s ${sum})
          (f64.store (local.get $zp) (local.get $s))
          (if (i32.ge_s (local.get $a) (i32.const 0)) (then
            (local.set $as (f64.load (local.get $ap)))
            (f64.store (local.get $dp) (f64.mul (f64.mul (local.get $s) (local.get $as)) (f64.sub (f64.const 1) (local.get $as))))))
          (local.set $rp (i32.add (local.get $rp) (local.get $xRow)))
          (local.set $zp (i32.add (local.get $zp) (local.get $outB)))
          (local.set $ap (i32.add (local.get $ap) (local.get $outB)))
          (local.set $dp (i32.add (local.get $dp) (local.get $outB)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $odd${I})))))`;
  };
  // fused (a ≥ 0): rows outer, every column pair of a row in turn (A, Z and dz read and written in order); W from memory
  const rowsOuter = (I) => {
    const ts = Array.from({ length: I }, (_, t) => t);
    const wAt = (t) => `(i32.add (local.get $w${t}p) (local.get $jb))`;
    const sumV = ts.reduce(
      (acc, t) => `(f64x2.add ${acc} (f64x2.mul (local.get $x${t}) (v128.load ${wAt(t)})))`,
      `(if (result v128) (i32.lt_s (local.get $b) (i32.const 0)) (then (v128.const f64x2 0 0)) (else (v128.load (i32.add (local.get $b) (local.get $jb)))))`,
    );
    const sumS = ts.reduce(
      (acc, t) => `(f64.add ${acc} (f64.mul (f64.load offset=${8 * t} (local.get $rp)) (f64.load ${wAt(t)})))`,
      `(if (result f64) (i32.lt_s (local.get $b) (i32.const 0)) (then (f64.const 0)) (else (f64.load (i32.add (local.get $b) (local.get $jb)))))`,
    );
    return `
      ${ts.map((t) => `(local.set $w${t}p (i32.add (local.get $w) (i32.mul (i32.const ${t}) (local.get $outB))))`).join("\n      ")}
      (local.set $rp (local.get $x))
      (local.set $ro (i32.const 0))
      (local.set $r (i32.const 0))
      (block $frows_done${I} (loop $frows${I}
        (br_if $frows_done${I} (i32.ge_s (local.get $r) (local.get $n)))
        ${ts.map((t) => `(local.set $x${t} (v128.load64_splat offset=${8 * t} (local.get $rp)))`).join("\n        ")}
        (local.set $jb (i32.const 0))
        (block $fcols_done${I} (loop $fcols${I}
          (br_if $fcols_done${I} (i32.gt_s (i32.add (local.get $jb) (i32.const 16)) (local.get $outB)))
          (local.set $acc ${sumV})
          (v128.store (i32.add (i32.add (local.get $z) (local.get $ro)) (local.get $jb)) (local.get $acc))
          (local.set $av (v128.load (i32.add (i32.add (local.get $a) (local.get $ro)) (local.get $jb))))
          (v128.store (i32.add (i32.add (local.get $dz) (local.get $ro)) (local.get $jb)) (f64x2.mul (f64x2.mul (local.get $acc) (local.get $av)) (f64x2.sub ${splat(1)} (local.get $av))))
          (local.set $jb (i32.add (local.get $jb) (i32.const 16)))
          (br $fcols${I})))
        (if (i32.lt_s (local.get $jb) (local.get $outB)) (then
          (local.set $s ${sumS})
          (f64.store (i32.add (i32.add (local.get $z) (local.get $ro)) (local.get $jb)) (local.get $s))
          (local.set $as (f64.load (i32.add (i32.add (local.get $a) (local.get $ro)) (local.get $jb))))
          (f64.store (i32.add (i32.add (local.get $dz) (local.get $ro)) (local.get $jb)) (f64.mul (f64.mul (local.get $s) (local.get $as)) (f64.sub (f64.const 1) (local.get $as))))))
        (local.set $rp (i32.add (local.get $rp) (local.get $xRow)))
        (local.set $ro (i32.add (local.get $ro) (local.get $outB)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $frows${I})))`;
  };
  const wLocals = [];
  for (let t = 0; t < 4; t++) for (let v = 0; v < 4; v++) wLocals.push(`(local $w${t}_${v} v128)`);
  return hoistConstants(`
  ;; dense for inner = 1 … 4, X row-major; with a ≥ 0 also dz = Z·A·(1 − A) (byte offsets; b < 0: no bias)
  (func (export "dense_small") (param $z i32) (param $x i32) (param $w i32) (param $b i32) (param $n i32) (param $inner i32) (param $nOut i32) (param $xRow i32) (param $a i32) (param $dz i32)
    (local $r i32) (local $j i32) (local $rp i32) (local $zp i32) (local $ap i32) (local $dp i32) (local $outB i32) (local $ro i32) (local $jb i32) (local $w0p i32) (local $w1p i32) (local $w2p i32) (local $w3p i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $acc v128) (local $av v128)
    (local $bias0 v128) (local $bias1 v128) (local $bias2 v128) (local $bias3 v128) ${wLocals.join(" ")} (local $s f64) (local $as f64)
    ;;CONSTS
    (local.set $outB (i32.shl (local.get $nOut) (i32.const 3)))
    ${[1, 2, 3, 4]
      .map(
        (I) => `(if (i32.eq (local.get $inner) (i32.const ${I})) (then
      (if (i32.ge_s (local.get $a) (i32.const 0)) (then ${rowsOuter(I)})
      (else ${colBlocks(I, WIDTH[I])}${WIDTH[I] > 1 ? colBlocks(I, 1) : ""}${oddColumn(I)}))))`,
      )
      .join("\n    ")})`);
}

/**
 * dense_small_db: dense_small's fused form (a sigmoid layer's da = dZ·Wᵀ, no bias, and dz = da·a·(1 − a), rows in
 * order) that also writes that layer's db[j] = 0 + Σ_r dz[r, j], r ascending (col_sum's order), from the dz values
 * as they are made. A function of its own: folded into dense_small, it slowed V8's code for the rest of it.
 */
function denseSmallDb() {
  const rowsOuter = (I) => {
    const ts = Array.from({ length: I }, (_, t) => t);
    const wAt = (t) => `(i32.add (local.get $w${t}p) (local.get $jb))`;
    const dbAt = `(i32.add (local.get $db) (local.get $jb))`;
    const at = (base) => `(i32.add (i32.add (local.get $${base}) (local.get $ro)) (local.get $jb))`;
    const sumV = ts.reduce((acc, t) => `(f64x2.add ${acc} (f64x2.mul (local.get $x${t}) (v128.load ${wAt(t)})))`, `(v128.const f64x2 0 0)`);
    const sumS = ts.reduce((acc, t) => `(f64.add ${acc} (f64.mul (f64.load offset=${8 * t} (local.get $rp)) (f64.load ${wAt(t)})))`, `(f64.const 0)`);
    return `
      ${ts.map((t) => `(local.set $w${t}p (i32.add (local.get $w) (i32.mul (i32.const ${t}) (local.get $outB))))`).join("\n      ")}
      (local.set $jb (i32.const 0))
      (block $zero_done${I} (loop $zero${I}
        (br_if $zero_done${I} (i32.ge_s (local.get $jb) (local.get $outB)))
        (f64.store ${dbAt} (f64.const 0))
        (local.set $jb (i32.add (local.get $jb) (i32.const 8)))
        (br $zero${I})))
      (local.set $rp (local.get $x))
      (local.set $ro (i32.const 0))
      (local.set $r (i32.const 0))
      (block $rows_done${I} (loop $rows${I}
        (br_if $rows_done${I} (i32.ge_s (local.get $r) (local.get $n)))
        ${ts.map((t) => `(local.set $x${t} (v128.load64_splat offset=${8 * t} (local.get $rp)))`).join("\n        ")}
        (local.set $jb (i32.const 0))
        (block $cols_done${I} (loop $cols${I}
          (br_if $cols_done${I} (i32.gt_s (i32.add (local.get $jb) (i32.const 16)) (local.get $outB)))
          (local.set $acc ${sumV})
          (v128.store ${at("z")} (local.get $acc))
          (local.set $av (v128.load ${at("a")}))
          (local.set $dv (f64x2.mul (f64x2.mul (local.get $acc) (local.get $av)) (f64x2.sub ${splat(1)} (local.get $av))))
          (v128.store ${at("dz")} (local.get $dv))
          (v128.store ${dbAt} (f64x2.add (v128.load ${dbAt}) (local.get $dv)))
          (local.set $jb (i32.add (local.get $jb) (i32.const 16)))
          (br $cols${I})))
        (if (i32.lt_s (local.get $jb) (local.get $outB)) (then
          (local.set $s ${sumS})
          (f64.store ${at("z")} (local.get $s))
          (local.set $as (f64.load ${at("a")}))
          (local.set $ds (f64.mul (f64.mul (local.get $s) (local.get $as)) (f64.sub (f64.const 1) (local.get $as))))
          (f64.store ${at("dz")} (local.get $ds))
          (f64.store ${dbAt} (f64.add (f64.load ${dbAt}) (local.get $ds)))))
        (local.set $rp (i32.add (local.get $rp) (local.get $xRow)))
        (local.set $ro (i32.add (local.get $ro) (local.get $outB)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows${I})))`;
  };
  return hoistConstants(`
  ;; z = X·W (inner = 1 … 4, no bias), dz = z·a·(1 − a), db = column sums of dz (byte offsets)
  (func (export "dense_small_db") (param $z i32) (param $x i32) (param $w i32) (param $n i32) (param $inner i32) (param $nOut i32) (param $xRow i32) (param $a i32) (param $dz i32) (param $db i32)
    (local $r i32) (local $rp i32) (local $ro i32) (local $jb i32) (local $outB i32) (local $w0p i32) (local $w1p i32) (local $w2p i32) (local $w3p i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $acc v128) (local $av v128) (local $dv v128) (local $s f64) (local $as f64) (local $ds f64)
    ;;CONSTS
    (local.set $outB (i32.shl (local.get $nOut) (i32.const 3)))
    ${[1, 2, 3, 4].map((I) => `(if (i32.eq (local.get $inner) (i32.const ${I})) (then ${rowsOuter(I)}))`).join("\n    ")})`);
}

/*
 * The exp steps of fast-math.ts on two lanes: kd = x·64/ln2 rounded, r = x − kd·ln2/64 in two parts, the Taylor
 * polynomial p of e^r − 1, the table entry T[kj & 63] lane by lane (kj = kd + 32) and 2^(kj >> 6) from its bits,
 * all in integer lanes but the two table loads. Leaves kd, p, t (the table entry) and s (the power of two) per chain.
 */
function expCore(ks, xName, negated = false) {
  const step = (fn) => ks.map(fn).join("\n      ");
  const L = (name, k) => `(local.get $${name}${k})`;
  return [
    // u = x·64/ln2 + 1.5·2^52: its low bits hold kd as a two's-complement integer (|kd| < 2^16)
    step((k) => `(local.set $u${k} (f64x2.add (f64x2.mul ${L(xName, k)} ${splat("92.33248261689366")}) ${splat(6755399441055744)}))`),
    step((k) => `(local.set $kd${k} (f64x2.sub ${L("u", k)} ${splat(6755399441055744)}))`),
    // negated: xName holds −x, and kd here is −kd (x·c rounds to ±the same product, 1.5·2^52 ± m to 1.5·2^52 ±
    // the same integer: the ulp is 1 there and 1.5·2^52 is even, so ties go the same way), so
    // r = (kd·hi − (−x)) + kd·lo is x − kd·hi − kd·lo with each operation on the same two numbers
    negated
      ? step((k) => `(local.set $r${k} (f64x2.add (f64x2.sub (f64x2.mul ${L("kd", k)} ${splat("0.01083042469326756")}) ${L(xName, k)}) (f64x2.mul ${L("kd", k)} ${splat("2.9815858269852933e-12")})))`)
      : step((k) => `(local.set $r${k} (f64x2.sub (f64x2.sub ${L(xName, k)} (f64x2.mul ${L("kd", k)} ${splat("0.01083042469326756")})) (f64x2.mul ${L("kd", k)} ${splat("2.9815858269852933e-12")})))`),
    step((k) => `(local.set $q${k} (f64x2.mul ${L("r", k)} ${L("r", k)}))`),
    step(
      (k) => `(local.set $p${k} (f64x2.add ${L("r", k)} (f64x2.mul ${L("q", k)}
        (f64x2.add (f64x2.add ${splat(0.5)} (f64x2.mul ${L("r", k)} ${splat("0.16666666666666666")}))
          (f64x2.mul ${L("q", k)} (f64x2.add (f64x2.add ${splat("0.041666666666666664")} (f64x2.mul ${L("r", k)} ${splat("0.008333333333333333")}))
            (f64x2.mul ${L("q", k)} ${splat("0.001388888888888889")})))))))`,
    ),
    // e = kj + 1023·64 (kj = kd + 32) as i64 lanes: u's bits minus those of 1.5·2^52 (0x4338000000000000), plus 32
    // and 1023·64. In the fast range kj is in −65339..65403, so e is in 133..130875: positive, below 2^17.
    // (negated: u's bits are those of 1.5·2^52 minus kd, so e = (those bits + 32 + 1023·64) − u's bits)
    negated
      ? step((k) => `(local.set $j${k} (i64x2.sub (v128.const i64x2 ${E_NEG} ${E_NEG}) (local.get $u${k})))`)
      : step((k) => `(local.set $j${k} (i64x2.sub (local.get $u${k}) (v128.const i64x2 ${E_BIAS} ${E_BIAS})))`),
    // 2^(kj >> 6) built from its bits: e >> 6 (logical, e ≥ 0) is (kj >> 6) + 1023, the exponent field (q + 1023;
    // q is in −1021..1021 here), the same double as the table's entry
    step((k) => `(local.set $s${k} (i64x2.shl (i64x2.shr_u ${L("j", k)} (i32.const 6)) (i32.const 52)))`),
    // the byte offset of T[kj & 63] (e & 63 = kj & 63: 1023·64 is a multiple of 64), lane by lane in scalar
    // registers once e is out of the vector (two integer ops there instead of two vector ops on the FP pipes)
    step((k) => {
      const at = (lane) => `(i32.shl (i32.and (i32.wrap_i64 (i64x2.extract_lane ${lane} ${L("j", k)})) (i32.const 63)) (i32.const 3))`;
      return `(local.set $t${k} (v128.load64_lane offset=${EXPM1_AT} 1 ${at(1)}
        (v128.load64_zero offset=${EXPM1_AT} ${at(0)})))`;
    }),
  ].join("\n      ");
}

/** 0x4338000000000000 − 32 − 1023·64: the bits of 1.5·2^52, less what turns kd into kj + 1023·64 = kd + 32 + 1023·64. */
const E_BIAS = (0x4338000000000000n - 32n - 1023n * 64n).toString();
/** 0x4338000000000000 + 32 + 1023·64: for u made from −x (its bits are 1.5·2^52's minus kd), e = E_NEG − u's bits. */
const E_NEG = (0x4338000000000000n + 32n + 1023n * 64n).toString();

function vecLocals(ks, extra) {
  const v = ["x", "u", "kd", "r", "q", "p", "j", "t", "s", "e", ...extra];
  return ks.map((k) => v.map((n) => `(local $${n}${k} v128)`).join(" ")).join("\n    ");
}

/** The scalar exp steps (fastExp's fast path); x in $x, leaves kd, p, tm and kj. */
const scalarExpCore = `
    (local.set $kd (f64.sub (f64.add (f64.mul (local.get $x) ${f("92.33248261689366")}) ${f(6755399441055744)}) ${f(6755399441055744)}))
    (local.set $r (f64.sub (f64.sub (local.get $x) (f64.mul (local.get $kd) ${f("0.01083042469326756")})) (f64.mul (local.get $kd) ${f("2.9815858269852933e-12")})))
    (local.set $r2 (f64.mul (local.get $r) (local.get $r)))
    (local.set $p (f64.add (local.get $r) (f64.mul (local.get $r2)
      (f64.add (f64.add ${f(0.5)} (f64.mul (local.get $r) ${f("0.16666666666666666")}))
        (f64.mul (local.get $r2) (f64.add (f64.add ${f("0.041666666666666664")} (f64.mul (local.get $r) ${f("0.008333333333333333")}))
          (f64.mul (local.get $r2) ${f("0.001388888888888889")})))))))
    (local.set $kj (i32.add (i32.trunc_f64_s (local.get $kd)) (i32.const 32)))
    (local.set $tm (f64.load offset=${EXPM1_AT} (i32.shl (i32.and (local.get $kj) (i32.const 63)) (i32.const 3))))`;
const pow2At = (q) => `(f64.load offset=${POW2_AT} (i32.shl (i32.add ${q} (i32.const 1023)) (i32.const 3)))`;

function scalarMath() {
  return `
  ;; fast-math.ts's fastExp, edges (expEdge) included
  (func $exp (param $x f64) (result f64)
    (local $kd f64) (local $r f64) (local $r2 f64) (local $p f64) (local $tm f64) (local $s f64) (local $kj i32) (local $q i32) (local $h i32)
    (if (i32.and (f64.gt (local.get $x) ${f(-708)}) (f64.lt (local.get $x) ${f(708)})) (then
      ${scalarExpCore}
      (local.set $s ${pow2At("(i32.shr_s (local.get $kj) (i32.const 6))")})
      (return (f64.add (local.get $s) (f64.mul (local.get $s) (f64.add (local.get $tm) (f64.add (local.get $p) (f64.mul (local.get $tm) (local.get $p)))))))))
    (if (f64.ne (local.get $x) (local.get $x)) (then (return (local.get $x))))
    (if (f64.gt (local.get $x) ${f("709.782712893384")}) (then (return ${f("inf")})))
    (if (f64.lt (local.get $x) ${f("-745.1332191019412")}) (then (return ${f(0)})))
    ${scalarExpCore}
    (local.set $q (i32.shr_s (local.get $kj) (i32.const 6)))
    (local.set $h (i32.shr_s (local.get $q) (i32.const 1)))
    (f64.mul
      (f64.mul ${pow2At("(local.get $h)")} (f64.add ${f(1)} (f64.add (local.get $tm) (f64.add (local.get $p) (f64.mul (local.get $tm) (local.get $p))))))
      ${pow2At("(i32.sub (local.get $q) (local.get $h))")}))

  ;; fastSigmoid
  (func $sigmoid (param $z f64) (result f64)
    (if (f64.lt (local.get $z) ${f(-708)}) (then (return (call $exp (local.get $z)))))
    (f64.div ${f(1)} (f64.add ${f(1)} (call $exp (f64.neg (local.get $z))))))

  ;; fastTanh
  (func $tanh (param $x f64) (result f64)
    (local $y f64) (local $kd f64) (local $r f64) (local $r2 f64) (local $p f64) (local $tm f64) (local $s f64) (local $t f64) (local $kj i32)
    (if (i32.or (i32.eqz (i32.and (f64.gt (local.get $x) ${f(-22)}) (f64.lt (local.get $x) ${f(22)}))) (f64.eq (local.get $x) ${f(0)})) (then
      (if (f64.ge (local.get $x) ${f(22)}) (then (return ${f(1)})))
      (if (f64.le (local.get $x) ${f(-22)}) (then (return ${f(-1)})))
      (return (local.get $x))))
    (local.set $y (f64.add (local.get $x) (local.get $x)))
    ${scalarExpCore.replaceAll("(local.get $x)", "(local.get $y)")}
    (local.set $s ${pow2At("(i32.shr_s (local.get $kj) (i32.const 6))")})
    (local.set $t (f64.add (f64.mul (local.get $s) (f64.add (local.get $tm) (f64.add (local.get $p) (f64.mul (local.get $tm) (local.get $p))))) (f64.sub (local.get $s) ${f(1)})))
    (f64.div (local.get $t) (f64.add (local.get $t) ${f(2)})))`;
}

/**
 * The vector constants of the loops below, as 16-byte entries of a data segment at CONSTS_AT (filled when the
 * module is instantiated), by their text: "(f64x2.splat (f64.const v))" or "(v128.const i64x2 a b)".
 */
const constPool = new Map();

/** The 16 bytes of a pooled constant's text. */
function constBytes(text) {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  let m = /^\(f64x2\.splat \(f64\.const ([^()]+)\)\)$/.exec(text);
  if (m) {
    const v = m[1] === "inf" ? Infinity : m[1] === "-inf" ? -Infinity : Number(m[1]);
    if (Number.isNaN(v)) throw new Error(`constant ${text}`);
    view.setFloat64(0, v, true);
    view.setFloat64(8, v, true);
    return bytes;
  }
  m = /^\(v128\.const i64x2 (-?\d+) (-?\d+)\)$/.exec(text);
  if (!m) throw new Error(`constant ${text}`);
  view.setBigInt64(0, BigInt.asIntN(64, BigInt(m[1])), true);
  view.setBigInt64(8, BigInt.asIntN(64, BigInt(m[2])), true);
  return bytes;
}

/**
 * Hoists a function's vector constants into locals loaded once at its start from the module's constant pool:
 * V8 builds a v128 constant from immediates at every use inside a loop (three instructions each), and it sees
 * through a local set to a constant; a value loaded from memory it keeps in a register, or reads from the stack
 * as an operand. `func` is the whole `(func …)` text with the marker ";;CONSTS" after its locals; the result uses
 * the same constants, bit for bit.
 */
function hoistConstants(func) {
  const found = new Map();
  const body = func.replace(/\(f64x2\.splat \(f64\.const ([^()]+)\)\)|\(v128\.const i64x2 ([^()]+)\)/g, (text) => {
    if (!found.has(text)) found.set(text, `$c${found.size}`);
    if (!constPool.has(text)) constPool.set(text, CONSTS_AT + 16 * constPool.size);
    return `(local.get ${found.get(text)})`;
  });
  const decls = [...found.values()].map((name) => `(local ${name} v128)`).join(" ");
  const sets = [...found].map(([text, name]) => `(local.set ${name} (v128.load (i32.const ${constPool.get(text)})))`).join("\n    ");
  return body.replace(";;CONSTS", `${decls}\n    ${sets}`);
}

/** The data segment of the pooled constants. */
function constSegment() {
  if (16 * constPool.size > CONSTS_SIZE) throw new Error(`${constPool.size} pooled constants do not fit in ${CONSTS_SIZE} bytes`);
  const hex = [...constPool.keys()].map((text) => [...constBytes(text)].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("")).join("");
  return `\n  (data (i32.const ${CONSTS_AT}) "${hex}")`;
}

/**
 * out[i] = fastSigmoid(z[i]): sixteen values a step, as two groups of eight one after the other, each in four
 * interleaved f64x2 chains when all eight are in the fast range, else one by one. (Two groups in turn rather than
 * eight chains side by side: V8 spills fewer of the interleaved values, and the loop's overhead is shared.)
 */
function sigmoid() {
  const groups = [
    [0, 1, 2, 3],
    [4, 5, 6, 7],
  ];
  const ks = groups.flat();
  const G = 16 * ks.length;
  // e^(−z): $x holds z (expCore's negated form). −708 < −z < 708 as |z| < 708 (NaN fails both)
  const inRange = (k) => `(f64x2.lt (f64x2.abs (local.get $x${k})) ${splat(708)})`;
  const group = (gk) => `
      ${gk.map((k) => `(local.set $x${k} (v128.load offset=${16 * k} (i32.add (local.get $z) (local.get $i))))`).join("\n      ")}
      (if (i32.eq (i64x2.bitmask ${gk.slice(1).reduce((acc, k) => `(v128.and ${acc} ${inRange(k)})`, inRange(gk[0]))}) (i32.const 3))
        (then
      ${expCore(gk, "x", true)}
      ${gk
        .map(
          (k) => `(v128.store offset=${16 * k} (i32.add (local.get $out) (local.get $i))
        (f64x2.div ${splat(1)} (f64x2.add ${splat(1)} (f64x2.add (local.get $s${k}) (f64x2.mul (local.get $s${k}) (f64x2.add (local.get $t${k}) (f64x2.add (local.get $p${k}) (f64x2.mul (local.get $t${k}) (local.get $p${k})))))))))`,
        )
        .join("\n      ")})
        (else
          (local.set $k (i32.const ${16 * gk[0]}))
          (loop $one${gk[0]}
            (f64.store (i32.add (local.get $out) (i32.add (local.get $i) (local.get $k)))
              (call $sigmoid (f64.load (i32.add (local.get $z) (i32.add (local.get $i) (local.get $k))))))
            (local.set $k (i32.add (local.get $k) (i32.const 8)))
            (br_if $one${gk[0]} (i32.lt_s (local.get $k) (i32.const ${16 * (gk[gk.length - 1] + 1)}))))))`;
  return hoistConstants(`
  (func (export "sigmoid") (param $out i32) (param $z i32) (param $len i32)
    (local $i i32) (local $end i32) (local $k i32)
    ${vecLocals(ks, [])}
    ;;CONSTS
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (block $done (loop $groups
      (br_if $done (i32.gt_s (i32.add (local.get $i) (i32.const ${G})) (local.get $end)))${groups.map(group).join("")}
      (local.set $i (i32.add (local.get $i) (i32.const ${G})))
      (br $groups)))
    (block $done1 (loop $tail
      (br_if $done1 (i32.ge_s (local.get $i) (local.get $end)))
      (f64.store (i32.add (local.get $out) (local.get $i)) (call $sigmoid (f64.load (i32.add (local.get $z) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $tail))))`);
}

/**
 * out[i] = fastTanh(z[i]): four values a step in two chains, as fastTanhInto's groups: saturated values clamped to
 * ±22 (where the formula gives ±1, the scalar edge's value), ±0 passed through; the rest one by one.
 */
function tanh() {
  const ks = [0, 1];
  return hoistConstants(`
  (func (export "tanh") (param $out i32) (param $z i32) (param $len i32)
    (local $i i32) (local $end i32)
    ${vecLocals(ks, ["zz", "y"])}
    ;;CONSTS
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (block $done (loop $groups
      (br_if $done (i32.gt_s (i32.add (local.get $i) (i32.const 32)) (local.get $end)))
      ${ks.map((k) => `(local.set $zz${k} (v128.load offset=${16 * k} (i32.add (local.get $z) (local.get $i))))`).join("\n      ")}
      ${ks.map((k) => `(local.set $y${k} (v128.bitselect ${splat(22)} (v128.bitselect ${splat(-22)} (local.get $zz${k}) (f64x2.lt (local.get $zz${k}) ${splat(-22)})) (f64x2.gt (local.get $zz${k}) ${splat(22)})))`).join("\n      ")}
      ${ks.map((k) => `(local.set $x${k} (f64x2.add (local.get $y${k}) (local.get $y${k})))`).join("\n      ")}
      ${expCore(ks, "x")}
      ${ks.map((k) => `(local.set $e${k} (f64x2.add (f64x2.mul (local.get $s${k}) (f64x2.add (local.get $t${k}) (f64x2.add (local.get $p${k}) (f64x2.mul (local.get $t${k}) (local.get $p${k}))))) (f64x2.sub (local.get $s${k}) ${splat(1)})))`).join("\n      ")}
      ${ks
        .map(
          (k) =>
            `(v128.store offset=${16 * k} (i32.add (local.get $out) (local.get $i)) (v128.bitselect (local.get $zz${k}) (f64x2.div (local.get $e${k}) (f64x2.add (local.get $e${k}) ${splat(2)})) (f64x2.eq (local.get $zz${k}) ${splat(0)})))`,
        )
        .join("\n      ")}
      (local.set $i (i32.add (local.get $i) (i32.const 32)))
      (br $groups)))
    (block $done1 (loop $tail
      (br_if $done1 (i32.ge_s (local.get $i) (local.get $end)))
      (f64.store (i32.add (local.get $out) (local.get $i)) (call $tanh (f64.load (i32.add (local.get $z) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $tail))))`);
}

/**
 * An elementwise kernel over len values: `vec` computes one pair from the loaded pairs (named after the params),
 * `one` the same for one lane (the odd last value).
 */
function elementwise(name, params, vec, one, comment) {
  const ps = params.map((p) => `(param $${p} i32)`).join(" ");
  const load2 = (p) => `(v128.load (i32.add (local.get $${p}) (local.get $i)))`;
  const load1 = (p) => `(f64.load (i32.add (local.get $${p}) (local.get $i)))`;
  return `
  ;; ${comment}
  (func (export "${name}") ${ps} (param $len i32) (param $args i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (block $done (loop $pairs
      (br_if $done (i32.gt_s (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
      (v128.store (i32.add (local.get $${params[0]}) (local.get $i)) ${vec(Object.fromEntries(params.map((p) => [p, load2(p)])), (k) => `(f64x2.splat (f64.load offset=${8 * k} (local.get $args)))`)})
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $pairs)))
    (if (i32.lt_s (local.get $i) (local.get $end)) (then
      (f64.store (i32.add (local.get $${params[0]}) (local.get $i)) ${one(Object.fromEntries(params.map((p) => [p, load1(p)])), (k) => `(f64.load offset=${8 * k} (local.get $args))`)}))))`;
}

function elementwiseKernels() {
  const V = "f64x2";
  return [
    elementwise("relu", ["out", "z"], (a) => `(v128.bitselect ${a.z} (v128.const f64x2 0 0) (${V}.gt ${a.z} (v128.const f64x2 0 0)))`, (a) => `(select ${a.z} (f64.const 0) (f64.gt ${a.z} (f64.const 0)))`, "a = z > 0 ? z : 0"),
    elementwise(
      "leaky_relu",
      ["out", "z"],
      (a) => `(v128.bitselect ${a.z} (${V}.mul ${splat(0.01)} ${a.z}) (${V}.gt ${a.z} (v128.const f64x2 0 0)))`,
      (a) => `(select ${a.z} (f64.mul ${f(0.01)} ${a.z}) (f64.gt ${a.z} (f64.const 0)))`,
      "a = z > 0 ? z : 0.01·z",
    ),
    elementwise("copy", ["out", "z"], (a) => a.z, (a) => a.z, "out = z (linear)"),
    elementwise(
      "sigmoid_back",
      ["dz", "da", "a"],
      (a) => `(${V}.mul (${V}.mul ${a.da} ${a.a}) (${V}.sub ${splat(1)} ${a.a}))`,
      (a) => `(f64.mul (f64.mul ${a.da} ${a.a}) (f64.sub ${f(1)} ${a.a}))`,
      "dz = da·a·(1 − a)",
    ),
    elementwise(
      "tanh_back",
      ["dz", "da", "a"],
      (a) => `(${V}.mul ${a.da} (${V}.sub ${splat(1)} (${V}.mul ${a.a} ${a.a})))`,
      (a) => `(f64.mul ${a.da} (f64.sub ${f(1)} (f64.mul ${a.a} ${a.a})))`,
      "dz = da·(1 − a·a)",
    ),
    elementwise(
      "relu_back",
      ["dz", "da", "z"],
      (a) => `(v128.bitselect ${a.da} (v128.const f64x2 0 0) (${V}.gt ${a.z} (v128.const f64x2 0 0)))`,
      (a) => `(select ${a.da} (f64.const 0) (f64.gt ${a.z} (f64.const 0)))`,
      "dz = z > 0 ? da : 0",
    ),
    elementwise(
      "leaky_relu_back",
      ["dz", "da", "z"],
      (a) => `(v128.bitselect ${a.da} (${V}.mul ${splat(0.01)} ${a.da}) (${V}.gt ${a.z} (v128.const f64x2 0 0)))`,
      (a) => `(select ${a.da} (f64.mul ${f(0.01)} ${a.da}) (f64.gt ${a.z} (f64.const 0)))`,
      "dz = z > 0 ? da : 0.01·da",
    ),
    // args[0] = n
    elementwise(
      "mse_grad",
      ["da", "a", "y"],
      (a, s) => `(${V}.div (${V}.neg (${V}.sub ${a.y} ${a.a})) ${s(0)})`,
      (a, s) => `(f64.div (f64.neg (f64.sub ${a.y} ${a.a})) ${s(0)})`,
      "da = −(y − a)/n, n in args[0]",
    ),
    elementwise(
      "xent_grad",
      ["dz", "a", "y"],
      (a, s) => `(${V}.div (${V}.sub ${a.a} ${a.y}) ${s(0)})`,
      (a, s) => `(f64.div (f64.sub ${a.a} ${a.y}) ${s(0)})`,
      "dz = (a − y)/n, n in args[0]",
    ),
    elementwise("l2_grad", ["g", "w"], (a, s) => `(${V}.add ${a.g} (${V}.mul ${s(0)} ${a.w}))`, (a, s) => `(f64.add ${a.g} (f64.mul ${s(0)} ${a.w}))`, "g = g + c·w, c in args[0]"),
    elementwise(
      "l1_grad",
      ["g", "w"],
      // Math.sign: 1 for w > 0, −1 for w < 0, w itself for ±0 (and NaN)
      (a, s) =>
        `(${V}.add ${a.g} (${V}.mul ${s(0)} (v128.bitselect ${splat(1)} (v128.bitselect ${splat(-1)} ${a.w} (${V}.lt ${a.w} (v128.const f64x2 0 0))) (${V}.gt ${a.w} (v128.const f64x2 0 0)))))`,
      (a, s) => `(f64.add ${a.g} (f64.mul ${s(0)} (select ${f(1)} (select ${f(-1)} ${a.w} (f64.lt ${a.w} (f64.const 0))) (f64.gt ${a.w} (f64.const 0)))))`,
      "g = g + c·sign(w), c in args[0]",
    ),
    elementwise("add_const", ["g"], (a, s) => `(${V}.add ${a.g} ${s(0)})`, (a, s) => `(f64.add ${a.g} ${s(0)})`, "g = g + c, c in args[0]"),
    elementwise("scale", ["g"], (a, s) => `(${V}.mul ${a.g} ${s(0)})`, (a, s) => `(f64.mul ${a.g} ${s(0)})`, "g = g·c, c in args[0]"),
    elementwise("sgd", ["p", "g"], (a, s) => `(${V}.sub ${a.p} (${V}.mul ${s(0)} ${a.g}))`, (a, s) => `(f64.sub ${a.p} (f64.mul ${s(0)} ${a.g}))`, "p = p − lr·g, lr in args[0]"),
  ].join("\n");
}

/** The updates that write two or three arrays: momentum (plain and Nesterov) and Adam. */
function updates() {
  const loop = (name, params, locals, bodyVec, bodyOne, comment) => `
  ;; ${comment}
  (func (export "${name}") ${params.map((p) => `(param $${p} i32)`).join(" ")} (param $len i32) (param $args i32)
    (local $i i32) (local $end i32) ${locals}
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (block $done (loop $pairs
      (br_if $done (i32.gt_s (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
      ${bodyVec}
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $pairs)))
    (if (i32.lt_s (local.get $i) (local.get $end)) (then
      ${bodyOne})))`;
  const at = (p, T) => `(${T === "v" ? "v128" : "f64"}.load (i32.add (local.get $${p}) (local.get $i)))`;
  const st = (p, T, v) => `(${T === "v" ? "v128" : "f64"}.store (i32.add (local.get $${p}) (local.get $i)) ${v})`;
  const arg = (k, T) => (T === "v" ? `(f64x2.splat (f64.load offset=${8 * k} (local.get $args)))` : `(f64.load offset=${8 * k} (local.get $args))`);
  const momentum = (nesterov) => (T) => {
    const o = T === "v" ? "f64x2" : "f64";
    const sfx = T === "v" ? "v" : "s";
    return `(local.set $g${sfx} ${at("g", T)})
      (local.set $vi${sfx} (${o}.add (${o}.mul ${arg(1, T)} ${at("v", T)}) (local.get $g${sfx})))
      ${st("v", T, `(local.get $vi${sfx})`)}
      ${st("p", T, `(${o}.sub ${at("p", T)} (${o}.mul ${arg(0, T)} ${nesterov ? `(${o}.add (local.get $g${sfx}) (${o}.mul ${arg(1, T)} (local.get $vi${sfx})))` : `(local.get $vi${sfx})`}))`)}`;
  };
  // args: lr, β1, β2, ε, 1 − β1^t, 1 − β2^t, 1 − β1, 1 − β2
  const adam = (T) => {
    const o = T === "v" ? "f64x2" : "f64";
    const sfx = T === "v" ? "v" : "s";
    return `(local.set $g${sfx} ${at("g", T)})
      (local.set $mi${sfx} (${o}.add (${o}.mul ${arg(1, T)} ${at("m", T)}) (${o}.mul ${arg(6, T)} (local.get $g${sfx}))))
      (local.set $vi${sfx} (${o}.add (${o}.mul ${arg(2, T)} ${at("v", T)}) (${o}.mul (${o}.mul ${arg(7, T)} (local.get $g${sfx})) (local.get $g${sfx}))))
      ${st("m", T, `(local.get $mi${sfx})`)}
      ${st("v", T, `(local.get $vi${sfx})`)}
      ${st("p", T, `(${o}.sub ${at("p", T)} (${o}.div (${o}.mul ${arg(0, T)} (${o}.div (local.get $mi${sfx}) ${arg(4, T)})) (${o}.add (${o}.sqrt (${o}.div (local.get $vi${sfx}) ${arg(5, T)})) ${arg(3, T)})))`)}`;
  };
  const mLocals = "(local $gv v128) (local $viv v128) (local $gs f64) (local $vis f64)";
  return [
    loop("momentum", ["p", "g", "v"], mLocals, momentum(false)("v"), momentum(false)("s"), "v = μ·v + g; p = p − lr·v (args: lr, μ)"),
    loop("nesterov", ["p", "g", "v"], mLocals, momentum(true)("v"), momentum(true)("s"), "v = μ·v + g; p = p − lr·(g + μ·v) (args: lr, μ)"),
    loop(
      "adam",
      ["p", "g", "m", "v"],
      `${mLocals} (local $miv v128) (local $mis f64)`,
      adam("v"),
      adam("s"),
      "m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g·g; p = p − lr·(m/c1)/(√(v/c2) + ε)",
    ),
  ].join("\n");
}

/** Sums in one running order (a single accumulator: the JavaScript's order), softmax and its backward, column sums, transposes. */
function sequential() {
  return `
  ;; out[0] = out[0] + Σ p[i]², i ascending (a running sum continued across calls)
  (func (export "sum_sq") (param $out i32) (param $p i32) (param $len i32)
    (local $i i32) (local $end i32) (local $s f64) (local $v f64)
    (local.set $s (f64.load (local.get $out)))
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
      (local.set $v (f64.load (i32.add (local.get $p) (local.get $i))))
      (local.set $s (f64.add (local.get $s) (f64.mul (local.get $v) (local.get $v))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $l)))
    (f64.store (local.get $out) (local.get $s)))

  ;; out[0] = out[0] + Σ |p[i]|, i ascending
  (func (export "sum_abs") (param $out i32) (param $p i32) (param $len i32)
    (local $i i32) (local $end i32) (local $s f64)
    (local.set $s (f64.load (local.get $out)))
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
      (local.set $s (f64.add (local.get $s) (f64.abs (f64.load (i32.add (local.get $p) (local.get $i))))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $l)))
    (f64.store (local.get $out) (local.get $s)))

  ;; how many of p[0 … len) have |p[i] − c| > e (c, e at args, args + 8): diagnostics' saturation count; eight values
  ;; (four lane pairs, two counters) a pass, then two a step, then the last one (a count: any order gives the same)
  (func (export "count_outside") (param $p i32) (param $len i32) (param $args i32) (result i32)
    (local $i i32) (local $end i32) (local $c v128) (local $e v128) (local $acc v128) (local $acc2 v128) (local $cs f64) (local $es f64) (local $n i32) (local $q i32)
    (local.set $cs (f64.load (local.get $args)))
    (local.set $es (f64.load offset=8 (local.get $args)))
    (local.set $c (f64x2.splat (local.get $cs)))
    (local.set $e (f64x2.splat (local.get $es)))
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (block $done8 (loop $eights
      (br_if $done8 (i32.gt_s (i32.add (local.get $i) (i32.const 64)) (local.get $end)))
      (local.set $q (i32.add (local.get $p) (local.get $i)))
      ;; a true lane is all ones (−1 as an integer): subtracting it counts it
      (local.set $acc (i64x2.sub (i64x2.sub (local.get $acc)
        (f64x2.gt (f64x2.abs (f64x2.sub (v128.load (local.get $q)) (local.get $c))) (local.get $e)))
        (f64x2.gt (f64x2.abs (f64x2.sub (v128.load offset=16 (local.get $q)) (local.get $c))) (local.get $e))))
      (local.set $acc2 (i64x2.sub (i64x2.sub (local.get $acc2)
        (f64x2.gt (f64x2.abs (f64x2.sub (v128.load offset=32 (local.get $q)) (local.get $c))) (local.get $e)))
        (f64x2.gt (f64x2.abs (f64x2.sub (v128.load offset=48 (local.get $q)) (local.get $c))) (local.get $e))))
      (local.set $i (i32.add (local.get $i) (i32.const 64)))
      (br $eights)))
    (local.set $acc (i64x2.add (local.get $acc) (local.get $acc2)))
    (block $done (loop $pairs
      (br_if $done (i32.gt_s (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
      ;; a true lane is all ones (−1 as an integer): subtracting it counts it
      (local.set $acc (i64x2.sub (local.get $acc)
        (f64x2.gt (f64x2.abs (f64x2.sub (v128.load (i32.add (local.get $p) (local.get $i))) (local.get $c))) (local.get $e))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $pairs)))
    (local.set $n (i32.wrap_i64 (i64.add (i64x2.extract_lane 0 (local.get $acc)) (i64x2.extract_lane 1 (local.get $acc)))))
    (if (i32.lt_s (local.get $i) (local.get $end)) (then
      (local.set $n (i32.add (local.get $n)
        (f64.gt (f64.abs (f64.sub (f64.load (i32.add (local.get $p) (local.get $i))) (local.get $cs))) (local.get $es))))))
    (local.get $n))

  ;; out[0] = Σ (y[i] − a[i])², i ascending
  (func (export "sum_sq_diff") (param $out i32) (param $y i32) (param $a i32) (param $len i32)
    (local $i i32) (local $end i32) (local $s f64) (local $d f64)
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
      (local.set $d (f64.sub (f64.load (i32.add (local.get $y) (local.get $i))) (f64.load (i32.add (local.get $a) (local.get $i)))))
      (local.set $s (f64.add (local.get $s) (f64.mul (local.get $d) (local.get $d))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $l)))
    (f64.store (local.get $out) (local.get $s)))

  ;; db[j] = 0 + Σ_r dz[r, j], r ascending; two columns a lane pair, up to 16 columns (8 sums) a pass over the rows
  (func (export "col_sum") (param $db i32) (param $dz i32) (param $n i32) (param $nOut i32)
    (local $j i32) (local $p i32) (local $end i32) (local $rowB i32) (local $s f64)
    ${[0, 1, 2, 3, 4, 5, 6, 7].map((v) => `(local $s${v} v128)`).join(" ")}
    (local.set $rowB (i32.shl (local.get $nOut) (i32.const 3)))
    (local.set $end (i32.add (local.get $dz) (i32.mul (local.get $n) (local.get $rowB))))${[8, 4, 2, 1]
      .map(
        (vecs) => `
    (block $done${vecs} (loop $cols${vecs}
      (br_if $done${vecs} (i32.gt_s (i32.add (local.get $j) (i32.const ${16 * vecs})) (local.get $rowB)))
      ${Array.from({ length: vecs }, (_, v) => `(local.set $s${v} (v128.const f64x2 0 0))`).join(" ")}
      (local.set $p (i32.add (local.get $dz) (local.get $j)))
      (block $rd${vecs} (loop $rows${vecs}
        (br_if $rd${vecs} (i32.ge_u (local.get $p) (local.get $end)))
        ${Array.from({ length: vecs }, (_, v) => `(local.set $s${v} (f64x2.add (local.get $s${v}) (v128.load offset=${16 * v} (local.get $p))))`).join("\n        ")}
        (local.set $p (i32.add (local.get $p) (local.get $rowB)))
        (br $rows${vecs})))
      ${Array.from({ length: vecs }, (_, v) => `(v128.store offset=${16 * v} (i32.add (local.get $db) (local.get $j)) (local.get $s${v}))`).join("\n      ")}
      (local.set $j (i32.add (local.get $j) (i32.const ${16 * vecs})))
      (br $cols${vecs})))`,
      )
      .join("")}
    (if (i32.lt_s (local.get $j) (local.get $rowB)) (then
      (local.set $s (f64.const 0))
      (local.set $p (i32.add (local.get $dz) (local.get $j)))
      (block $rd0 (loop $rows0
        (br_if $rd0 (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $s (f64.add (local.get $s) (f64.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (local.get $rowB)))
        (br $rows0)))
      (f64.store (i32.add (local.get $db) (local.get $j)) (local.get $s)))))

  ;; dst (cols, rows) = src (rows, cols) transposed
  (func (export "transpose") (param $dst i32) (param $src i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32)
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $cd (loop $cl
        (br_if $cd (i32.ge_s (local.get $c) (local.get $cols)))
        (f64.store (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 3)))
          (f64.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 3)))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cl)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl))))

  ;; softmax per row of nOut values: a = e^(z − max) / Σ e^(z − max) (activations.ts's softmaxRows)
  (func (export "softmax") (param $out i32) (param $z i32) (param $len i32) (param $nOut i32)
    (local $r i32) (local $j i32) (local $end i32) (local $rowB i32) (local $max f64) (local $v f64) (local $sum f64)
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (local.set $rowB (i32.shl (local.get $nOut) (i32.const 3)))
    (block $rd (loop $rows
      (br_if $rd (i32.ge_s (local.get $r) (local.get $end)))
      (local.set $max ${f("-inf")})
      (local.set $j (i32.const 0))
      (block $d1 (loop $l1
        (br_if $d1 (i32.ge_s (local.get $j) (local.get $rowB)))
        (local.set $v (f64.load (i32.add (local.get $z) (i32.add (local.get $r) (local.get $j)))))
        (if (f64.gt (local.get $v) (local.get $max)) (then (local.set $max (local.get $v))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $l1)))
      (local.set $sum (f64.const 0))
      (local.set $j (i32.const 0))
      (block $d2 (loop $l2
        (br_if $d2 (i32.ge_s (local.get $j) (local.get $rowB)))
        (local.set $v (call $exp (f64.sub (f64.load (i32.add (local.get $z) (i32.add (local.get $r) (local.get $j)))) (local.get $max))))
        (f64.store (i32.add (local.get $out) (i32.add (local.get $r) (local.get $j))) (local.get $v))
        (local.set $sum (f64.add (local.get $sum) (local.get $v)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $l2)))
      (local.set $j (i32.const 0))
      (block $d3 (loop $l3
        (br_if $d3 (i32.ge_s (local.get $j) (local.get $rowB)))
        (f64.store (i32.add (local.get $out) (i32.add (local.get $r) (local.get $j)))
          (f64.div (f64.load (i32.add (local.get $out) (i32.add (local.get $r) (local.get $j)))) (local.get $sum)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $l3)))
      (local.set $r (i32.add (local.get $r) (local.get $rowB)))
      (br $rows))))

  ;; dz = a·(da − Σ_k da_k·a_k) per row
  (func (export "softmax_back") (param $dz i32) (param $da i32) (param $a i32) (param $len i32) (param $nOut i32)
    (local $r i32) (local $j i32) (local $end i32) (local $rowB i32) (local $dot f64) (local $o i32)
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (local.set $rowB (i32.shl (local.get $nOut) (i32.const 3)))
    (block $rd (loop $rows
      (br_if $rd (i32.ge_s (local.get $r) (local.get $end)))
      (local.set $dot (f64.const 0))
      (local.set $j (i32.const 0))
      (block $d1 (loop $l1
        (br_if $d1 (i32.ge_s (local.get $j) (local.get $rowB)))
        (local.set $o (i32.add (local.get $r) (local.get $j)))
        (local.set $dot (f64.add (local.get $dot) (f64.mul (f64.load (i32.add (local.get $da) (local.get $o))) (f64.load (i32.add (local.get $a) (local.get $o))))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $l1)))
      (local.set $j (i32.const 0))
      (block $d2 (loop $l2
        (br_if $d2 (i32.ge_s (local.get $j) (local.get $rowB)))
        (local.set $o (i32.add (local.get $r) (local.get $j)))
        (f64.store (i32.add (local.get $dz) (local.get $o))
          (f64.mul (f64.load (i32.add (local.get $a) (local.get $o))) (f64.sub (f64.load (i32.add (local.get $da) (local.get $o))) (local.get $dot))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $l2)))
      (local.set $r (i32.add (local.get $r) (local.get $rowB)))
      (br $rows))))`;
}

export function wat() {
  constPool.clear();
  return `(module
  (memory (export "memory") 1)${scalarMath()}${dense()}${denseSmall()}${denseSmallDb()}${sigmoid()}${tanh()}${elementwiseKernels()}${updates()}${sequential()}${constSegment()})
`;
}

export async function build() {
  const wabt = await wabtInit();
  const mod = wabt.parseWat("train.wat", wat(), { simd: true });
  mod.validate();
  const { buffer } = mod.toBinary({});
  mod.destroy();
  const base64 = Buffer.from(buffer).toString("base64");
  return `// Generated by scripts/gen-wasm-train.mjs from the WebAssembly text there: do not edit.
// The module of core's training kernels (${buffer.length} bytes), as base64.
export const TRAIN_WASM = "${base64}";
export const TRAIN_EXPM1_AT = ${EXPM1_AT};
export const TRAIN_POW2_AT = ${POW2_AT};
export const TRAIN_FREE_AT = ${FREE_AT};
`;
}

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "src", "wasm-train-kernels.generated.ts");
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes("--wat")) {
    process.stdout.write(wat());
  } else {
    const text = await build();
    if (process.argv.includes("--check")) {
      if (readFileSync(target, "utf8") !== text) {
        console.error(`${target} is not what scripts/gen-wasm-train.mjs builds: run node scripts/gen-wasm-train.mjs`);
        process.exit(1);
      }
    } else writeFileSync(target, text);
  }
}
