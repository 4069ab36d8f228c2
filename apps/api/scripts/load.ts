// pnpm --filter @backprop-lab/api load [-- --copies 10 --scale heaviest|tiny]
// 10 concurrent copies of each computing route's heaviest allowed request
// against a real Node server (child process), while GET /health is probed
// every 50 ms; prints the probe's p50/p99/max, the server's peak memory and
// every status, then PASS or FAIL for each of the issue's targets (exit code
// 1 on any FAIL). Timings depend on the machine's load: not a test (see
// src/load.test.ts for the one that runs it small).
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { runLoad } from "../src/test/load.js";

const argv = process.argv.slice(2);
const { values } = parseArgs({ args: argv[0] === "--" ? argv.slice(1) : argv, options: { copies: { type: "string" }, scale: { type: "string" }, "probe-ms": { type: "string" }, "cpu-prof": { type: "string" } } });
const scale = values.scale === "tiny" ? "tiny" : "heaviest";
const copies = Number(values.copies ?? 10);
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;

const load0 = loadavg()[0]!;
console.log(`${new Date().toISOString()} · ${cpus().length} cores (${cpus()[0]?.model ?? "?"}) · load average ${load0.toFixed(2)} · node ${process.version}`);
console.log(`${copies} concurrent copies of each route's ${scale === "tiny" ? "small" : "heaviest allowed"} request, /health probed every ${values["probe-ms"] ?? 50} ms`);
console.log(`${"route".padEnd(20)} ${"request".padEnd(52)} ${"statuses".padEnd(24)} ${"wall".padStart(8)} ${"answered".padStart(10)} ${"probe max".padStart(10)}`);
const r = await runLoad({ copies, scale, probeEveryMs: Number(values["probe-ms"] ?? 50), log: (line) => console.log(line), nodeArgs: values["cpu-prof"] ? ["--cpu-prof", "--cpu-prof-dir", values["cpu-prof"]] : [] });
console.log(`/health probe: ${r.probe.count} answers ${JSON.stringify(r.probe.statuses)}, ${r.probe.failed} failed; p50 ${r.probe.p50Ms.toFixed(1)} ms, p99 ${r.probe.p99Ms.toFixed(1)} ms, max ${r.probe.maxMs.toFixed(1)} ms`);
console.log(`server memory (RSS): ${mb(r.rss.startBytes)} at start, ${mb(r.rss.peakBytes)} at peak, ${mb(r.rss.endBytes)} at the end · load average at the end ${loadavg()[0]!.toFixed(2)}`);
// the issue's targets: every answer 200/429/503/504, every probe answered, probe p99 under 100 ms, peak memory under the ceiling
const bad = r.routes.flatMap((x) => Object.keys(x.statuses).filter((s) => !["200", "429", "503", "504"].includes(s)));
const verdicts = [
  [bad.length === 0 && r.probe.failed === 0, `every answer 200/429/503/504 and every probe answered${bad.length ? ` (unexpected: ${bad.join(", ")})` : ""}${r.probe.failed ? ` (${r.probe.failed} probes failed)` : ""}`],
  [r.probe.p99Ms < 100, `probe p99 ${r.probe.p99Ms.toFixed(1)} ms under the 100 ms target`],
  [r.rss.peakBytes < r.rss.ceilingBytes, `peak memory ${mb(r.rss.peakBytes)} under the ceiling ${mb(r.rss.ceilingBytes)} (start + 2 × (workers × maxMemoryBytes + copies × (maxBodyBytes + maxResponseBytes)))`],
] as const;
for (const [ok, what] of verdicts) console.log(`${ok ? "PASS" : "FAIL"} ${what}`);
if (verdicts.some(([ok]) => !ok)) process.exitCode = 1;
