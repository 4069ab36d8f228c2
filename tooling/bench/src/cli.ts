import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { machineInfo } from "./machine.js";
import { measureSimdPeak, type SimdPeak } from "./peak.js";
import { PYTHON_OFF, pythonCommand, setPython } from "./peers/numpy.js";
import { agreementHolds, formatCheckResult, formatFlops, formatWorkloadResult, renderResultsMarkdown } from "./report.js";
import { checkWorkload, runWorkload, type WorkloadResult } from "./runner.js";
import { workloadApiLoad } from "./workloads/api-load.js";
import { workloadDiagnosticsOverhead } from "./workloads/f-diagnostics-overhead.js";
import { WORKLOADS as PEER_WORKLOADS } from "./workloads/index.js";

// the peer comparisons, then the workloads without peers: the HTTP API under load (apps/api against itself)
// and the diagnostics overhead (a bare step against one with diagnostics)
const WORKLOADS = [...PEER_WORKLOADS, workloadApiLoad, workloadDiagnosticsOverhead];

const HELP = `Usage: node --expose-gc dist/cli.js [options]

  --runs N        timed runs per subject (default 5)
  --warmup N      untimed runs per subject first (default 1)
  --only A,B      run only these workloads
  --check         only the fairness checks, no timing
  --python CMD    the Python that runs the numpy peer (default python3, or $BENCH_PYTHON);
                  "none" skips the numpy peer
  --write FILE    also write the results as Markdown (pnpm bench writes RESULTS.md)
  --help
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "5" },
      warmup: { type: "string", default: "1" },
      only: { type: "string" },
      check: { type: "boolean", default: false },
      python: { type: "string" },
      write: { type: "string" },
      // internal: the parent's measured SIMD peak, in flop/s, for a child's share-of-peak figures
      "peak-flops": { type: "string" },
      // internal: a child process runs one workload and writes its result here as JSON
      "result-json": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const runs = Number(values.runs);
  const warmup = Number(values.warmup);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(warmup) || warmup < 0) {
    process.stderr.write(`--runs must be a positive integer and --warmup a non-negative one\n${HELP}`);
    return 2;
  }
  const wanted = values.only?.split(",").map((s) => s.trim().toUpperCase());
  const unknown = wanted?.filter((id) => !WORKLOADS.some((w) => w.id === id)) ?? [];
  if (unknown.length > 0) {
    process.stderr.write(`unknown workload ${unknown.join(", ")}; there are ${WORKLOADS.map((w) => w.id).join(", ")}\n`);
    return 2;
  }
  const workloads = WORKLOADS.filter((w) => !wanted || wanted.includes(w.id));
  if (values.python !== undefined) setPython(values.python);

  let fair = true;
  if (values.check) {
    for (const w of workloads) {
      const agreements = await checkWorkload(w);
      fair &&= agreements.every(agreementHolds);
      process.stdout.write(formatCheckResult(w, agreements, agreements.skipped));
    }
    return fair ? 0 : 1;
  }

  if (!(globalThis as { gc?: unknown }).gc) process.stderr.write("note: run node with --expose-gc so garbage is collected between runs, off the clock\n");
  const machine = machineInfo();
  process.stdout.write(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.load.toFixed(2)}; ${runs} runs after ${warmup} warm-up, medians\n`);
  let peak: SimdPeak | null = null;
  let peakFlops = Number(values["peak-flops"]);
  if (!values["peak-flops"]) {
    peak = await measureSimdPeak();
    peakFlops = peak.flopsPerSecond;
    process.stdout.write(`SIMD peak (one core, f64x2 mul + add): ${formatFlops(peakFlops)}\n`);
  }
  process.stdout.write("\n");
  const results: WorkloadResult[] = [];
  if (workloads.length === 1 || values["result-json"]) {
    for (const w of workloads) {
      const result = await runWorkload(w, { runs, warmup, peakFlops, log: (line) => process.stderr.write(`${line}\n`) });
      results.push(result);
      fair &&= result.agreements.every(agreementHolds);
      process.stdout.write(`${formatWorkloadResult(result)}\n\n`);
    }
    if (values["result-json"]) writeFileSync(values["result-json"], JSON.stringify(results));
  } else {
    // each workload in a fresh Node process: code that an earlier workload's hooks and shapes made polymorphic
    // (trainer.step, the kernels) would otherwise slow a later one (F measured 1.3x after A-E, 1.04x alone)
    const dir = mkdtempSync(join(tmpdir(), "backprop-bench-"));
    try {
      for (const w of workloads) {
        const file = join(dir, `${w.id}.json`);
        const args = [
          ...process.execArgv,
          fileURLToPath(import.meta.url),
          ...["--only", w.id, "--runs", String(runs), "--warmup", String(warmup), "--result-json", file],
          ...["--python", pythonCommand().command, "--peak-flops", String(peakFlops)],
        ];
        const child = spawnSync(process.execPath, args, { stdio: "inherit" });
        if (child.status !== 0 && child.status !== 1) throw new Error(`workload ${w.id} failed (exit ${child.status ?? child.signal})`);
        const [result] = JSON.parse(readFileSync(file, "utf8")) as WorkloadResult[];
        if (!result) throw new Error(`workload ${w.id} wrote no result`);
        results.push(result);
        fair &&= result.agreements.every(agreementHolds);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (values.write) {
    const notes = [
      `Load average when the run ended: ${loadavg()[0]!.toFixed(2)} (1 min), ${loadavg()[1]!.toFixed(2)} (5 min) on ${machine.cores} cores`,
      `numpy's Python: \`${pythonCommand().command === PYTHON_OFF ? "none (numpy skipped)" : pythonCommand().command}\`; OPENBLAS_CORETYPE ${process.env.OPENBLAS_CORETYPE ? `= ${process.env.OPENBLAS_CORETYPE}` : "unset"}, OPENBLAS_L2_SIZE ${process.env.OPENBLAS_L2_SIZE ? `= ${process.env.OPENBLAS_L2_SIZE}` : "unset"} (the BLAS kernel that ran is in numpy's library line)`,
    ];
    writeFileSync(values.write, renderResultsMarkdown(results, machine, { runs, warmup, ...(peak ? { peak } : {}), notes }));
    process.stdout.write(`wrote ${values.write}\n`);
  }
  if (!fair) process.stderr.write("a fairness check failed: the peers did not compute the same numbers as ours\n");
  return fair ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
