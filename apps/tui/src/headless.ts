import type { Evaluation, RunDocument, RunStepReport } from "@backprop-lab/core";
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

/**
 * One line of NDJSON per report interval: the run's own step report
 * (core's RunStepReport, unchanged: step, loss = dataLoss + regLoss, the
 * gradient norm before (gradNorm) and after clipping (clippedNorm), the
 * learning rate the step used, clipped, finite, nonFinite, epoch, clipCount
 * (the clipped updates so far, as the run counts them), rollback, and the
 * evaluation on the steps the document's evaluation cadence falls on, else
 * null), and the findings. JSON has no NaN or
 * ±Infinity: non-finite numbers come out as null.
 */
export interface ReportRecord extends RunStepReport {
  type: "report";
  findings: FindingRecord[];
}

/** The last line: where the run ended, and the run document it was. */
export interface SummaryRecord {
  type: "summary";
  steps: number;
  diverged: boolean;
  seconds: number;
  stepsPerSecond: number;
  preset: string | null;
  /** The run's evaluation of the final weights. */
  train: Evaluation;
  test: Evaluation | null;
  clipCount: number;
  rollbacks: number;
  findings: FindingRecord[];
  /** The whole run: give it back with --config to run it again. */
  document: RunDocument;
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
  return { type: "report", ...session.last!, findings: session.findings().map((f) => findingRecord(f, lang)) };
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

function plainReport(rec: ReportRecord, session: Session, lang: Lang): string {
  const m = MESSAGES[lang];
  // the run's evaluation at this step (evaluated now when the cadence missed it)
  const e = rec.evaluation ?? session.evaluate();
  const test = e.test === null || e.test.accuracy === null ? "" : m.plainTest(formatPercent(e.test.accuracy));
  return m.plainLine(
    String(rec.step),
    formatNumber(rec.loss),
    formatNumber(rec.dataLoss),
    formatNumber(rec.regLoss),
    e.train.accuracy === null ? "-" : formatPercent(e.train.accuracy),
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
    else write(plainReport(rec, session, lang));
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
    train: e.train,
    test: e.test,
    clipCount: session.clipCount(),
    rollbacks: session.run.rollbacks.length,
    findings,
    document: session.document,
  };
  if (format === "json") emit(summary);
  else {
    if (summary.diverged) write(m.plainDiverged(summary.steps));
    else write(m.plainSummary(summary.steps, seconds.toFixed(2), summary.train.accuracy === null ? "-" : formatPercent(summary.train.accuracy)));
    for (const f of findings) write(m.plainFinding(f.severity, f.message));
  }
  return summary;
}
