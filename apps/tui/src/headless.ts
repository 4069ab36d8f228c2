import type { RunConfig } from "@backprop-lab/core";
import type { Finding } from "@backprop-lab/diagnostics";
import { MESSAGES, type Lang } from "./i18n.js";
import type { Session } from "./session.js";
import { formatNumber, formatPercent } from "./format.js";

/** A finding as the JSON output carries it: the message and fix label in the chosen language. */
export interface FindingRecord {
  code: string;
  severity: string;
  step: number;
  firstStep: number;
  active: boolean;
  numbers: Record<string, number>;
  message: string;
  fix: { id: string; label: string } | null;
}

/** One line of NDJSON per report interval. Non-finite numbers come out as null. */
export interface ReportRecord {
  type: "report";
  step: number;
  /** The step's batch loss (data + penalty), measured before its update. */
  loss: number;
  dataLoss: number;
  regLoss: number;
  gradNorm: number;
  learningRate: number;
  clipped: boolean;
  finite: boolean;
  /** The whole train and test sets with the weights after the step. */
  trainLoss: number;
  trainAccuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
  findings: FindingRecord[];
}

/** The last line: where the run ended and with which settings. */
export interface SummaryRecord {
  type: "summary";
  steps: number;
  diverged: boolean;
  seconds: number;
  stepsPerSecond: number;
  preset: string | null;
  trainLoss: number;
  trainAccuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
  clip: { on: boolean; maxNorm: number; clippedSteps: number };
  findings: FindingRecord[];
  config: RunConfig;
}

export function findingRecord(f: Finding, lang: Lang): FindingRecord {
  return {
    code: f.code,
    severity: f.severity,
    step: f.step,
    firstStep: f.firstStep,
    active: f.active,
    numbers: { ...f.numbers },
    message: f.message[lang],
    fix: f.fix ? { id: f.fix.id, label: f.fix.label[lang] } : null,
  };
}

export function reportRecord(session: Session, lang: Lang): ReportRecord {
  const r = session.last!;
  const e = session.evaluate();
  return {
    type: "report",
    step: r.step,
    loss: r.loss,
    dataLoss: r.dataLoss,
    regLoss: r.regLoss,
    gradNorm: r.gradNorm,
    learningRate: r.learningRate,
    clipped: r.clipped,
    finite: r.finite,
    trainLoss: e.train.loss,
    trainAccuracy: e.train.accuracy,
    testLoss: e.test ? e.test.loss : null,
    testAccuracy: e.test ? e.test.accuracy : null,
    findings: session.findings().map((f) => findingRecord(f, lang)),
  };
}

export interface HeadlessOptions {
  session: Session;
  totalSteps: number;
  every: number;
  format: "json" | "plain";
  lang: Lang;
  write: (line: string) => void;
  now?: () => number;
}

function plainReport(rec: ReportRecord, lang: Lang): string {
  const m = MESSAGES[lang];
  const test = rec.testAccuracy === null ? "" : m.plainTest(formatPercent(rec.testAccuracy));
  return m.plainLine(
    String(rec.step),
    formatNumber(rec.loss),
    formatNumber(rec.dataLoss),
    formatNumber(rec.regLoss),
    rec.trainAccuracy === null ? "-" : formatPercent(rec.trainAccuracy),
    test,
    formatNumber(rec.gradNorm),
  );
}

/**
 * Trains to `totalSteps` (or until the loss turns non-finite), writing one
 * report every `every` steps and at the last step, then a summary. Yields to
 * the event loop between reports, so a closed pipe is noticed.
 */
export async function runHeadless(options: HeadlessOptions): Promise<SummaryRecord> {
  const { session, totalSteps, every, format, lang, write } = options;
  const now = options.now ?? (() => performance.now());
  const m = MESSAGES[lang];
  const start = now();
  const emit = (rec: ReportRecord | SummaryRecord) => write(JSON.stringify(rec));
  while (session.steps < totalSteps && !session.diverged) {
    const target = Math.min(totalSteps, (Math.floor(session.steps / every) + 1) * every);
    session.advance(target - session.steps);
    const rec = reportRecord(session, lang);
    if (format === "json") emit(rec);
    else write(plainReport(rec, lang));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const seconds = (now() - start) / 1000;
  const e = session.evaluate();
  const findings = session.findings().map((f) => findingRecord(f, lang));
  const summary: SummaryRecord = {
    type: "summary",
    steps: session.steps,
    diverged: session.diverged,
    seconds,
    stepsPerSecond: seconds > 0 ? session.steps / seconds : 0,
    preset: session.presetId,
    trainLoss: e.train.loss,
    trainAccuracy: e.train.accuracy,
    testLoss: e.test ? e.test.loss : null,
    testAccuracy: e.test ? e.test.accuracy : null,
    clip: { on: session.clipOn, maxNorm: session.clipNorm, clippedSteps: session.clipStats().clipped },
    findings,
    config: session.config,
  };
  if (format === "json") emit(summary);
  else {
    if (summary.diverged) write(m.plainDiverged(summary.steps));
    else write(m.plainSummary(summary.steps, seconds.toFixed(2), summary.trainAccuracy === null ? "-" : formatPercent(summary.trainAccuracy)));
    for (const f of findings) write(m.plainFinding(f.severity, f.message));
  }
  return summary;
}
