/**
 * Runs every detector over the labelled corpus (src/corpus) and prints
 * precision, recall, support and the median steps from onset to detection
 * per finding and per label, the findings on healthy runs, and how often each
 * offered fix cures the run (applied from the step of detection on a copy).
 *
 *   pnpm --filter @backprop-lab/diagnostics evaluate           # the full corpus
 *   pnpm --filter @backprop-lab/diagnostics evaluate --quick   # 5 runs per family, no fixes
 */
import { evaluateEntry, formatSummary, summarize } from "../src/corpus/evaluate.js";
import { CORPUS_PER_FAMILY, generateCorpus } from "../src/corpus/spec.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const verbose = args.includes("--verbose");
const entries = generateCorpus(undefined, quick ? 5 : CORPUS_PER_FAMILY);
const results = entries.map((entry, i) => {
  const r = evaluateEntry(entry, { cures: !quick });
  if (verbose) {
    console.error(
      `${String(i + 1).padStart(3)} ${entry.id.padEnd(18)} ${r.label.label.padEnd(10)} onset ${String(r.label.onset).padStart(4)}  ${r.detections.map((d) => `${d.code}@${d.step}${d.severity === "error" ? "!" : ""}`).join(" ")}${r.cures.length ? "  cures: " + r.cures.map((c) => `${c.code}→${c.after}${c.second ? `→${c.second.after}` : ""}`).join(" ") : ""}`,
    );
  }
  return r;
});
console.log(formatSummary(summarize(results)));
