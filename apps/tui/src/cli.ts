import pkg from "../package.json" with { type: "json" };
import { UsageError, writeModelFile } from "./files.js";
import { parseCli, type CliOptions } from "./flags.js";
import { formatNumber, formatPercent } from "./format.js";
import { runHeadless } from "./headless.js";
import { MESSAGES, type Lang } from "./i18n.js";
import { createSession, type Session } from "./session.js";

function save(session: Session, options: CliOptions, lang: Lang): string | null {
  if (!options.save) return null;
  writeModelFile(options.save.path, options.save.display, session.run.net, MESSAGES[lang]);
  return MESSAGES[lang].savedModel(options.save.display);
}

/** The command: the dashboard in a terminal, NDJSON or plain lines otherwise. Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const env = process.env;
  const isTTY = Boolean(process.stdout.isTTY && process.stdin.isTTY);
  let options: CliOptions;
  try {
    const result = parseCli(argv, { env, cwd: env.INIT_CWD ?? process.cwd(), isTTY, version: pkg.version });
    if (result.kind === "print") {
      process.stdout.write(result.text);
      return 0;
    }
    options = result.options;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const session = createSession({
    document: options.document,
    presetId: options.presetId,
    totalSteps: options.totalSteps,
    model: options.model,
  });
  const m = MESSAGES[options.lang];
  try {
    if (options.mode === "tui") {
      // Ink and React load only for the dashboard: the NDJSON path starts fast
      const { runDashboard } = await import("./tui.js");
      const lang = await runDashboard(session, options);
      const e = session.evaluate();
      const acc = e.train.accuracy === null ? "" : ` · ${MESSAGES[lang].accuracy} ${formatPercent(e.train.accuracy)}`;
      const loss = session.last ? ` · ${MESSAGES[lang].loss} ${formatNumber(session.last.loss)}` : "";
      process.stdout.write(`${MESSAGES[lang].step} ${session.steps}${loss}${acc}\n`);
      const saved = save(session, options, lang);
      if (saved) process.stdout.write(`${saved}\n`);
      return 0;
    }
    // a reader that goes away (`| head`) ends the run quietly
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(0);
      throw error;
    });
    const summary = await runHeadless({
      session,
      totalSteps: options.totalSteps ?? 3000,
      every: options.every,
      format: options.mode,
      lang: options.lang,
      write: (line) => process.stdout.write(`${line}\n`),
    });
    const saved = save(session, options, options.lang);
    if (saved) process.stderr.write(`${saved}\n`);
    if (summary.diverged) {
      // the plain output said so on stdout; the JSON summary carries diverged: true, and stderr says it in words
      if (options.mode === "json") process.stderr.write(`${m.plainDiverged(summary.steps)}\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${m.errorPrefix}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
