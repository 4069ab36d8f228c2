import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  BackpropError,
  createRun,
  DATASET_NAMES,
  FEATURE_NAMES,
  HIDDEN_ACTIVATIONS,
  INIT_SCHEMES,
  isDatasetName,
  LOSS_NAMES,
  normalizeRunConfig,
  OPTIMIZER_NAMES,
  OUTPUT_ACTIVATIONS,
  SCHEDULE_NAMES,
  type Mlp,
  type RunConfig,
} from "@backprop-lab/core";
import { Command, CommanderError, Option, type Help } from "commander";
import { readDatasetFile, readModelFile, UsageError } from "./files.js";
import { detectLang, LANGS, MESSAGES, type Lang, type Messages } from "./i18n.js";
import { allPresets, DEFAULT_PRESET, findPreset } from "./presets.js";

export type OutputMode = "tui" | "json" | "plain";
export type ColorChoice = "auto" | "truecolor" | "256" | "none";

/** Steps a run without a terminal makes when --steps is not given. */
export const DEFAULT_HEADLESS_STEPS = 3000;
/** Clipping norm used when clipping is switched on without --clip. */
export const DEFAULT_CLIP_NORM = 1;

/** Everything the command line decided. */
export interface CliOptions {
  lang: Lang;
  mode: OutputMode;
  config: RunConfig;
  /** The preset the run is, or null when flags changed its settings. */
  presetId: string | null;
  /** Fixed run length, or null to run until quit (dashboard only). */
  totalSteps: number | null;
  /** Report interval of the JSON and plain output. */
  every: number;
  clipNorm: number;
  clipOn: boolean;
  /** Initial weights from --load. */
  model: Mlp | null;
  /** Absolute path for --save, and the name to show. */
  save: { path: string; display: string } | null;
  color: ColorChoice;
  paused: boolean;
}

export type CliResult = { kind: "run"; options: CliOptions } | { kind: "print"; text: string };

export interface CliContext {
  env: Record<string, string | undefined>;
  /** Where relative paths are resolved: the directory the user ran the command from. */
  cwd: string;
  /** Whether stdout is a terminal: without one the output is NDJSON. */
  isTTY: boolean;
  version: string;
}

const COLOR_CHOICES: readonly ColorChoice[] = ["auto", "truecolor", "256", "none"];

/** Which flag sets which field of the run config, to name the flag in a config error. */
const FIELD_FLAGS: ReadonlyArray<readonly [string, string]> = [
  ["seed", "--seed"],
  ["data.name", "--dataset"],
  ["data.n", "--points"],
  ["data.noise", "--noise"],
  ["data.testRatio", "--test-ratio"],
  ["data.trainRows", "--dataset"],
  ["data.encoding", "--output"],
  ["data", "--dataset"],
  ["features", "--features"],
  ["network.hidden", "--hidden"],
  ["network.activation", "--activation"],
  ["network.output", "--output"],
  ["network.bias", "--no-bias"],
  ["init", "--init"],
  ["training.loss", "--loss"],
  ["loss", "--loss"],
  ["training.optimizer", "--optimizer"],
  ["training.learningRate", "--lr"],
  ["learningRate", "--lr"],
  ["training.schedule", "--schedule"],
  ["training.regularization.lambda", "--lambda"],
  ["training.regularization", "--reg"],
  ["training.batchSize", "--batch"],
  ["encoding", "--output"],
];

function flagForField(field: string | undefined): string {
  if (field === undefined) return "--preset";
  for (const [prefix, flag] of FIELD_FLAGS) if (field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`)) return flag;
  return "--preset";
}

function program(lang: Lang, version: string, out: { text: string }): Command {
  const m = MESSAGES[lang];
  const o = m.opt;
  const cmd = new Command("backprop-lab")
    .usage(lang === "es" ? "[opciones]" : "[options]")
    .description(m.helpDescription)
    .version(version, "-V, --version", o.version)
    .helpOption("-h, --help", o.help)
    .addOption(new Option("--preset <id>", o.preset))
    .addOption(new Option("--dataset <name|file>", o.dataset))
    .addOption(new Option("--points <n>", o.points))
    .addOption(new Option("--noise <x>", o.noise))
    .addOption(new Option("--test-ratio <x>", o.testRatio))
    .addOption(new Option("--features <list>", o.features))
    .addOption(new Option("--hidden <widths>", o.hidden))
    .addOption(new Option("--activation <name>", o.activation).choices(HIDDEN_ACTIVATIONS))
    .addOption(new Option("--output <name>", o.output).choices(OUTPUT_ACTIVATIONS))
    .addOption(new Option("--bias").hideHelp())
    .addOption(new Option("--no-bias", o.noBias))
    .addOption(new Option("--init <scheme>", o.init).choices(INIT_SCHEMES))
    .addOption(new Option("--loss <name>", o.loss).choices(LOSS_NAMES))
    .addOption(new Option("--optimizer <name>", o.optimizer).choices(OPTIMIZER_NAMES))
    .addOption(new Option("--lr <rate>", o.lr))
    .addOption(new Option("--schedule <spec>", o.schedule))
    .addOption(new Option("--batch <n|full>", o.batch))
    .addOption(new Option("--reg <kind>", o.reg).choices(["none", "l1", "l2"]))
    .addOption(new Option("--lambda <x>", o.lambda))
    .addOption(new Option("--clip <norm>", o.clip))
    .addOption(new Option("--seed <n>", o.seed))
    .addOption(new Option("--steps <n>", o.steps))
    .addOption(new Option("--every <n>", o.every))
    .addOption(new Option("--save <file>", o.save))
    .addOption(new Option("--load <file>", o.load))
    .addOption(new Option("--lang <lang>", o.lang).choices(LANGS))
    .addOption(new Option("--json", o.json))
    .addOption(new Option("--plain", o.plain))
    .addOption(new Option("--color <mode>", o.color).choices(COLOR_CHOICES))
    .addOption(new Option("--paused", o.paused))
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        out.text += s;
      },
      writeErr: () => {},
    })
    .configureHelp({
      styleTitle: (title: string) => m.helpTitles[title] ?? title,
      optionDescription: (option: Option) => {
        const extra = option.argChoices ? ` (${m.helpChoices}: ${option.argChoices.join(", ")})` : "";
        return `${option.description}${extra}`;
      },
    } as Partial<Help>);
  cmd.addHelpText("after", helpAfter(lang));
  return cmd;
}

function helpAfter(lang: Lang): string {
  const m = MESSAGES[lang];
  const presets = allPresets()
    .map((p) => `  ${p.id.padEnd(26)} ${p.title[lang]}`)
    .join("\n");
  return [
    "",
    `${lang === "es" ? "Preajustes" : "Presets"} (--preset, ${m.helpDefault} ${DEFAULT_PRESET}):`,
    presets,
    "",
    `${lang === "es" ? "Datos incluidos" : "Built-in data sets"} (--dataset): ${DATASET_NAMES.join(", ")}`,
    `${lang === "es" ? "Entradas" : "Features"} (--features): ${FEATURE_NAMES.join(", ")}`,
    `${lang === "es" ? "Calendarios" : "Schedules"} (--schedule): ${SCHEDULE_NAMES.join(", ")}`,
    "",
    `${m.helpExamples}:`,
    "  pnpm start",
    "  pnpm start -- --preset course-2-50-2 --steps 20000",
    "  pnpm start -- --dataset spiral --hidden 8,8 --activation tanh --lr 0.03 --batch 10",
    "  pnpm start -- --json --steps 2000 --every 500 | head",
    "  pnpm start -- --dataset apps/tui/examples/points.csv --save model.json",
    "",
  ].join("\n");
}

/** Reads `--lang` ahead of the real parse, so --help and errors come out in the chosen language. */
function preScanLang(argv: readonly string[], env: Record<string, string | undefined>): Lang {
  const { values } = parseArgs({ args: [...argv], options: { lang: { type: "string" } }, strict: false, allowPositionals: true });
  return detectLang(typeof values.lang === "string" ? values.lang : undefined, env);
}

function commanderMessage(error: CommanderError, cmd: Command, m: Messages): UsageError {
  const quoted = [...error.message.matchAll(/'([^']*)'/g)].map((x) => x[1]!);
  const flag = quoted[0]?.split(/[ ,]/).find((s) => s.startsWith("-")) ?? quoted[0] ?? "";
  switch (error.code) {
    case "commander.unknownOption": {
      const suggestion = /Did you mean (\S+?)\?/.exec(error.message)?.[1];
      return new UsageError(m.unknownOption(flag) + (suggestion ? m.didYouMean(suggestion) : ""), { flag });
    }
    case "commander.optionMissingArgument":
      return new UsageError(m.missingArgument(flag), { flag });
    case "commander.invalidArgument": {
      const option = cmd.options.find((x) => x.long === flag);
      const value = quoted[1] ?? "";
      return new UsageError(m.invalidChoice(flag, value, (option?.argChoices ?? []).join(", ")), { flag });
    }
    case "commander.excessArguments":
    case "commander.unknownCommand":
      return new UsageError(m.excessArguments(quoted.join(" ") || error.message), {});
    default:
      return new UsageError(error.message.replace(/^error: /, ""), {});
  }
}

function number(flag: string, value: string, m: Messages): number {
  const x = Number(value);
  if (value.trim() === "" || !Number.isFinite(x)) throw new UsageError(m.badNumber(flag, value), { flag });
  return x;
}

function integer(flag: string, value: string, min: number, m: Messages): number {
  const x = Number(value);
  if (value.trim() === "" || !Number.isInteger(x) || x < min) throw new UsageError(m.badInteger(flag, value, min), { flag });
  return x;
}

function widths(value: string, m: Messages): number[] {
  const v = value.trim();
  if (v === "0" || v === "" || v === "none") return [];
  const parts = v.split(",").map((s) => s.trim());
  if (!parts.every((s) => /^\d+$/.test(s) && Number(s) >= 1)) throw new UsageError(m.badList("--hidden", value), { flag: "--hidden" });
  return parts.map(Number);
}

function schedule(value: string, m: Messages): Record<string, unknown> {
  const match = /^([a-z-]+)(?::(.*))?$/.exec(value.trim());
  if (!match) throw new UsageError(m.badSchedule(value), { flag: "--schedule" });
  const out: Record<string, unknown> = { kind: match[1] };
  for (const part of (match[2] ?? "").split(",").filter((s) => s.trim() !== "")) {
    const kv = /^\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/.exec(part);
    if (!kv || !Number.isFinite(Number(kv[2]))) throw new UsageError(m.badSchedule(value), { flag: "--schedule" });
    out[kv[1]!] = Number(kv[2]);
  }
  return out;
}

type Flags = Record<string, string | boolean | undefined>;

/** Applies the flags onto a copy of the preset's config; `load` is the --load model, which fixes the network's shape. */
function applyFlags(base: RunConfig, f: Flags, ctx: CliContext, m: Messages): RunConfig {
  const c = JSON.parse(JSON.stringify(base)) as RunConfig;
  const str = (k: string) => (typeof f[k] === "string" ? (f[k] as string) : undefined);
  if (str("seed") !== undefined) c.seed = integer("--seed", str("seed")!, 0, m);

  const dataset = str("dataset");
  if (dataset !== undefined) {
    const prev = c.data;
    const keep = { ...(prev.testRatio === undefined ? {} : { testRatio: prev.testRatio }), ...(prev.encoding === undefined ? {} : { encoding: prev.encoding }) };
    if (isDatasetName(dataset)) {
      c.data = { source: "generated", name: dataset, ...keep };
    } else {
      const path = isAbsolute(dataset) ? dataset : resolve(ctx.cwd, dataset);
      if (!/\.(csv|json)$/i.test(dataset) && !existsSync(path)) {
        throw new UsageError(m.unknownDataset(dataset, DATASET_NAMES.join(", ")), { flag: "--dataset" });
      }
      const inline = readDatasetFile(path, dataset, m);
      c.data = { ...inline, ...(keep.testRatio === undefined ? {} : { testRatio: keep.testRatio }) };
      if (c.features.join() !== "x1,x2" && inline.x[0]?.length !== 2) c.features = ["x1", "x2"];
    }
  }
  if (str("points") !== undefined || str("noise") !== undefined) {
    const flag = str("points") !== undefined ? "--points" : "--noise";
    if (c.data.source !== "generated") throw new UsageError(m.generatedOnly(flag), { flag });
    if (str("points") !== undefined) {
      c.data.n = integer("--points", str("points")!, 1, m);
      delete c.data.trainRows;
    }
    if (str("noise") !== undefined) c.data.noise = number("--noise", str("noise")!, m);
  }
  if (str("testRatio") !== undefined) {
    c.data.testRatio = number("--test-ratio", str("testRatio")!, m);
    delete c.data.trainRows;
  }
  if (str("features") !== undefined) c.features = str("features")!.split(",").map((s) => s.trim()) as RunConfig["features"];
  if (str("hidden") !== undefined) {
    c.network.hidden = widths(str("hidden")!, m);
    if (Array.isArray(c.network.activation)) c.network.activation = c.network.activation[0] ?? "tanh";
  }
  if (str("activation") !== undefined) c.network.activation = str("activation") as RunConfig["network"]["activation"];
  if (str("output") !== undefined) {
    c.network.output = str("output") as RunConfig["network"]["output"];
    // a ±1 target suits tanh, 0/1 one-hot suits sigmoid and softmax
    if (c.data.encoding === "signed" && c.network.output !== "tanh" && c.network.output !== "linear") delete c.data.encoding;
    if (c.network.output === "softmax" && str("loss") === undefined) c.training.loss = "cross-entropy";
    if (c.network.output !== "softmax" && c.training.loss === "cross-entropy" && str("loss") === undefined) c.training.loss = "mse";
  }
  if (typeof f.bias === "boolean") c.network.bias = f.bias;
  if (str("init") !== undefined) c.init = { scheme: str("init") as RunConfig["init"]["scheme"] };
  if (str("loss") !== undefined) c.training.loss = str("loss") as RunConfig["training"]["loss"];
  if (str("optimizer") !== undefined) c.training.optimizer = { kind: str("optimizer") as "sgd" };
  if (str("lr") !== undefined) c.training.learningRate = number("--lr", str("lr")!, m);
  if (str("schedule") !== undefined) c.training.schedule = schedule(str("schedule")!, m) as unknown as RunConfig["training"]["schedule"];
  const batch = str("batch");
  if (batch !== undefined) {
    if (batch === "full") c.training.batchSize = "full";
    else if (/^\d+$/.test(batch) && Number(batch) >= 1) c.training.batchSize = Number(batch);
    else throw new UsageError(m.badBatch("--batch", batch), { flag: "--batch" });
  }
  const reg = str("reg");
  const lambda = str("lambda") === undefined ? undefined : number("--lambda", str("lambda")!, m);
  if (reg !== undefined) {
    const kind = reg as "none" | "l1" | "l2";
    c.training.regularization =
      kind === "none" ? { kind, lambda: 0 } : { kind, lambda: lambda ?? (c.training.regularization.lambda > 0 ? c.training.regularization.lambda : 1e-3) };
  } else if (lambda !== undefined) {
    if (c.training.regularization.kind === "none") throw new UsageError(m.lambdaNeedsReg, { flag: "--lambda" });
    c.training.regularization = { ...c.training.regularization, lambda };
  }
  return c;
}

/** --save is checked before training: the folder must exist and be writable, and the path must not be a folder. */
function checkWritable(path: string, display: string, m: Messages): void {
  const dir = dirname(path);
  if (!existsSync(dir)) throw new UsageError(m.saveDirMissing(display, dir), { flag: "--save", file: display });
  try {
    if (existsSync(path)) {
      if (statSync(path).isDirectory()) throw Object.assign(new Error("EISDIR"), { code: "EISDIR" });
      accessSync(path, constants.W_OK);
    } else accessSync(dir, constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(m.saveNotWritable(display, reason), { flag: "--save", file: display, cause: error });
  }
}

function fromModel(c: RunConfig, net: Mlp): RunConfig {
  const s = net.spec;
  const hidden = s.sizes.slice(1, -1);
  return { ...c, network: { hidden, activation: s.hidden as RunConfig["network"]["activation"], output: s.output, bias: s.bias } };
}

function configError(error: unknown, m: Messages): never {
  if (error instanceof BackpropError) {
    const flag = flagForField(error.field);
    throw new UsageError(m.flagError(flag, error.message), { flag, cause: error });
  }
  throw error;
}

/**
 * Parses the command line into a run config and output options, or the
 * text to print for --help/--version. Every mistake is a UsageError naming
 * the flag, or the file with its line and column.
 */
export function parseCli(rawArgv: readonly string[], ctx: CliContext): CliResult {
  // `pnpm start -- --preset x`: pnpm 10 hands the `--` to the program; a leading one only separates pnpm's arguments from ours
  const argv = rawArgv[0] === "--" ? rawArgv.slice(1) : rawArgv;
  const lang = preScanLang(argv, ctx.env);
  const m = MESSAGES[lang];
  const out = { text: "" };
  const cmd = program(lang, ctx.version, out);
  try {
    cmd.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return { kind: "print", text: out.text };
      throw commanderMessage(error, cmd, m);
    }
    throw error;
  }
  const f = cmd.opts<Flags>();
  if (f.json && f.plain) throw new UsageError(m.conflictingModes, { flag: "--plain" });

  const presetId = typeof f.preset === "string" ? f.preset : DEFAULT_PRESET;
  const preset = findPreset(presetId);
  if (!preset) throw new UsageError(m.unknownPreset(presetId, allPresets().map((p) => p.id).join(", ")), { flag: "--preset" });

  const str = (k: string) => (typeof f[k] === "string" ? (f[k] as string) : undefined);
  const load = str("load");
  if (load !== undefined) {
    const shape = ["hidden", "activation", "output", "bias"].filter((k) => f[k] !== undefined);
    if (shape.length > 0) {
      const names = shape.map((k) => (k === "bias" ? (f.bias ? "--bias" : "--no-bias") : `--${k}`)).join(", ");
      throw new UsageError(m.loadConflict(names), { flag: "--load" });
    }
  }

  // the flags that need no data first, so a mistake is reported before any file is read or any work starts
  const clip = str("clip");
  let clipOn = preset.clip !== undefined && preset.clip !== null;
  let clipNorm = preset.clip ?? DEFAULT_CLIP_NORM;
  if (clip !== undefined) {
    if (clip === "off" || clip === "0") clipOn = false;
    else {
      clipNorm = number("--clip", clip, m);
      if (clipNorm <= 0) throw new UsageError(m.badRange("--clip", clip, lang === "es" ? "> 0 (u off)" : "> 0 (or off)"), { flag: "--clip" });
      clipOn = true;
    }
  }
  const mode: OutputMode = f.json ? "json" : f.plain ? "plain" : ctx.isTTY ? "tui" : "json";
  const steps = str("steps") === undefined ? null : integer("--steps", str("steps")!, 1, m);
  const totalSteps = steps ?? (mode === "tui" ? (preset.steps ?? null) : (preset.steps ?? DEFAULT_HEADLESS_STEPS));
  const everyDefault = totalSteps === null ? 100 : Math.max(1, Math.round(totalSteps / 20));
  const every = str("every") === undefined ? everyDefault : integer("--every", str("every")!, 1, m);
  const saveArg = str("save");
  const save = saveArg === undefined ? null : { path: isAbsolute(saveArg) ? saveArg : resolve(ctx.cwd, saveArg), display: saveArg };
  if (save) checkWritable(save.path, save.display, m);

  let config = applyFlags(preset.config, f, ctx, m);

  let model: Mlp | null = null;
  if (load !== undefined) {
    model = readModelFile(isAbsolute(load) ? load : resolve(ctx.cwd, load), load, m);
    config = fromModel(config, model);
  }
  try {
    config = normalizeRunConfig(config);
    const run = createRun(config); // also checks what only a built run can: loss vs output, rows, encodings
    if (model) {
      const nIn = model.layers[0]!.nIn;
      const nOut = model.layers[model.layers.length - 1]!.nOut;
      if (nIn !== run.train.nIn || nOut !== run.train.nOut) {
        throw new UsageError(m.modelMismatch(load!, nIn, nOut, run.train.nIn, run.train.nOut), { flag: "--load", file: load });
      }
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    configError(error, m);
  }

  return {
    kind: "run",
    options: {
      lang,
      mode,
      config,
      presetId: JSON.stringify(config) === JSON.stringify(normalizeRunConfig(preset.config)) ? presetId : null,
      totalSteps,
      every,
      clipNorm,
      clipOn,
      model,
      save,
      color: (str("color") as ColorChoice | undefined) ?? "auto",
      paused: f.paused === true,
    },
  };
}
