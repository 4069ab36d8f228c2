import { execFileSync, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTrainingRun, presetDocument } from "@backprop-lab/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { formatNumber } from "../src/format.js";
import { DEFAULT_PRESET } from "../src/presets.js";

// The built dashboard in a real terminal: tmux runs it in a pane, send-keys types, capture-pane reads the screen.
const cli = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "cli.js");
const socket = `backprop-lab-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
const screen = (colour = false) => tmux("capture-pane", "-t", "app", "-p", ...(colour ? ["-e"] : []));
const header = () => screen().split("\n")[0] ?? "";
const stepOf = (line: string) => Number(/│ step (\d+) │/.exec(line)?.[1] ?? Number.NaN);

async function waitFor(what: string, check: (s: string) => boolean): Promise<string> {
  let last = "";
  await vi.waitFor(
    () => {
      last = screen();
      expect(check(last), `waiting for ${what}; the screen:\n${last}`).toBe(true);
    },
    { timeout: 30_000, interval: 100 },
  );
  return last;
}

/** The screen once it stops changing: Ink writes a frame in pieces, and a capture can land between them. */
async function settled(): Promise<string> {
  let previous = screen();
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 150));
    const now = screen();
    if (now === previous) return now;
    previous = now;
  }
  throw new Error(`the screen never settled; the last one:\n${previous}`);
}

async function key(k: string, what: string, check: (s: string) => boolean): Promise<string> {
  tmux("send-keys", "-t", "app", k);
  return waitFor(what, check);
}

/** Everything above the message line: the message fades after a few seconds, the rest is the run. */
const body = (s: string) => s.split("\n").slice(0, -3).join("\n");

describe("the dashboard in a real terminal (tmux)", () => {
  beforeAll(() => {
    const probe = spawnSync("tmux", ["-V"], { encoding: "utf8" });
    if (probe.error || probe.status !== 0) {
      throw new Error("tmux is required for the real-terminal test (apt-get install -y tmux)");
    }
    // a clean environment: no CI variables (Ink draws nothing live under CI), a 256-colour terminal with 24-bit colour
    const env = ["env", "-i", `PATH=${process.env.PATH}`, `HOME=${process.env.HOME ?? "/tmp"}`, "TERM=tmux-256color", "LANG=C.UTF-8", "COLORTERM=truecolor"];
    const command = [...env, process.execPath, cli].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
    tmux("new-session", "-d", "-s", "app", "-x", "100", "-y", "30", `${command}; echo "exit code $?"; sleep 600`);
  });

  afterAll(() => {
    spawnSync("tmux", ["-L", socket, "kill-server"]);
  });

  it("starts training, pauses, steps, resets to the identical numbers and quits", async () => {
    await waitFor("training to run", (s) => s.includes("▶ running") && stepOf(s.split("\n")[0]!) > 0);
    expect(screen(true)).toContain("\u001b[38;2;"); // the boundary in 24-bit colour

    const paused = await key("Space", "pause", (s) => s.includes("⏸ paused"));
    const at = stepOf(paused.split("\n")[0]!);
    expect(stepOf(header())).toBe(at);

    await key("s", "one step", (s) => stepOf(s.split("\n")[0]!) === at + 1);
    await key("r", "reset", (s) => stepOf(s.split("\n")[0]!) === 0);
    for (const n of [1, 2, 3]) await key("s", `step ${n}`, (s) => stepOf(s.split("\n")[0]!) === n);
    const first = await settled();

    // the same numbers core computes for three steps of the default run
    const run = createTrainingRun(presetDocument(DEFAULT_PRESET));
    let loss = 0;
    for (let i = 0; i < 3; i++) loss = run.step().loss;
    expect(first).toContain(`loss ${formatNumber(loss)} = data loss ${formatNumber(loss)}`);

    await key("r", "reset again", (s) => stepOf(s.split("\n")[0]!) === 0);
    for (const n of [1, 2, 3]) await key("s", `step ${n} again`, (s) => stepOf(s.split("\n")[0]!) === n);
    expect(body(await settled())).toBe(body(first));

    // back from another view, the live panels are drawn again even while paused
    await key("?", "the help", (s) => s.includes("Keys"));
    await key("x", "the dashboard with its boundary", (s) => (s.split("\n")[3] ?? "").includes("▀") && stepOf(s.split("\n")[0]!) === 3);

    const exit = await key("q", "quit", (s) => s.includes("exit code 0"));
    expect(exit).toContain(`step 3 · loss ${formatNumber(loss)}`);
  });
});
