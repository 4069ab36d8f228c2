import type { ModelMismatch } from "@backprop-lab/core";

/** The languages every user-facing text of the API exists in. */
export type Lang = "en" | "es";

export interface Localized {
  en: string;
  es: string;
}

/**
 * The best of our languages for an Accept-Language header: Spanish when the
 * client ranks any es tag above every en tag, else English.
 */
export function pickLanguage(header: string | undefined | null): Lang {
  if (!header) return "en";
  let best: { lang: Lang; q: number } = { lang: "en", q: -1 };
  for (const part of header.split(",")) {
    const [tag = "", ...params] = part.trim().split(";");
    const base = tag.trim().toLowerCase().split("-")[0];
    if (base !== "en" && base !== "es" && base !== "*") continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    const lang: Lang = base === "es" ? "es" : "en";
    if (q > best.q) best = { lang, q };
  }
  return best.lang;
}

/** Every kind of problem the API reports, with its HTTP status and title. */
export const PROBLEMS = {
  "invalid-json": { status: 400, title: { en: "Malformed JSON", es: "JSON mal formado" } },
  "validation-failed": { status: 422, title: { en: "Invalid request", es: "Petición no válida" } },
  "limit-exceeded": { status: 422, title: { en: "Limit exceeded", es: "Límite superado" } },
  "work-budget-exceeded": { status: 422, title: { en: "Work budget exceeded", es: "Presupuesto de trabajo superado" } },
  "body-too-large": { status: 413, title: { en: "Request body too large", es: "Cuerpo de la petición demasiado grande" } },
  "unsupported-media-type": { status: 415, title: { en: "Unsupported media type", es: "Tipo de contenido no admitido" } },
  "not-found": { status: 404, title: { en: "Not found", es: "No encontrado" } },
  "method-not-allowed": { status: 405, title: { en: "Method not allowed", es: "Método no permitido" } },
  "rate-limited": { status: 429, title: { en: "Too many requests", es: "Demasiadas peticiones" } },
  "server-busy": { status: 503, title: { en: "Server busy", es: "Servidor ocupado" } },
  "training-timeout": { status: 504, title: { en: "Training took too long", es: "El entrenamiento tardó demasiado" } },
  "request-timeout": { status: 504, title: { en: "The request took too long", es: "La petición tardó demasiado" } },
  "internal-error": { status: 500, title: { en: "Internal error", es: "Error interno" } },
} as const satisfies Record<string, { status: number; title: Localized }>;

export type ProblemKind = keyof typeof PROBLEMS;

/** Spanish wording of core's error codes; core itself speaks English. */
export const CORE_CODE_ES: Readonly<Record<string, string>> = {
  "invalid-argument": "valor no válido",
  "invalid-spec": "forma de red no válida",
  "shape-mismatch": "las dimensiones no coinciden",
  "capacity-exceeded": "capacidad superada",
  "invalid-config": "configuración no válida",
  "invalid-model": "modelo no válido",
  "invalid-data": "datos no válidos",
  "unknown-name": "nombre desconocido",
};

/** Short texts of the API itself. */
export const TEXT = {
  invalidJson: {
    en: "The request body is not valid JSON.",
    es: "El cuerpo de la petición no es JSON válido.",
  },
  validation: {
    en: (n: number) => `The request has ${n} invalid field${n === 1 ? "" : "s"}; see errors.`,
    es: (n: number) => `La petición tiene ${n} campo${n === 1 ? "" : "s"} no válido${n === 1 ? "" : "s"}; vea errors.`,
  },
  bodyTooLarge: {
    en: (limit: number) => `The request body is larger than ${limit} bytes.`,
    es: (limit: number) => `El cuerpo de la petición supera ${limit} bytes.`,
  },
  mediaType: {
    en: (got: string) => `Send the body as application/json (got ${got}).`,
    es: (got: string) => `Envíe el cuerpo como application/json (se recibió ${got}).`,
  },
  charset: {
    en: (got: string) => `JSON is UTF-8: send charset=utf-8 or no charset (got ${got}).`,
    es: (got: string) => `JSON va en UTF-8: envíe charset=utf-8 o ningún charset (se recibió ${got}).`,
  },
  methodNotAllowed: {
    en: (method: string, path: string, allow: string) => `${path} does not take ${method}; it takes ${allow}.`,
    es: (method: string, path: string, allow: string) => `${path} no admite ${method}; admite ${allow}.`,
  },
  notFound: {
    en: (method: string, path: string) => `No route for ${method} ${path}; see /openapi.json.`,
    es: (method: string, path: string) => `No hay ruta para ${method} ${path}; vea /openapi.json.`,
  },
  rateLimited: {
    en: "Too many requests from this client; retry later.",
    es: "Demasiadas peticiones de este cliente; reintente más tarde.",
  },
  busy: {
    en: "Every training worker is busy and the queue is full; retry shortly.",
    es: "Todos los procesos de entrenamiento están ocupados y la cola está llena; reintente en breve.",
  },
  timeout: {
    en: (ms: number) => `Training was stopped after ${ms} ms of wall-clock time; ask for fewer steps or a smaller network.`,
    es: (ms: number) => `El entrenamiento se detuvo tras ${ms} ms de tiempo real; pida menos pasos o una red más pequeña.`,
  },
  requestTimeout: {
    en: (ms: number) => `The request was stopped after ${ms} ms of wall-clock time; ask for less work.`,
    es: (ms: number) => `La petición se detuvo tras ${ms} ms de tiempo real; pida menos trabajo.`,
  },
  internal: {
    en: "Something went wrong on our side.",
    es: "Algo falló de nuestro lado.",
  },
  budget: {
    en: (cost: number, budget: number) =>
      `This request costs ${cost} units of work (steps × samples × parameters) and the budget is ${budget}; use fewer steps, fewer samples or a smaller network.`,
    es: (cost: number, budget: number) =>
      `Esta petición cuesta ${cost} unidades de trabajo (pasos × muestras × parámetros) y el presupuesto es ${budget}; use menos pasos, menos muestras o una red más pequeña.`,
  },
  cost: {
    en: (resource: string, value: number, limit: number, largest: string) =>
      `This request needs ${value} ${resource === "cpu" ? "units of work (multiply-adds)" : resource === "memory" ? "bytes of memory" : "bytes of response"}, over the limit of ${limit}; its largest part is ${largest}. Ask for less of it.`,
    es: (resource: string, value: number, limit: number, largest: string) =>
      `Esta petición necesita ${value} ${resource === "cpu" ? "unidades de trabajo (multiplicaciones-sumas)" : resource === "memory" ? "bytes de memoria" : "bytes de respuesta"}, por encima del límite de ${limit}; su parte mayor es ${largest}. Pida menos de eso.`,
  },
  limit: {
    en: (field: string, value: number, limit: number) => `${field} is ${value}, the limit is ${limit}.`,
    es: (field: string, value: number, limit: number) => `${field} vale ${value}, el límite es ${limit}.`,
  },
  reportEveryConflict: {
    en: (reportEvery: number, every: number) => `reportEvery (${reportEvery}) and config.evaluation.every (${every}) disagree; give one of them.`,
    es: (reportEvery: number, every: number) => `reportEvery (${reportEvery}) y config.evaluation.every (${every}) no coinciden; indique solo uno.`,
  },
  explainConflict: {
    en: (field: string) => `Give either config (a run to explain) or ${field}, not both.`,
    es: (field: string) => `Indique config (una ejecución que explicar) o ${field}, no ambos.`,
  },
  stepsWithoutConfig: {
    en: "steps counts a run's updates before the explained step: give config too.",
    es: "steps cuenta las actualizaciones de una ejecución antes del paso explicado: indique también config.",
  },
  presetAndConfig: {
    en: "Give either preset or config, not both.",
    es: "Indique preset o config, no ambos.",
  },
  unknownPreset: {
    en: (id: string) => `Unknown preset or failure lab ${JSON.stringify(id)}; see GET /v1/presets.`,
    es: (id: string) => `Preset o laboratorio de fallos desconocido ${JSON.stringify(id)}; vea GET /v1/presets.`,
  },
  fixWithoutLab: {
    en: "applyFix needs the preset of a failure lab.",
    es: "applyFix necesita el preset de un laboratorio de fallos.",
  },
  modelNeedsData: {
    en: "With a model, give x and y too.",
    es: "Con un modelo, indique también x e y.",
  },
  coreError: {
    en: (message: string) => message,
    es: (code: string, field: string | undefined, message: string) =>
      `${CORE_CODE_ES[code] ?? "valor no válido"}${field ? ` en ${field}` : ""} (${message})`,
  },
  modelMismatch: {
    // core's own sentence (the one every face shows), and its Spanish from the same data
    en: (m: ModelMismatch) => m.message,
    es: (m: ModelMismatch) => {
      const n = (v: unknown, one: string, many: string) => `${String(v)} ${v === 1 ? one : many}`;
      switch (m.what) {
        case "layers":
          return `el modelo tiene ${n(m.model, "capa oculta", "capas ocultas")}, la red del documento tiene ${String(m.network)} (${m.source})`;
        case "inputs":
          return `el modelo lee ${n(m.model, "entrada", "entradas")}, la red del documento lee ${String(m.network)} (sus datos y features)`;
        case "units":
          return `la capa ${String(m.layer)} del modelo tiene ${n(m.model, "unidad", "unidades")}, la red del documento tiene ${String(m.network)} (${m.source})`;
        case "outputs":
          return `el modelo tiene ${n(m.model, "salida", "salidas")}, la red del documento tiene ${String(m.network)} (los objetivos de sus datos)`;
        case "activation":
          return `la capa ${String(m.layer)} del modelo usa ${String(m.model)}, la red del documento usa ${String(m.network)} (${m.source})`;
        case "output":
          return `la activación de salida del modelo es ${String(m.model)}, la de la red del documento es ${String(m.network)} (${m.source})`;
        case "bias":
          return `el modelo ${m.model ? "tiene" : "no tiene"} sesgos, la red del documento ${m.network ? "los tiene" : "no los tiene"} (${m.source})`;
      }
    },
  },
  streamStopped: {
    en: "The client disconnected; training stopped.",
    es: "El cliente se desconectó; el entrenamiento se detuvo.",
  },
} as const;
