import type { Explanation, Matrix } from "@backprop-lab/core";
import { formatCell, formatNumber } from "../format.js";
import type { Messages } from "../i18n.js";

/** One line of the explain view; `kind` picks its style. */
export interface ExplainLine {
  text: string;
  kind: "title" | "section" | "layer" | "math";
}

const SUB = "₀₁₂₃₄₅₆₇₈₉";
/** Layer l (0-based) as the course's subscript: 0 → "₁". */
export function sub(l: number): string {
  return String(l + 1)
    .split("")
    .map((d) => SUB[Number(d)]!)
    .join("");
}

const SLOPE: Record<string, string> = {
  sigmoid: "a(1 − a)",
  tanh: "1 − a²",
  relu: "1[z > 0]",
  "leaky-relu": "1 or 0.01",
  linear: "1",
  softmax: "a(1 − a)",
};

const ACTIVATION: Record<string, string> = {
  sigmoid: "σ(z)",
  tanh: "tanh(z)",
  relu: "max(0, z)",
  "leaky-relu": "max(0.01z, z)",
  linear: "z",
  softmax: "softmax(z)",
};

const LOSS: Record<string, { value: string; grad: string }> = {
  mse: { value: "Σ(y − a)² / 2n", grad: "−(y − a)/n" },
  "cross-entropy": { value: "−Σ y·log a / n", grad: "−y/(a·n)" },
  "binary-cross-entropy": { value: "−Σ[y·log a + (1 − y)·log(1 − a)] / n", grad: "−(y/a − (1 − y)/(1 − a))/n" },
};


/** A matrix as lines "[ 0.1234  -0.5000 ]", at most `maxWidth` characters wide (extra columns become "…"). */
export function matrixLines(m: Matrix | number[], maxWidth: number, decimals = 4): string[] {
  const CELL = decimals + 4;
  const rows: number[][] = Array.isArray(m[0]) ? (m as Matrix) : [m as number[]];
  const cols = rows[0]?.length ?? 0;
  const fit = Math.max(1, Math.floor((maxWidth - 4) / (CELL + 1)));
  const shown = Math.min(cols, cols > fit ? fit - 1 : fit);
  return rows.map((r) => {
    const cells = r.slice(0, shown).map((v) => formatCell(v, CELL, decimals));
    if (shown < cols) cells.push("…".padStart(CELL));
    return `[ ${cells.join(" ")} ]`;
  });
}

/**
 * A run's explanation of its next step (core's `run.explain()`: its batch,
 * scheduled rate, penalty, clipping and optimizer) as the course lays out its
 * worked example: the forward pass layer by layer, the loss, the backward
 * pass from the output down (∂L/∂a, ∂a/∂z, ∂L/∂z, ∂L/∂W, ∂L/∂b), clipping,
 * and the update, every matrix printed. Per-row matrices (x, z, a and their
 * gradients) show row `row` of the batch, or every row when it is null; the
 * weights, their gradients and the next weights are whole.
 */
export function explainLines(e: Explanation, m: Messages, width: number, decimals = 4, row: number | null = null): ExplainLine[] {
  const out: ExplainLine[] = [];
  const indent = "    ";
  const r = row === null ? null : Math.min(Math.max(0, row), e.n - 1);
  const perRow = (value: Matrix | null): Matrix | null => (value === null || r === null ? value : value.slice(r, r + 1));
  const math = (label: string, value: Matrix | number[] | null) => {
    if (value === null) return;
    const pad = " ".repeat(label.length);
    const lines = matrixLines(value, width - indent.length - label.length, decimals);
    lines.forEach((line, i) => out.push({ text: `${indent}${i === 0 ? label : pad}${line}`, kind: "math" }));
  };
  const L = e.layers.length;
  const reg = e.regLoss !== 0;

  out.push({ text: m.explainForward, kind: "section" });
  math("x  = ", perRow(e.x));
  for (const layer of e.layers) {
    const s = sub(layer.index);
    const input = layer.index === 0 ? "x" : `a${sub(layer.index - 1)}`;
    out.push({ text: `  ${m.explainLayer(layer.index, layer.activation)}`, kind: "layer" });
    math(`W${s} = `, layer.W);
    if (layer.b) math(`b${s} = `, layer.b);
    math(`z${s} = ${input}·W${s}${layer.b ? ` + b${s}` : ""} = `, perRow(layer.z));
    math(`a${s} = ${(ACTIVATION[layer.activation] ?? "f(z)").replaceAll("z", `z${s}`)} = `, perRow(layer.a));
  }

  const loss = LOSS[e.loss] ?? LOSS.mse!;
  const last = sub(L - 1);
  out.push({ text: m.explainLoss, kind: "section" });
  math("y  = ", perRow(e.y));
  out.push({
    text: `${indent}L = ${loss.value.replaceAll("a", `a${last}`)}${reg ? " + penalty" : ""} = ${formatNumber(e.dataLoss, 6)}${reg ? ` + ${formatNumber(e.regLoss, 6)}` : ""}`,
    kind: "math",
  });

  out.push({ text: m.explainBackward, kind: "section" });
  for (let l = L - 1; l >= 0; l--) {
    const layer = e.layers[l]!;
    const s = sub(l);
    const input = l === 0 ? "x" : `a${sub(l - 1)}`;
    out.push({ text: `  ${m.explainLayer(l, layer.activation)}`, kind: "layer" });
    math(`∂L/∂a${s} = ${l === L - 1 ? loss.grad.replaceAll("a", `a${s}`) : `∂L/∂z${sub(l + 1)}·W${sub(l + 1)}ᵀ`} = `, perRow(layer.dL_da));
    math(`∂a${s}/∂z${s} = ${(SLOPE[layer.activation] ?? "f′(z)").replaceAll("a", `a${s}`).replaceAll("z", `z${s}`)} = `, perRow(layer.da_dz));
    math(`∂L/∂z${s} = ∂L/∂a${s} ⊙ ∂a${s}/∂z${s} = `, perRow(layer.dL_dz));
    math(`∂L/∂W${s} = ${input}ᵀ·∂L/∂z${s}${reg ? " + ∂penalty/∂W" : ""} = `, layer.dL_dW);
    if (layer.dL_db) math(`∂L/∂b${s} = Σ ∂L/∂z${s} = `, layer.dL_db);
  }

  out.push({
    text: `${indent}‖∇‖ = ${formatNumber(e.gradNorm, 6)}${e.clipped ? ` → ${m.explainClipped} ${formatNumber(e.clippedNorm, 6)}` : ""}`,
    kind: "math",
  });

  const rate = e.learningRate === e.baseLearningRate ? "" : ` = ${m.explainScheduled(formatNumber(e.baseLearningRate, 6), e.step)}`;
  out.push({ text: `${m.explainUpdate} (${e.optimizer}, ${m.explainLr} η = ${formatNumber(e.learningRate, 6)}${rate})`, kind: "section" });
  for (const layer of e.layers) {
    const s = sub(layer.index);
    const rule = (p: string) => (e.optimizer === "sgd" ? `${p}${s} ← ${p}${s} − η·∂L/∂${p}${s} = ` : `${p}${s} ← ${e.optimizer}(${p}${s}, ∂L/∂${p}${s}) = `);
    math(rule("W"), layer.W_next);
    if (layer.b_next) math(rule("b"), layer.b_next);
  }
  out.push({ text: `${indent}${m.explainLossAfter}: ${formatNumber(e.totalLoss, 6)} → ${formatNumber(e.lossAfterUpdate, 6)}`, kind: "math" });
  return out;
}
