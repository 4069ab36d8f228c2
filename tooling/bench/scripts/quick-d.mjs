// Workload D (workload B's trained 2-50-2 net on the 200×200 grid) for ours and tfjs-wasm only, with the bench's
// own setup (src/workloads/d-grid-200.ts), interleaved as the bench does (each round runs both, the order
// alternating), medians of the runs. A quick check while working on core's kernels; `pnpm bench` remains the
// record. Needs core and the bench built.
//   node --expose-gc scripts/quick-d.mjs [runs=15] [warmup=3]
import { OURS, TFJS_WASM, WORKLOADS } from "../dist/index.js";
import { interleave, median } from "./interleave.mjs";

const runs = Number(process.argv[2] ?? 15);
const warmup = Number(process.argv[3] ?? 3);
const workload = WORKLOADS.find((w) => w.id === "D");
const prepared = await workload.setup();
const subjects = prepared.subjects.filter((s) => s.name === OURS || s.name === TFJS_WASM);
const times = await interleave(subjects, runs, warmup);
// the agreement checks of the bench (ours' outputs against every peer's)
const checks = await prepared.check();
prepared.dispose?.();
const mo = median(times[OURS]);
const mt = median(times[TFJS_WASM]);
const fmt = (v) => v.map((t) => t.toFixed(2)).join(" ");
console.log(`ours      ${mo.toFixed(2)} ms/grid (${fmt(times[OURS])})`);
console.log(`tfjs-wasm ${mt.toFixed(2)} ms/grid (${fmt(times[TFJS_WASM])})`);
console.log(`ratio ${(mt / mo).toFixed(3)}x; agreement: ${checks.map((c) => `${c.subject} ${c.relativeError.toExponential(1)}`).join(", ")}`);
process.exit(0);
