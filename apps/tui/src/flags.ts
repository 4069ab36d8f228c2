import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  BackpropError,
  createTrainingRun,
  DATASET_NAMES,
  FEATURE_NAMES,
  HIDDEN_ACTIVATIONS,
  INIT_SCHEMES,
  isDatasetName,
  LOSS_NAMES,
  normalizeRunDocument,
  OPTIMIZER_NAMES,
  OUTPUT_ACTIVATIONS,
  SCHEDULE_NAMES,
  type Mlp,
  type RunDocument,
  type RunDocumentInput,
} from "@backprop-lab/core";
import { Command, CommanderError, Option, type Help } from "commander";
import { readConfigFile, readDatasetFile, readModelFile, UsageError } from "./files.js";
import { detectLang, LANGS, MESSAGES, type Lang, type Messages } from "./i18n.js";
import { allPresets, DEFAULT_PRESET, findPreset } from "./presets.js";

export type OutputMode = "tui" | "json" | "plain";
export type ColorChoice = "auto" | "truecolor" | "256" | "none";

/** Steps a run without a terminal makes when --steps is not given. */
export const DEFAULT_HEADLESS_STEPS = 3000;

/** Everything the command line decided. */
export interface CliOptions {
  lang: Lang;
  mode: OutputMode;
  /** The run: the preset's document (or --config's), the flags applied, validated by core. */
  document: RunDocument;
  /** The preset the run is, or null when flags or --config changed its settings. */
  presetId: string | null;
  /** Fixed run length, or null to run until quit (dashboard only). */
  totalSteps: number | null;
  /** Report interval of the JSON and plain output. */
  every: number;
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

/**
 * Which flag sets which field of the run document, to name the flag in
 * core's error (longest path first). Every document field a flag can set is
 * here.
 */
export const FIELD_FLAGS: ReadonlyArray<readonly [string, string]> = [
  ["seed", "--seed"],
  ["data.name", "--dataset"],
  ["data.n", "--points"],
  ["data.noise", "--noise"],
  ["data.seed", "--data-seed"],
  ["data.testRatio", "--test-ratio"],
  ["data.trainRows", "--train-rows"],
  ["data.encoding", "--encoding"],
  ["data", "--dataset"],
  ["features", "--features"],
  ["network.hidden", "--hidden"],
  ["network.activation", "--activation"],
  ["network.output", "--output"],
  ["network.bias", "--no-bias"],
  ["init.seed", "--init-seed"],
  ["init", "--init"],
  ["training.loss", "--loss"],
  ["training.optimizer", "--optimizer"],
  ["training.learningRate", "--lr"],
  ["training.schedule", "--schedule"],
  ["training.regularization.lambda", "--lambda"],
  ["training.regularization.gradient", "--reg-gradient"],
  ["training.regularization", "--reg"],
  ["training.batchSize", "--batch"],
  ["training.shuffle", "--shuffle"],
  ["training.clipping", "--clip"],
  ["training.guard", "--guard"],
  ["evaluation", "--eval-every"],
];

/** The flag that sets a document field (`training.optimizer.beta1` → `--optimizer`). */
export function flagForField(field: string | undefined): string {
  if (field === undefined) return "--config";
  for (const [prefix, flag] of FIELD_FLAGS) if (field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`)) return flag;
  return "--config";
}

function program(lang: Lang, version: string, out: { text: string }): Command {
  const m = MESSAGES[lang];
  const o = m.opt;
  // run-document choices are listed in the help but checked by core (its message, the same on every face)
  const listed = (text: string, names: readonly string[]) => `${text} (${m.helpChoices}: ${names.join(", ")})`;
  const cmd = new Command("backprop-lab")
    .usage(lang === "es" ? "[opciones]" : "[options]")
    .description(m.helpDescription)
    .version(version, "-V, --version", o.version)
    .helpOption("-h, --help", o.help)
    .addOption(new Option("--preset <id>", o.preset))
    .addOption(new Option("--config <file>", o.config))
    .addOption(new Option("--dataset <name|file>", o.dataset))
    .addOption(new Option("--points <n>", o.points))
    .addOption(new Option("--noise <x>", o.noise))
    .addOption(new Option("--data-seed <n|auto>", o.dataSeed))
    .addOption(new Option("--test-ratio <x>", o.testRatio))
    .addOption(new Option("--train-rows <n>", o.trainRows))
    .addOption(new Option("--encoding <name|auto>", listed(o.encoding, ["one-hot", "binary", "signed", "auto"])))
    .addOption(new Option("--features <list>", o.features))
    .addOption(new Option("--hidden <widths>", o.hidden))
    .addOption(new Option("--activation <name|list>", listed(o.activation, HIDDEN_ACTIVATIONS)))
    .addOption(new Option("--output <name>", listed(o.output, OUTPUT_ACTIVATIONS)))
    .addOption(new Option("--bias").hideHelp())
    .addOption(new Option("--no-bias", o.noBias))
    .addOption(new Option("--init <scheme>", listed(o.init, INIT_SCHEMES)))
    .addOption(new Option("--init-seed <n|auto>", o.initSeed))
    .addOption(new Option("--loss <name>", listed(o.loss, LOSS_NAMES)))
    .addOption(new Option("--optimizer <spec>", listed(o.optimizer, OPTIMIZER_NAMES)))
    .addOption(new Option("--lr <rate>", o.lr))
    .addOption(new Option("--schedule <spec>", o.schedule))
    .addOption(new Option("--batch <n|full>", o.batch))
    .addOption(new Option("--shuffle <on|off|auto>", o.shuffle))
    .addOption(new Option("--reg <kind>", listed(o.reg, ["none", "l1", "l2"])))
    .addOption(new Option("--lambda <x>", o.lambda))
    .addOption(new Option("--reg-gradient <kind>", listed(o.regGradient, ["correct", "course-bug"])))
    .addOption(new Option("--clip <norm|off>", o.clip))
    .addOption(new Option("--guard <spec|on|off>", o.guard))
    .addOption(new Option("--eval-every <n>", o.evalEvery))
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
    m.helpConfig,
    "",
    `${m.helpExamples}:`,
    "  pnpm start",
    "  pnpm start -- --preset course-2-50-2 --steps 20000",
    "  pnpm start -- --dataset spiral --hidden 8,8 --activation tanh --lr 0.03 --batch 10",
    "  pnpm start -- --json --steps 2000 --every 500 | head",
    "  pnpm start -- --dataset apps/tui/examples/points.csv --save model.json",
    "  pnpm start -- --config apps/tui/examples/run.json --json --steps 100 --every 50",
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

/** A number as the flag gives it; its range is core's to check (so the message is core's). */
function number(flag: string, value: string, m: Messages): number {
  const x = Number(value);
  if (value.trim() === "" || !Number.isFinite(x)) throw new UsageError(m.badNumber(flag, value), { flag });
  return x;
}

/** --steps and --every are not part of the run, so the CLI checks them itself. */
function integer(flag: string, value: string, min: number, m: Messages): number {
  const x = Number(value);
  if (value.trim() === "" || !Number.isInteger(x) || x < min) throw new UsageError(m.badInteger(flag, value, min), { flag });
  return x;
}

function widths(value: string, m: Messages): number[] {
  const v = value.trim();
  if (v === "0" || v === "" || v === "none") return [];
  const parts = v.split(",").map((s) => s.trim());
  if (!parts.every((s) => s !== "" && Number.isFinite(Number(s)))) throw new UsageError(m.badList("--hidden", value), { flag: "--hidden" });
  return parts.map(Number);
}

/** "kind:key=value,key=value" (or "key=value,…" without a kind): numbers, true and false. */
function spec(flag: string, value: string, withKind: boolean, m: Messages): Record<string, unknown> {
  const bad = () => new UsageError(m.badSpec(flag, value), { flag });
  const match = withKind ? /^([a-z-]+)(?::(.*))?$/.exec(value.trim()) : [value, undefined, value];
  if (!match) throw bad();
  const out: Record<string, unknown> = withKind ? { kind: match[1] } : {};
  for (const part of (match[2] ?? "").split(",").filter((s) => s.trim() !== "")) {
    const kv = /^\s*([A-Za-z0-9]+)\s*=\s*(\S+)\s*$/.exec(part);
    if (!kv) throw bad();
    const v = kv[2]!;
    if (v === "true" || v === "false") out[kv[1]!] = v === "true";
    else if (Number.isFinite(Number(v))) out[kv[1]!] = Number(v);
    else throw bad();
  }
  return out;
}

/** A seed flag: a number, or "auto" for the run seed's own stream. */
function seedFlag(flag: string, value: string, m: Messages): number | undefined {
  return value === "auto" ? undefined : number(flag, value, m);
}

type Flags = Record<string, string | boolean | undefined>;

/**
 * Applies the flags onto a copy of the base document (the preset's, or the
 * --config file's). Each flag sets one field; the conveniences are: --dataset
 * starts the data afresh (keeping the split ratio and encoding), --points
 * drops a --train-rows split it would outgrow, --output picks a fitting loss
 * and encoding unless --loss / --encoding say otherwise, --hidden turns a
 * per-layer activation list into its first entry. Values are only parsed
 * here; core's normalizeRunDocument checks every range afterwards.
 */
function applyFlags(base: RunDocument, f: Flags, ctx: CliContext, m: Messages): RunDocumentInput {
  // the data's fields change one by one (and may be out of range until core checks them)
  const c = structuredClone(base) as unknown as Omit<RunDocument, "data"> & { data: Record<string, unknown> };
  const str = (k: string) => (typeof f[k] === "string" ? (f[k] as string) : undefined);
  const num = (k: string, flag: string) => (str(k) === undefined ? undefined : number(flag, str(k)!, m));
  if (str("seed") !== undefined) c.seed = num("seed", "--seed")!;

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
  for (const [key, flag] of [["points", "--points"], ["noise", "--noise"], ["dataSeed", "--data-seed"]] as const) {
    if (str(key) !== undefined && c.data.source !== "generated") throw new UsageError(m.generatedOnly(flag), { flag });
  }
  if (str("points") !== undefined) {
    c.data.n = num("points", "--points");
    if (str("trainRows") === undefined) delete c.data.trainRows;
  }
  if (str("noise") !== undefined) c.data.noise = num("noise", "--noise");
  if (str("dataSeed") !== undefined) {
    const seed = seedFlag("--data-seed", str("dataSeed")!, m);
    if (seed === undefined) delete c.data.seed;
    else c.data.seed = seed;
  }
  if (str("testRatio") !== undefined) {
    c.data.testRatio = num("testRatio", "--test-ratio");
    if (str("trainRows") === undefined) delete c.data.trainRows;
  }
  if (str("trainRows") !== undefined) {
    c.data.trainRows = num("trainRows", "--train-rows");
    // both flags at once reach core, which says they exclude each other
    if (str("testRatio") === undefined) delete c.data.testRatio;
  }
  if (str("encoding") !== undefined) {
    if (str("encoding") === "auto") delete c.data.encoding;
    else c.data.encoding = str("encoding");
  }
  if (str("features") !== undefined) c.features = str("features")!.split(",").map((s) => s.trim()) as RunDocument["features"];
  if (str("hidden") !== undefined) {
    c.network.hidden = widths(str("hidden")!, m);
    if (Array.isArray(c.network.activation)) c.network.activation = c.network.activation[0] ?? "tanh";
  }
  if (str("activation") !== undefined) {
    const list = str("activation")!.split(",").map((s) => s.trim());
    c.network.activation = (list.length === 1 ? list[0]! : list) as RunDocument["network"]["activation"];
  }
  if (str("output") !== undefined) {
    c.network.output = str("output") as RunDocument["network"]["output"];
    // a ±1 target suits tanh, 0/1 one-hot suits sigmoid and softmax
    if (str("encoding") === undefined && c.data.encoding === "signed" && c.network.output !== "tanh" && c.network.output !== "linear") delete c.data.encoding;
    if (c.network.output === "softmax" && str("loss") === undefined) c.training.loss = "cross-entropy";
    if (c.network.output !== "softmax" && c.training.loss === "cross-entropy" && str("loss") === undefined) c.training.loss = "mse";
  }
  if (typeof f.bias === "boolean") c.network.bias = f.bias;
  // a new scheme draws from the run seed's init stream (the course's numpy seed 2017 belongs to its own scheme) unless --init-seed says otherwise
  if (str("init") !== undefined) c.init = { scheme: str("init") as RunDocument["init"]["scheme"] };
  if (str("initSeed") !== undefined) {
    const seed = seedFlag("--init-seed", str("initSeed")!, m);
    if (seed === undefined) delete c.init.seed;
    else c.init.seed = seed;
  }
  if (str("loss") !== undefined) c.training.loss = str("loss") as RunDocument["training"]["loss"];
  if (str("optimizer") !== undefined) c.training.optimizer = spec("--optimizer", str("optimizer")!, true, m) as unknown as RunDocument["training"]["optimizer"];
  if (str("lr") !== undefined) c.training.learningRate = num("lr", "--lr")!;
  if (str("schedule") !== undefined) c.training.schedule = spec("--schedule", str("schedule")!, true, m) as unknown as RunDocument["training"]["schedule"];
  const batch = str("batch");
  if (batch !== undefined) {
    if (batch === "full") c.training.batchSize = "full";
    else if (batch.trim() !== "" && Number.isFinite(Number(batch))) c.training.batchSize = Number(batch);
    else throw new UsageError(m.badBatch("--batch", batch), { flag: "--batch" });
  }
  const shuffle = str("shuffle");
  if (shuffle !== undefined) {
    if (shuffle === "auto") delete c.training.shuffle;
    else if (shuffle === "on" || shuffle === "off") c.training.shuffle = shuffle === "on";
    else throw new UsageError(m.invalidChoice("--shuffle", shuffle, "on, off, auto"), { flag: "--shuffle" });
  }
  const reg = str("reg");
  const lambda = num("lambda", "--lambda");
  const r = c.training.regularization;
  if (reg !== undefined) {
    const kind = reg as "none" | "l1" | "l2";
    const gradient = kind === r.kind ? r.gradient : "correct";
    c.training.regularization = { kind, lambda: lambda ?? (kind === "none" ? 0 : r.lambda > 0 ? r.lambda : 1e-3), gradient };
  } else if (lambda !== undefined) {
    if (r.kind === "none") throw new UsageError(m.lambdaNeedsReg, { flag: "--lambda" });
    r.lambda = lambda;
  }
  if (str("regGradient") !== undefined) c.training.regularization.gradient = str("regGradient") as "correct";
  const clip = str("clip");
  if (clip !== undefined) c.training.clipping = clip === "off" ? null : { maxNorm: number("--clip", clip, m) };
  const guard = str("guard");
  if (guard !== undefined) {
    c.training.guard = guard === "off" ? null : ((guard === "on" ? {} : spec("--guard", guard, false, m)) as unknown as RunDocument["training"]["guard"]);
  }
  if (str("evalEvery") !== undefined) c.evaluation = { every: num("evalEvery", "--eval-every")! };
  return c as RunDocumentInput;
}

/**
 * The flags that give `document` (from any preset): the other way of
 * applyFlags, used by the round-trip property test and printed by the JSON
 * summary. The flags cannot express inline data (rows in the document: a
 * --dataset file gives them, or --config gives the whole document), nor a
 * per-layer activation list of one layer (["tanh"] reads back as "tanh", the
 * same run) or of no layers ([] with no hidden layer).
 */
export function documentToFlags(document: RunDocument): string[] {
  const d = document.data;
  if (d.source !== "generated") throw new Error("inline data has no flags: use --dataset <file> or --config <file>");
  const t = document.training;
  const kv = (o: object) =>
    Object.entries(o)
      .filter(([k]) => k !== "kind")
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(",");
  const withKind = (o: { kind: string }) => (kv(o) === "" ? o.kind : `${o.kind}:${kv(o)}`);
  const act = document.network.activation;
  const guard = t.guard === null ? "off" : kv(t.guard.gradJump === null ? { factor: t.guard.factor, minLearningRate: t.guard.minLearningRate } : t.guard);
  return [
    ...["--seed", String(document.seed)],
    ...["--dataset", d.name, "--points", String(d.n), "--noise", String(d.noise), "--data-seed", d.seed === undefined ? "auto" : String(d.seed)],
    ...(d.trainRows !== undefined ? ["--train-rows", String(d.trainRows)] : ["--test-ratio", String(d.testRatio ?? 0)]),
    ...["--encoding", d.encoding ?? "auto"],
    ...["--features", document.features.join(",")],
    ...["--hidden", document.network.hidden.length === 0 ? "0" : document.network.hidden.join(",")],
    ...["--activation", Array.isArray(act) ? act.join(",") : act],
    ...["--output", document.network.output, document.network.bias ? "--bias" : "--no-bias"],
    ...["--init", document.init.scheme, "--init-seed", document.init.seed === undefined ? "auto" : String(document.init.seed)],
    ...["--loss", t.loss, "--optimizer", withKind(t.optimizer), "--lr", String(t.learningRate), "--schedule", withKind(t.schedule)],
    ...["--batch", String(t.batchSize), "--shuffle", t.shuffle === undefined ? "auto" : t.shuffle ? "on" : "off"],
    ...["--reg", t.regularization.kind, "--lambda", String(t.regularization.lambda), "--reg-gradient", t.regularization.gradient],
    ...["--clip", t.clipping === null ? "off" : String(t.clipping.maxNorm), "--guard", guard],
    ...["--eval-every", String(document.evaluation.every)],
  ];
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

function fromModel(c: RunDocumentInput, net: Mlp): RunDocumentInput {
  const s = net.spec;
  const hidden = s.sizes.slice(1, -1);
  return { ...c, network: { hidden, activation: s.hidden as RunDocument["network"]["activation"], output: s.output, bias: s.bias } };
}

/** Core's message, behind the flag that set the field (`--lr: training.learningRate must be a number in (0, 1000], got -1`). */
function configError(error: unknown, m: Messages): never {
  if (error instanceof BackpropError) {
    const flag = flagForField(error.field);
    throw new UsageError(m.flagError(flag, error.message), { flag, cause: error });
  }
  throw error;
}

/**
 * Parses the command line into a run document and output options, or the
 * text to print for --help/--version. Every mistake is a UsageError naming
 * the flag, or the file with its line and column; nothing trains before
 * every flag and file is checked.
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
  const str = (k: string) => (typeof f[k] === "string" ? (f[k] as string) : undefined);
  if (str("preset") !== undefined && str("config") !== undefined) throw new UsageError(m.presetAndConfig, { flag: "--config" });

  const presetId = str("preset") ?? DEFAULT_PRESET;
  const preset = findPreset(presetId);
  if (!preset) throw new UsageError(m.unknownPreset(presetId, allPresets().map((p) => p.id).join(", ")), { flag: "--preset" });

  const load = str("load");
  if (load !== undefined) {
    const shape = ["hidden", "activation", "output", "bias"].filter((k) => f[k] !== undefined);
    if (shape.length > 0) {
      const names = shape.map((k) => (k === "bias" ? (f.bias ? "--bias" : "--no-bias") : `--${k}`)).join(", ");
      throw new UsageError(m.loadConflict(names), { flag: "--load" });
    }
  }

  // the flags that need no data first, so a mistake is reported before any file is read or any work starts
  const mode: OutputMode = f.json ? "json" : f.plain ? "plain" : ctx.isTTY ? "tui" : "json";
  const steps = str("steps") === undefined ? null : integer("--steps", str("steps")!, 1, m);
  const totalSteps = steps ?? (mode === "tui" ? (preset.steps ?? null) : (preset.steps ?? DEFAULT_HEADLESS_STEPS));
  const everyDefault = totalSteps === null ? 100 : Math.max(1, Math.round(totalSteps / 20));
  const every = str("every") === undefined ? everyDefault : integer("--every", str("every")!, 1, m);
  const saveArg = str("save");
  const save = saveArg === undefined ? null : { path: isAbsolute(saveArg) ? saveArg : resolve(ctx.cwd, saveArg), display: saveArg };
  if (save) checkWritable(save.path, save.display, m);
  if (str("clip") !== undefined && str("clip") !== "off") number("--clip", str("clip")!, m);

  const configArg = str("config");
  const base = configArg === undefined ? preset.document : readConfigFile(isAbsolute(configArg) ? configArg : resolve(ctx.cwd, configArg), configArg, m);
  let input = applyFlags(base, f, ctx, m);

  let model: Mlp | null = null;
  if (load !== undefined) {
    model = readModelFile(isAbsolute(load) ? load : resolve(ctx.cwd, load), load, m);
    input = fromModel(input, model);
  }
  let document: RunDocument;
  try {
    document = normalizeRunDocument(input);
    const run = createTrainingRun(document); // also checks what only a built run can: inline rows, encodings
    if (model) {
      const nIn = model.layers[0]!.nIn;
      const nOut = model.layers[model.layers.length - 1]!.nOut;
      if (nIn !== run.train.nIn || nOut !== run.train.nOut) {
        throw new UsageError(m.modelMismatch(load!, nIn, nOut, run.train.nIn, run.train.nOut), { flag: "--load", file: load });
      }
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // a mistake no flag made is the --config file's (its inline rows, say): name the file
    if (error instanceof BackpropError && configArg !== undefined) {
      const flag = flagForField(error.field);
      const given = argv.some((a) => a === flag || a.startsWith(`${flag}=`) || (flag === "--no-bias" && a === "--bias"));
      if (!given) throw new UsageError(m.fileErrorNoPos(configArg, error.message), { file: configArg, cause: error });
    }
    configError(error, m);
  }

  return {
    kind: "run",
    options: {
      lang,
      mode,
      document,
      presetId: configArg === undefined && JSON.stringify(document) === JSON.stringify(preset.document) ? presetId : null,
      totalSteps,
      every,
      model,
      save,
      color: (str("color") as ColorChoice | undefined) ?? "auto",
      paused: f.paused === true,
    },
  };
}
