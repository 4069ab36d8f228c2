import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";

// Every command the READMEs and --help show, run exactly as printed, through pnpm, from the repository root:
// the dashboards in tmux (the test quits them with q), the rest with stdout a pipe.
const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const repo = join(app, "..", "..");
const readme = readFileSync(join(app, "README.md"), "utf8");
const rootReadme = readFileSync(join(repo, "README.md"), "utf8");

/** Commands in a README: sh blocks' lines (comments dropped), `$ ` lines of text blocks, inline `pnpm …` spans. */
function commandsOf(text: string): string[] {
  const out: string[] = [];
  for (const block of text.matchAll(/```(sh|text)\n([\s\S]*?)```/g)) {
    for (const line of block[2]!.split("\n")) {
      // `a && b && pnpm start   # comment`: each command of the chain
      if (block[1] === "sh") for (const c of line.replace(/\s+#.*$/, "").split("&&")) if (/^pnpm /.test(c.trim())) out.push(c.trim());
      if (block[1] === "text" && line.startsWith("$ pnpm ")) out.push(line.slice(2).trim());
    }
  }
  for (const span of text.replace(/```[\s\S]*?```/g, "").matchAll(/`(pnpm [^`]+)`/g)) out.push(span[1]!);
  return out;
}

/** The lines printed under `$ <command>` in a README text block. */
function printedUnder(command: string): string[] {
  const start = readme.indexOf(`$ ${command}\n`);
  expect(start, `README shows the output of ${command}`).toBeGreaterThanOrEqual(0);
  const body = readme.slice(start).split("\n").slice(1);
  return body.slice(0, body.findIndex((l) => l.startsWith("```") || l.startsWith("$ ")));
}

function helpExamples(lang: "en" | "es"): string[] {
  const help = spawnSync(process.execPath, [join(app, "dist", "cli.js"), "--help", "--lang", lang], { encoding: "utf8" }).stdout;
  const at = help.indexOf(lang === "es" ? "Ejemplos:" : "Examples:");
  expect(at).toBeGreaterThan(0);
  return help.slice(at).split("\n").slice(1).map((l) => l.trim()).filter((l) => l.startsWith("pnpm "));
}

const sh = (command: string) => spawnSync("sh", ["-c", command], { cwd: repo, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
/** pnpm's banner ("> backprop-lab@ start …" and a blank line) comes first on stdout; the program's lines follow. */
const withoutBanner = (out: string) => out.split("\n").filter((l, i, all) => !l.startsWith("> ") && !(l === "" && i < all.findIndex((x) => x !== "" && !x.startsWith("> "))));
const time = (l: string) => l.replace(/in [0-9.]+ s/, "in … s");
const interactive = (c: string) => !/--help|--plain|--json|\|/.test(c) && !readme.includes(`$ ${c}\n`);

const ours = [...new Set([...commandsOf(readme), ...helpExamples("en")])];
const rootStart = commandsOf(rootReadme).filter((c) => c.startsWith("pnpm start"));

const socket = `backprop-lab-readme-${process.pid}`;
const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
afterAll(() => {
  spawnSync("tmux", ["-L", socket, "kill-server"]);
});

describe("every command the READMEs and --help show", () => {
  it("finds them, and --help shows the same examples in both languages", () => {
    expect(helpExamples("es")).toEqual(helpExamples("en"));
    expect(ours).toContain("pnpm start -- --preset course-2-50-2");
    expect(ours.length).toBeGreaterThanOrEqual(10);
    expect(rootStart).toEqual(["pnpm start"]);
  });

  it("runs the non-interactive ones as printed", { timeout: 900_000 }, () => {
    for (const command of ours.filter((c) => !interactive(c))) {
      const r = sh(command);
      const shown = readme.includes(`$ ${command}\n`) ? printedUnder(command) : null;
      if (shown && shown[0]!.startsWith("error: ")) {
        // a mistake: exit code 2, and the message is the last thing on stderr (turbo's build log comes before it)
        expect(r.status, command).toBe(2);
        expect(r.stderr.trimEnd().split("\n").slice(-shown.length), command).toEqual(shown);
      } else if (shown) {
        expect(r.status, `${command}\n${r.stderr}`).toBe(0);
        expect(withoutBanner(r.stdout.trimEnd()).map(time), command).toEqual(shown.map(time));
      } else if (command.includes("--help")) {
        expect(r.status, command).toBe(0);
        expect(r.stdout, command).toContain(command.includes("--lang es") ? "Uso: backprop-lab [opciones]" : "Usage: backprop-lab [options]");
      } else {
        // a pipe into head: NDJSON (or pnpm's banner) that stops early without an error
        expect(r.status, `${command}\n${r.stderr}`).toBe(0);
        const json = withoutBanner(r.stdout.trimEnd()).filter((l) => l.startsWith("{"));
        expect(json.length, command).toBeGreaterThan(0);
        expect(JSON.parse(json[0]!)).toMatchObject({ type: "report" });
      }
    }
  });

  it("opens every dashboard command in a real terminal (tmux), which q quits with exit code 0", { timeout: 900_000 }, async () => {
    const probe = spawnSync("tmux", ["-V"], { encoding: "utf8" });
    if (probe.error || probe.status !== 0) throw new Error("tmux is required (install tmux)");
    const saved = join(repo, "model.json");
    expect(existsSync(saved), "model.json already exists at the repository root; the --save example would overwrite it").toBe(false);
    const env = ["env", "-i", `PATH=${process.env.PATH}`, `HOME=${process.env.HOME ?? "/tmp"}`, "TERM=tmux-256color", "LANG=C.UTF-8"];
    const commands = [...new Set([...ours.filter(interactive), ...rootStart])];
    expect(commands.length).toBeGreaterThanOrEqual(5);
    try {
      for (const [i, command] of commands.entries()) {
        const name = `c${i}`;
        const line = `cd '${repo}' && ${env.join(" ")} sh -c '${command}'; echo "exit code $?"; sleep 600`;
        tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", line);
        const screen = () => tmux("capture-pane", "-t", name, "-p");
        await vi.waitFor(() => expect(screen(), `${command} opens the dashboard`).toMatch(/^backprop-lab │/m), { timeout: 240_000, interval: 200 });
        tmux("send-keys", "-t", name, "q");
        await vi.waitFor(() => expect(screen(), `${command} quits`).toContain("exit code 0"), { timeout: 30_000, interval: 200 });
        if (command.includes("--save model.json")) {
          expect(screen()).toContain("model saved to model.json");
          expect(JSON.parse(readFileSync(saved, "utf8"))).toMatchObject({ format: "backprop-lab/mlp" });
          rmSync(saved);
        }
        // sessions stay until afterAll: killing the last one ends the server while the next one starts
      }
    } finally {
      rmSync(saved, { force: true });
    }
  });
});
