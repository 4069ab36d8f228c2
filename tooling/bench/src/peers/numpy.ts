import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { mlpFromParams, parameterLayout, type MlpSpec } from "@backprop-lab/core";
import type { TrainingProblem } from "../problem.js";
import type { Subject } from "../types.js";

export const NUMPY = "numpy";

/**
 * How the bench starts Python: `command` (default `python3`, or the
 * BENCH_PYTHON environment variable, or `--python`) with `args` before the
 * script. The command "none" turns the numpy peer off.
 */
export interface PythonCommand {
  command: string;
  args: readonly string[];
}

export const PYTHON_OFF = "none";

let python: PythonCommand = { command: process.env.BENCH_PYTHON || "python3", args: [] };

export function setPython(command: string, args: readonly string[] = []): void {
  python = { command, args };
}

export function pythonCommand(): PythonCommand {
  return python;
}

/** tooling/bench/py/peer_numpy.py, found from src/peers (tests) or dist (the built CLI). */
export function numpyScriptPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, "py", "peer_numpy.py");
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error("tooling/bench/py/peer_numpy.py not found");
}

/** The line the bench prints when the peer cannot run here. */
export function skipLine(reason: string): string {
  return `numpy peer skipped: ${reason}`;
}

/** A reply of the Python side: "ok" and the command's fields. */
export type NumpyReply = { ok: true } & Record<string, unknown>;

/** The peer said no ({"ok": false, "error": …}) or spoke no protocol. */
export class NumpyPeerError extends Error {}

/** One line of the peer's stdout as a reply; throws NumpyPeerError on anything else. */
export function parseReply(line: string): NumpyReply {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new NumpyPeerError(`the numpy peer wrote a line that is not JSON: ${JSON.stringify(line.slice(0, 120))}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value) || typeof (value as { ok?: unknown }).ok !== "boolean") {
    throw new NumpyPeerError(`the numpy peer's reply has no boolean "ok": ${JSON.stringify(line.slice(0, 120))}`);
  }
  const reply = value as { ok: boolean; error?: unknown };
  if (!reply.ok) throw new NumpyPeerError(typeof reply.error === "string" ? reply.error : "the numpy peer failed without saying why");
  return value as NumpyReply;
}

/** A finite number field of a reply. */
export function numberField(reply: NumpyReply, name: string): number {
  const v = reply[name];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new NumpyPeerError(`the numpy peer's reply has no finite "${name}"`);
  return v;
}

/** An array-of-numbers field of a reply (a list of lists when nested). */
export function numbersField(reply: NumpyReply, name: string): number[] {
  const v = reply[name];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "number")) throw new NumpyPeerError(`the numpy peer's reply has no list of numbers "${name}"`);
  return v as number[];
}

export function listsField(reply: NumpyReply, name: string): number[][] {
  const v = reply[name];
  if (!Array.isArray(v) || !v.every((row) => Array.isArray(row) && row.every((x) => typeof x === "number"))) {
    throw new NumpyPeerError(`the numpy peer's reply has no list of lists of numbers "${name}"`);
  }
  return v as number[][];
}

export interface NumpyInfo {
  python: string;
  numpy: string;
  /** threadpoolctl's view of the BLAS, or null without threadpoolctl. */
  blas: { internal_api?: string; version?: string; num_threads?: number; architecture?: string }[] | null;
}

/** "OpenBLAS 0.3.31 (SkylakeX kernels, 2 threads)", or what is known. */
export function describeBlas(info: NumpyInfo): string {
  if (!info.blas) return "BLAS kernel unknown (no threadpoolctl)";
  if (info.blas.length === 0) return "no BLAS thread pool found";
  return info.blas
    .map((b) => `${b.internal_api === "openblas" ? "OpenBLAS" : (b.internal_api ?? "BLAS")} ${b.version ?? ""} (${b.architecture ?? "?"} kernels, ${b.num_threads ?? "?"} threads)`.replace("  ", " "))
    .join(", ");
}

const START_TIMEOUT_MS = 30_000;

/** A running `python3 peer_numpy.py`: requests in order, one reply each. */
export class NumpyPeer {
  private readonly pending: { resolve(r: NumpyReply): void; reject(e: Error): void }[] = [];
  private closed: Error | null = null;
  private stderr = "";

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on("line", (line) => {
      const waiter = this.pending.shift();
      if (!waiter) return;
      try {
        waiter.resolve(parseReply(line));
      } catch (e) {
        waiter.reject(e as Error);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-2000);
    });
    const fail = (error: Error) => {
      this.closed ??= error;
      for (const w of this.pending.splice(0)) w.reject(this.closed);
    };
    child.on("error", (e) => fail(new NumpyPeerError(e.message)));
    child.on("exit", (code, signal) => fail(new NumpyPeerError(`python exited (${code ?? signal})${this.stderr ? `: ${this.stderr.trim().split("\n").at(-1)}` : ""}`)));
    child.stdin.on("error", () => {}); // a dead peer's pipe: the exit handler reports it
  }

  /**
   * Starts the peer and asks its versions. Resolves to the peer, or to the
   * reason it cannot run here (python missing, numpy missing, no answer).
   */
  static async start(cmd: PythonCommand = python): Promise<{ peer: NumpyPeer; info: NumpyInfo } | { skipped: string }> {
    if (cmd.command === PYTHON_OFF) return { skipped: skipLine("turned off (--python none)") };
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(cmd.command, [...cmd.args, numpyScriptPath()], { stdio: ["pipe", "pipe", "pipe"] });
    } catch (e) {
      return { skipped: skipLine(`${cmd.command} could not start (${(e as Error).message})`) };
    }
    const peer = new NumpyPeer(child);
    let timer: NodeJS.Timeout | undefined;
    try {
      const hello = await Promise.race([
        peer.request({ cmd: "hello" }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new NumpyPeerError(`no answer within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
        }),
      ]);
      const info: NumpyInfo = {
        python: String(hello.python),
        numpy: String(hello.numpy),
        blas: Array.isArray(hello.blas) ? (hello.blas as NumpyInfo["blas"]) : null,
      };
      return { peer, info };
    } catch (e) {
      peer.close();
      const message = (e as Error).message;
      const missing = /ENOENT/.test(message) ? `${cmd.command} not found (${message})` : message;
      return { skipped: skipLine(missing) };
    } finally {
      clearTimeout(timer);
    }
  }

  request(message: Record<string, unknown>): Promise<NumpyReply> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify(message)}\n`);
    });
  }

  /** Median round trip of a request that does nothing, in ms. */
  async roundTripMs(times = 21): Promise<number> {
    const t: number[] = [];
    for (let i = 0; i < times; i++) {
      const t0 = performance.now();
      await this.request({ cmd: "ping" });
      t.push(performance.now() - t0);
    }
    t.sort((a, b) => a - b);
    return t[t.length >> 1]!;
  }

  close(): void {
    if (!this.closed) {
      this.closed = new NumpyPeerError("the numpy peer was closed");
      this.child.stdin.end(`${JSON.stringify({ cmd: "quit" })}\n`);
    }
    this.child.unref();
  }
}

/** Core-layout parameters as the peer's per-layer lists: W row-major (nIn × nOut), b. */
export function layerLists(spec: MlpSpec, params: Float64Array): { W: number[][]; b: number[][] } {
  const layers = mlpFromParams(spec, params.slice()).layers;
  return { W: layers.map((l) => Array.from(l.W)), b: layers.map((l) => Array.from(l.b ?? [])) };
}

/** The peer's per-layer lists back in core's flat layout. */
export function fromLayerLists(spec: MlpSpec, W: number[][], b: number[][]): Float64Array {
  const { count, offsets } = parameterLayout(spec);
  const out = new Float64Array(count);
  for (let l = 0; l + 1 < spec.sizes.length; l++) {
    const expected = spec.sizes[l]! * spec.sizes[l + 1]!;
    if (W[l]?.length !== expected || b[l]?.length !== spec.sizes[l + 1]) throw new NumpyPeerError(`the numpy peer returned layer ${l} with the wrong shape`);
    out.set(W[l]!, offsets[l]!.w);
    out.set(b[l]!, offsets[l]!.b);
  }
  return out;
}

export function numpyLibrary(info: NumpyInfo): string {
  const coretype = process.env.OPENBLAS_CORETYPE ? `, OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE}` : "";
  return `numpy ${info.numpy} (float64), Python ${info.python}, ${describeBlas(info)}${coretype}`;
}

/** The problem and its starting weights sent to the peer. */
export async function setupNumpyProblem(peer: NumpyPeer, problem: TrainingProblem, learningRate: number, params = problem.initial): Promise<void> {
  const { x, y, n } = problem.data;
  await peer.request({ cmd: "setup", sizes: problem.spec.sizes, n, x: Array.from(x), y: Array.from(y), lr: learningRate, ...layerLists(problem.spec, params) });
}

/** `steps` full-batch steps a run, timed by the bench around one request (the pipe's round trip included). */
export async function numpyTrainingSubject(peer: NumpyPeer, info: NumpyInfo, problem: TrainingProblem, learningRate: number, steps: number): Promise<Subject> {
  await setupNumpyProblem(peer, problem, learningRate);
  const rtt = await peer.roundTripMs();
  return {
    name: NUMPY,
    library: numpyLibrary(info),
    note: `the same full-batch steps on numpy float64 arrays (a @ W, np.exp, buffers made once) in a python3 process of its own; one run is one request over a pipe (round trip ${rtt.toFixed(2)} ms, inside the time)`,
    perRun: steps,
    reset: async () => {
      await peer.request({ cmd: "reset" });
    },
    run: async () => {
      const reply = await peer.request({ cmd: "run", steps });
      numberField(reply, "loss");
    },
  };
}

/** Losses of the first k full-batch steps and the parameters after them, from the peer (which then resets). */
export async function numpyFullBatchTrace(peer: NumpyPeer, problem: TrainingProblem, k: number): Promise<{ losses: number[]; params: Float64Array }> {
  const reply = await peer.request({ cmd: "trace", k });
  return { losses: numbersField(reply, "losses"), params: fromLayerLists(problem.spec, listsField(reply, "W"), listsField(reply, "b")) };
}
