import { normalizeRunDocument, type RunDocument, type RunDocumentInput, type RunNetwork, type RunTraining } from "@backprop-lab/core";
import type { Localized } from "./findings.js";

/** A partial run document: only the settings a fix changes. */
export interface RunDocumentPatch {
  seed?: number;
  features?: RunDocument["features"];
  network?: Partial<RunNetwork>;
  init?: Partial<RunDocument["init"]>;
  /** An optimizer of the same kind merges field by field (momentum alone keeps nesterov); another kind replaces it. */
  training?: Partial<Omit<RunTraining, "regularization" | "optimizer">> & {
    regularization?: Partial<RunTraining["regularization"]>;
    optimizer?: NonNullable<NonNullable<RunDocumentInput["training"]>["optimizer"]>;
  };
}

export type FixId =
  | "lower-learning-rate"
  | "raise-learning-rate"
  | "clip-gradients"
  | "decay-learning-rate"
  | "larger-batch"
  | "use-tanh"
  | "use-relu"
  | "use-leaky-relu"
  | "enable-bias"
  | "weaker-regularization"
  | "correct-l2-gradient";

/**
 * A concrete change of settings an app applies in one action:
 * `applyFix(config, fix)` for the patch, and `fix.clip` (when present) passed
 * to attachDiagnostics({ clip }) for the new run.
 */
export interface Fix {
  id: FixId;
  label: Localized;
  patch: RunDocumentPatch;
  clip?: { kind: "norm"; maxNorm: number };
}

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Objects merge key by key; arrays and scalars replace. An object with a
 * different `kind` (an optimizer, schedule or penalty of another type)
 * replaces the old one instead of inheriting its fields.
 */
function merge(base: unknown, patch: unknown): unknown {
  if (!isPlain(patch) || !isPlain(base)) return structuredCloneJSON(patch);
  if ("kind" in patch && patch.kind !== base.kind) return structuredCloneJSON(patch);
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    out[k] = k in base ? merge(base[k], v) : structuredCloneJSON(v);
  }
  return out;
}

function structuredCloneJSON<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/**
 * The run document with the fix's patch deep-merged in, validated again with
 * normalizeRunDocument (so a bad patch throws a BackpropError naming the
 * field). Pure: `document` is not changed. `fix.clip` is not part of the
 * patch: set the document's `training.clipping` from it, or pass it to
 * attachDiagnostics for the new run.
 */
export function applyFix(document: RunDocument, fix: Pick<Fix, "patch">): RunDocument {
  return normalizeRunDocument(merge(structuredCloneJSON(document), fix.patch) as RunDocumentInput);
}

/** Three significant digits, the way fixes write the numbers they choose. */
export function round3(x: number): number {
  return Number(x.toPrecision(3));
}

export const fixes = {
  lowerLearningRate(learningRate: number, factor: number): Fix {
    const next = round3(learningRate * factor);
    return {
      id: "lower-learning-rate",
      label: { en: `Learning rate ${learningRate} → ${next}`, es: `Tasa de aprendizaje ${learningRate} → ${next}` },
      patch: { training: { learningRate: next } },
    };
  },
  /**
   * After an explosion: a lower rate; for a small mini-batch, a batch
   * `batchFactor`× larger (its noise kicks a run back over the edge); for
   * momentum above `momentum.to`, that momentum (heavy-ball momentum μ
   * multiplies the step by about 1/(1 − μ): 10× at 0.9, 2× at 0.5).
   * Every part only ever tightens: applied again it lowers the rate again
   * and keeps the batch and momentum it set.
   */
  calmExplosion(
    learningRate: number,
    factor: number,
    batch: { from: number; to: number } | null,
    momentum: { from: number; to: number } | null = null,
  ): Fix {
    const next = round3(learningRate * factor);
    if (!batch && !momentum) return fixes.lowerLearningRate(learningRate, factor);
    const en = [`Learning rate ${learningRate} → ${next}`];
    const es = [`Tasa de aprendizaje ${learningRate} → ${next}`];
    const training: NonNullable<RunDocumentPatch["training"]> = { learningRate: next };
    if (momentum) {
      en.push(`momentum ${momentum.from} → ${momentum.to}`);
      es.push(`momento ${momentum.from} → ${momentum.to}`);
      // same kind: applyFix merges it, so nesterov stays as it was
      training.optimizer = { kind: "momentum", momentum: momentum.to };
    }
    if (batch) {
      en.push(`batch size ${batch.from} → ${batch.to}`);
      es.push(`tamaño de lote ${batch.from} → ${batch.to}`);
      training.batchSize = batch.to;
    }
    return { id: "lower-learning-rate", label: { en: en.join(", "), es: es.join(", ") }, patch: { training } };
  },
  raiseLearningRate(learningRate: number, factor: number): Fix {
    const next = round3(learningRate / factor);
    return {
      id: "raise-learning-rate",
      label: { en: `Learning rate ${learningRate} → ${next}`, es: `Tasa de aprendizaje ${learningRate} → ${next}` },
      patch: { training: { learningRate: next } },
    };
  },
  clipGradients(maxNorm: number): Fix {
    const c = round3(maxNorm);
    return {
      id: "clip-gradients",
      label: { en: `Clip the gradient norm at ${c}`, es: `Recortar la norma del gradiente a ${c}` },
      patch: {},
      clip: { kind: "norm", maxNorm: c },
    };
  },
  decayLearningRate(decaySteps: number): Fix {
    return {
      id: "decay-learning-rate",
      label: {
        en: `Halve the learning rate every ${decaySteps} steps`,
        es: `Reducir a la mitad la tasa de aprendizaje cada ${decaySteps} pasos`,
      },
      patch: { training: { schedule: { kind: "exponential", decayRate: 0.5, decaySteps } } },
    };
  },
  largerBatch(batchSize: number): Fix {
    return {
      id: "larger-batch",
      label: { en: `Batch size → ${batchSize}`, es: `Tamaño de lote → ${batchSize}` },
      patch: { training: { batchSize } },
    };
  },
  useTanh(): Fix {
    return { id: "use-tanh", label: { en: "Hidden activation sigmoid → tanh", es: "Activación oculta sigmoide → tanh" }, patch: { network: { activation: "tanh" } } };
  },
  useRelu(): Fix {
    return {
      id: "use-relu",
      label: { en: "Hidden activation → relu, He initialization", es: "Activación oculta → relu, inicialización He" },
      patch: { network: { activation: "relu" }, init: { scheme: "he" } },
    };
  },
  /** relu → leaky-relu; with `step`, that fix's training changes too (units killed by a step too large). */
  useLeakyRelu(step?: Fix): Fix {
    const label = { en: "Hidden activation relu → leaky-relu", es: "Activación oculta relu → leaky-relu" };
    const patch: RunDocumentPatch = { network: { activation: "leaky-relu" } };
    if (!step) return { id: "use-leaky-relu", label, patch };
    const lower = (t: string) => t.charAt(0).toLowerCase() + t.slice(1);
    return {
      id: "use-leaky-relu",
      label: { en: `${label.en}, ${lower(step.label.en)}`, es: `${label.es}, ${lower(step.label.es)}` },
      patch: { ...patch, training: step.patch.training },
    };
  },
  enableBias(): Fix {
    return { id: "enable-bias", label: { en: "Turn biases on", es: "Activar los sesgos" }, patch: { network: { bias: true } } };
  },
  weakerRegularization(kind: "l1" | "l2", lambda: number, factor: number): Fix {
    const next = round3(lambda * factor);
    return {
      id: "weaker-regularization",
      label: { en: `${kind.toUpperCase()} penalty ${lambda} → ${next}`, es: `Penalización ${kind.toUpperCase()} ${lambda} → ${next}` },
      patch: { training: { regularization: { kind, lambda: next } } },
    };
  },
  correctL2Gradient(lambda: number): Fix {
    return {
      id: "correct-l2-gradient",
      label: { en: "Use the correct L2 gradient λ·W/n", es: "Usar el gradiente L2 correcto λ·W/n" },
      patch: { training: { regularization: { kind: "l2", lambda, gradient: "correct" } } },
    };
  },
} as const;
