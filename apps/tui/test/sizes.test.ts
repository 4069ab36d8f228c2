import { execFileSync, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The built dashboard at the four sizes it is made for, healthy and diverged, in tmux: every line fits the
// terminal, the header stays on screen, no number is cut at an edge, and the findings scroll.
const cli = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "cli.js");
const socket = `backprop-lab-sizes-${process.pid}`;
const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
const SIZES = [
  [70, 20], // below the medium layout: one column, short
  [80, 24],
  [100, 30],
  [120, 40],
  [200, 60],
] as const;
/** A run whose loss overflows at step 6 (relu into a linear output with a learning rate of 50). */
const DIVERGING = ["--activation", "relu", "--output", "linear", "--loss", "mse", "--lr", "50", "--steps", "300"];
const env = ["env", "-i", `PATH=${process.env.PATH}`, `HOME=${process.env.HOME ?? "/tmp"}`, "TERM=tmux-256color", "LANG=C.UTF-8"];
const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;

function start(name: string, cols: number, rows: number, args: string[]) {
  tmux("new-session", "-d", "-s", name, "-x", String(cols), "-y", String(rows), [...env, process.execPath, cli, ...args].map(quote).join(" ") + "; sleep 600");
}
const capture = (name: string) => tmux("capture-pane", "-t", name, "-p");

async function screenOf(name: string, ready: (s: string) => boolean): Promise<string> {
  let last = "";
  await vi.waitFor(
    () => {
      last = capture(name);
      expect(ready(last), `waiting for ${name}:\n${last}`).toBe(true);
    },
    { timeout: 60_000, interval: 150 },
  );
  // Ink writes a frame in pieces: wait until two captures agree
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const now = capture(name);
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** What "fits" means, checked line by line. */
function expectFits(screen: string, cols: number, rows: number, what: string) {
  const lines = screen.replace(/\n$/, "").split("\n");
  expect(lines.length, what).toBeLessThanOrEqual(rows);
  expect(lines[0], `${what}: the header is the first line`).toMatch(/^backprop-lab │/);
  for (const line of lines) {
    expect(Array.from(line).length, `${what}: wider than the terminal: ${line}`).toBeLessThanOrEqual(cols);
    // a number cut by an ellipsis, or split by a panel border
    expect(line, `${what}: a number cut at an edge: ${line}`).not.toMatch(/\d…|\d[.e][│╮╯]|[.e+-]\d*│/u);
  }
  // every axis label is a whole number: the text left of ┤/┼ reads back as a number or a percentage
  for (const line of lines) {
    for (const m of line.matchAll(/[│ ]([^│ ┤┼]{1,7})[┤┼]/gu)) {
      const label = m[1]!.trim();
      // whole: it starts with its sign or first digit (a cut "1.7e+246" reads ".7e+246", still a number)
      expect(label === "∞" || /^-?\d/.test(label), `${what}: axis label ${label} in ${line}`).toBe(true);
      if (label !== "∞") expect(Number.isFinite(Number(label.replace(/%$/, ""))), `${what}: axis label ${label}`).toBe(true);
    }
  }
}

describe("the dashboard at 70×20, 80×24, 100×30, 120×40 and 200×60 (tmux)", () => {
  beforeAll(() => {
    const probe = spawnSync("tmux", ["-V"], { encoding: "utf8" });
    if (probe.error || probe.status !== 0) throw new Error("tmux is required for the real-terminal tests (install tmux)");
    // one session that lives for the whole file, so the server never exits between the others
    tmux("new-session", "-d", "-s", "keep", "sleep 600");
  });
  afterAll(() => {
    spawnSync("tmux", ["-L", socket, "kill-server"]);
  });

  for (const [cols, rows] of SIZES) {
    it(`${cols}×${rows}: healthy and diverged screens fit, the layout suits the width, the findings scroll`, async () => {
      const healthy = `h${cols}`;
      start(healthy, cols, rows, ["--steps", "200"]);
      const h = await screenOf(healthy, (s) => /step 200\/200/.test(s.split("\n")[0] ?? ""));
      expectFits(h, cols, rows, `${cols}×${rows} healthy`);
      // the course's three panels side by side from 120 columns on, exactly 120 included
      const row = h.split("\n").find((l) => l.includes("accuracy  train")) ?? "";
      expect(row.includes("decision boundary") && row.includes("loss "), `${cols}×${rows}: wide layout`).toBe(cols >= 120);

      const diverged = `d${cols}`;
      start(diverged, cols, rows, DIVERGING);
      const d = await screenOf(diverged, (s) => (s.split("\n")[0] ?? "").includes("diverged"));
      expectFits(d, cols, rows, `${cols}×${rows} diverged`);
      expect(d).toContain("loss ∞ = data loss ∞");
      if (d.includes("diagnostics · lines 1-")) {
        // more findings than fit: ↓ shows the next line, and the first line of the panel changes
        tmux("send-keys", "-t", diverged, "Down");
        const scrolled = await screenOf(diverged, (s) => s.includes("diagnostics · lines 2-"));
        expectFits(scrolled, cols, rows, `${cols}×${rows} diverged, scrolled`);
      } else {
        expect(cols, "only the largest screens show every finding at once").toBeGreaterThanOrEqual(200);
      }
    });
  }
});
