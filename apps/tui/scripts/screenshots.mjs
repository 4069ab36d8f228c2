// Regenerates docs/screen-*.ansi: the built dashboard in tmux at each size the README shows, the default run after
// --steps 3000 and a diverged run, captured with their colours (capture-pane -e). Run it on purpose
// (`screenshots` script of this package); tests never write docs/.
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(app, "dist", "cli.js");
const socket = `backprop-lab-screens-${process.pid}`;
const tmux = (...args) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
const env = ["env", "-i", `PATH=${process.env.PATH}`, `HOME=${process.env.HOME ?? "/tmp"}`, "TERM=tmux-256color", "LANG=C.UTF-8", "COLORTERM=truecolor"];
const quote = (a) => `'${a.replaceAll("'", "'\\''")}'`;
const SHOTS = [
  { file: "screen-80x24.ansi", size: [80, 24], args: ["--steps", "3000"], done: "done" },
  { file: "screen-100x30.ansi", size: [100, 30], args: ["--steps", "3000"], done: "done" },
  { file: "screen-120x40.ansi", size: [120, 40], args: ["--steps", "3000"], done: "done" },
  { file: "screen-200x60.ansi", size: [200, 60], args: ["--steps", "3000"], done: "done" },
  { file: "screen-160x48.ansi", size: [160, 48], args: ["--steps", "3000"], done: "done" },
  { file: "screen-80x24-nocolor.ansi", size: [80, 24], args: ["--steps", "3000"], done: "done", noColor: true },
  {
    file: "screen-120x40-diverged.ansi",
    size: [120, 40],
    args: ["--activation", "relu", "--output", "linear", "--loss", "mse", "--lr", "50", "--steps", "300"],
    done: "diverged",
  },
];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

tmux("new-session", "-d", "-s", "keep", "sleep 600");
try {
  for (const [i, shot] of SHOTS.entries()) {
    const name = `s${i}`;
    tmux("new-session", "-d", "-s", name, "-x", String(shot.size[0]), "-y", String(shot.size[1]), [...env, ...(shot.noColor ? ["NO_COLOR=1"] : []), process.execPath, cli, ...shot.args].map(quote).join(" ") + "; sleep 600");
    let screen = "";
    for (let t = 0; t < 600 && !(screen.split("\n")[0] ?? "").includes(shot.done); t++) {
      await sleep(200);
      screen = tmux("capture-pane", "-t", name, "-p");
    }
    await sleep(1500); // the last frame, and the message line's fade does not matter: it is captured as it is
    writeFileSync(join(app, "docs", shot.file), tmux("capture-pane", "-t", name, "-p", "-e"));
    process.stdout.write(`docs/${shot.file}\n`);
  }
} finally {
  spawnSync("tmux", ["-L", socket, "kill-server"]);
}
