import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as entry from "../src/index.js";
import * as internal from "../src/internal.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const source = readFileSync(new URL("../src/index.ts", import.meta.url), "utf8");

/** The names README's "## API" section documents: every backticked name before the first colon of a bullet. */
function documentedNames(): { values: Set<string>; types: Set<string> } {
  const from = readme.indexOf("\n## API\n");
  expect(from, "README.md has an ## API section").toBeGreaterThanOrEqual(0);
  const section = readme.slice(from + 1, readme.indexOf("\n## ", from + 1));
  const values = new Set<string>();
  const types = new Set<string>();
  for (const line of section.split("\n").filter((l) => l.startsWith("- "))) {
    // the bullet's head: up to the first ": " outside backticks
    let inTick = false;
    let end = line.length;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === "`") inTick = !inTick;
      else if (!inTick && line.startsWith(": ", i)) {
        end = i;
        break;
      }
    }
    for (const m of line.slice(0, end).matchAll(/(type )?`([A-Za-z_$][\w$]*)/g)) (m[1] ? types : values).add(m[2]!);
  }
  return { values, types };
}

/** The type-only names index.ts exports (`type X` inside an export list). */
function exportedTypes(): Set<string> {
  const names = new Set<string>();
  for (const block of source.matchAll(/export \{([^}]*)\}/g)) for (const m of block[1]!.matchAll(/\btype ([A-Za-z_$][\w$]*)/g)) names.add(m[1]!);
  return names;
}

describe("the public surface", () => {
  it("the module's runtime exports are exactly the values README's API section documents", () => {
    const runtime = Object.keys(entry).sort();
    expect(runtime.length).toBeGreaterThan(50);
    expect(runtime).toEqual([...documentedNames().values].sort());
  });

  it("its type exports are exactly the types README's API section documents", () => {
    const types = [...exportedTypes()].sort();
    expect(types.length).toBeGreaterThan(50);
    expect(types).toEqual([...documentedNames().types].sort());
  });

  it("internal names stay out of the public entry", () => {
    const publicNames = new Set(Object.keys(entry));
    const leaked = Object.keys(internal).filter((n) => publicNames.has(n));
    expect(leaked).toEqual([]);
    for (const name of ["createRun", "RunConfig", "normalizeRunConfig", "presetConfig", "forwardFast", "createWorkspace", "featurizeInto", "fastExp", "streamSeed"]) {
      expect(publicNames.has(name), name).toBe(false);
    }
  });
});
