import ansiEscapes from "ansi-escapes";
import { render } from "ink";
import { createDriver } from "./driver.js";
import type { CliOptions } from "./flags.js";
import type { Lang } from "./i18n.js";
import { resolveColorMode } from "./render/color-mode.js";
import { createPainter } from "./render/painter.js";
import type { Session } from "./session.js";
import { App } from "./ui/app.js";

/** Opens the dashboard on the terminal and resolves with the language it ended in once the user quits. */
export async function runDashboard(session: Session, options: CliOptions): Promise<Lang> {
  const stdout = process.stdout;
  const colorMode = resolveColorMode(options.color, process.env, stdout);
  const driver = createDriver(session, { paused: options.paused });
  const painter = createPainter(stdout);
  driver.setPainter(() => painter.paint());
  let lang = options.lang;
  // the alternate screen gives the dashboard the whole terminal, from its top-left corner, and gives the shell its screen back on exit
  stdout.write(ansiEscapes.enterAlternativeScreen + ansiEscapes.eraseScreen + ansiEscapes.cursorTo(0, 0) + ansiEscapes.cursorHide);
  try {
    const instance = render(
      <App session={session} driver={driver} lang={lang} colorMode={colorMode} painter={painter} onLangChange={(next) => (lang = next)} />,
      { stdout: painter.wrap(stdout), exitOnCtrlC: true, incrementalRendering: false, maxFps: 20 },
    );
    await instance.waitUntilExit();
  } finally {
    driver.dispose();
    stdout.write(ansiEscapes.cursorShow + ansiEscapes.exitAlternativeScreen);
  }
  return lang;
}
