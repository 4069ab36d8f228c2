import { readFileSync } from "node:fs";
import * as core from "@backprop-lab/core";
import { describe, expect, it } from "vitest";
import * as diagnostics from "./index.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const modules: Record<string, Record<string, unknown>> = { "@backprop-lab/core": core, "@backprop-lab/diagnostics": diagnostics };

describe("README", () => {
  it("the example prints what the README says it prints", () => {
    const code = readme.slice(readme.indexOf("## Example")).match(/```ts\n([\s\S]*?)```/)![1]!;
    const printed = readme.match(/prints \(a test runs this block and compares\):\n\n```text\n([\s\S]*?)```/)![1]!;
    // run the block as written: its imports become arguments bound to the real modules
    const names: string[] = [];
    const values: unknown[] = [];
    const body = code.replace(/^import \{([^}]+)\} from "([^"]+)";\n/gm, (_, list: string, from: string) => {
      for (const name of list.split(",").map((s) => s.trim())) {
        expect(modules[from]![name], `${from} exports ${name}`).toBeDefined();
        names.push(name);
        values.push(modules[from]![name]);
      }
      return "";
    });
    const lines: string[] = [];
    const log = { log: (...args: unknown[]) => lines.push(args.join(" ")) };
    new Function(...names, "console", body)(...values, log);
    expect(lines.join("\n") + "\n").toBe(printed);
  });

  it("the thresholds table quotes the exported constants", () => {
    const constants = Object.entries(diagnostics.DEFAULT_THRESHOLDS);
    // the tuning constants are grouped in one object, not exported one by one
    expect(Object.keys(diagnostics).filter((name) => /^[A-Z_]+$/.test(name) && typeof (diagnostics as Record<string, unknown>)[name] === "number")).toEqual([]);
    expect(constants.length).toBeGreaterThan(20);
    for (const [name, value] of constants) {
      if (name.startsWith("FIX_") || name === "CLIP_NORM_EPSILON" || name === "MAX_GUARD_EVENTS") continue;
      const quoted = readme.match(new RegExp(`\`${name}\` = ([0-9.e+-]+)`));
      expect(quoted, `README quotes ${name}`).not.toBeNull();
      expect(Number(quoted![1]), name).toBe(value);
    }
  });
});
