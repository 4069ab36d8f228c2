import { createTrainingRun, evaluate, explainStep, makeDataset, mlpFromParams, presetDocument, type Matrix } from "@backprop-lab/core";

type Lang = "en" | "es";

const TEXT = {
  en: {
    title: "The course's worked example: one training step of the 2-3-2 sigmoid network (no biases)",
    forward: "Forward pass",
    loss: "Loss",
    backward: "Backward pass",
    update: "Update",
    lossAfter: "loss after the update",
    training: (steps: number) => `Training the course's network with biases on its 300 XOR points (${steps} full-batch steps)`,
    progress: (step: number, loss: number, acc: number) => `step ${String(step).padStart(5)}  loss ${loss.toFixed(5)}  accuracy ${(acc * 100).toFixed(1)} %`,
    final: (acc: number) => `final accuracy: ${(acc * 100).toFixed(1)} % of the 300 points`,
    note: "Without biases the same network stalls near 68 %: every hidden unit's line passes through the origin.",
  },
  es: {
    title: "El ejemplo trabajado del curso: un paso de entrenamiento de la red sigmoide 2-3-2 (sin sesgos)",
    forward: "Propagación hacia adelante",
    loss: "Pérdida",
    backward: "Propagación hacia atrás",
    update: "Actualización",
    lossAfter: "pérdida tras la actualización",
    training: (steps: number) => `Entrenando la red del curso con sesgos sobre sus 300 puntos XOR (${steps} pasos con el lote completo)`,
    progress: (step: number, loss: number, acc: number) => `paso ${String(step).padStart(5)}  pérdida ${loss.toFixed(5)}  exactitud ${(acc * 100).toFixed(1)} %`,
    final: (acc: number) => `exactitud final: ${(acc * 100).toFixed(1)} % de los 300 puntos`,
    note: "Sin sesgos la misma red se queda cerca del 68 %: la recta de cada neurona oculta pasa por el origen.",
  },
} as const;

function pickLang(argv: string[], env: NodeJS.ProcessEnv): Lang {
  const flag = argv.indexOf("--lang");
  const value = flag >= 0 ? argv[flag + 1] : (env.LANG ?? "");
  return value?.toLowerCase().startsWith("es") ? "es" : "en";
}

const fmt = (v: number) => (v < 0 ? "" : " ") + v.toFixed(8);
const show = (m: Matrix) => m.map((row) => `[${row.map(fmt).join(" ")}]`).join("\n" + " ".repeat(15));

export function runCourse(lang: Lang, steps: number, log: (line: string) => void): number {
  const t = TEXT[lang];
  const course = presetDocument("course-2-3-2");
  const first = createTrainingRun(course);
  const net = mlpFromParams(first.net.spec, first.net.params.slice());
  const data = makeDataset("course-xor");
  const e = explainStep(net, [Array.from(data.x.subarray(0, 2))], [Array.from(data.y.subarray(0, 2))], { learningRate: 0.001, loss: "mse" });
  const [l1, l2] = e.layers;
  const line = (name: string, m: Matrix) => log(`  ${name.padEnd(10)} = ${show(m)}`);
  log(t.title);
  log("");
  log(t.forward);
  line("X", e.x);
  line("W1", l1!.W);
  line("z1 = X·W1", l1!.z);
  line("h1 = σ(z1)", l1!.a);
  line("W2", l2!.W);
  line("z2 = h1·W2", l2!.z);
  line("h2 = σ(z2)", l2!.a);
  log(`${t.loss}: ½·Σ(y − h2)² = ${e.dataLoss.toFixed(8)}   (y = [${e.y[0]!.join(" ")}])`);
  log("");
  log(t.backward);
  line("dL/dh2", l2!.dL_da);
  line("dh2/dz2", l2!.da_dz);
  line("dL/dz2", l2!.dL_dz);
  line("dL/dW2", l2!.dL_dW);
  line("dL/dh1", l2!.dL_dinput!);
  line("dh1/dz1", l1!.da_dz);
  line("dL/dz1", l1!.dL_dz);
  line("dL/dW1", l1!.dL_dW);
  log("");
  log(`${t.update} (α = ${e.learningRate})`);
  line("W1*", l1!.W_next);
  line("W2*", l2!.W_next);
  log(`  ${t.lossAfter}: ${e.lossAfterUpdate.toFixed(8)}`);
  log("");

  log(t.training(steps));
  const run = createTrainingRun(presetDocument("course-2-3-2-bias"));
  const every = Math.max(1, Math.floor(steps / 10));
  for (let s = 1; s <= steps; s++) {
    const report = run.step();
    if (s % every === 0 || s === 1) log(t.progress(s, report.loss, evaluate(run.net, run.train).accuracy!));
  }
  const accuracy = evaluate(run.net, run.train).accuracy!;
  log(t.final(accuracy));
  log(t.note);
  return accuracy;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `pnpm start | head` closes the pipe early; that is not an error
  process.stdout.on("error", (error: NodeJS.ErrnoException) => process.exit(error.code === "EPIPE" ? 0 : 1));
  runCourse(pickLang(process.argv, process.env), 5000, (l) => console.log(l));
}
