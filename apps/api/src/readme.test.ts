import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { createApp } from "./app.js";
import { post } from "./test/helpers.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const app = createApp();

/** The text block that follows `<!-- checked: name -->`. */
function block(name: string): string {
  const match = new RegExp(`<!-- checked: ${name} -->\\n\`\`\`text\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (!match) throw new Error(`README has no checked block "${name}"`);
  return match[1]!;
}

it("prints the worked example's numbers as the README shows them", async () => {
  const e = (await (await post(app, "/v1/explain")).json()) as { output: number[][]; dataLoss: number; lossAfterUpdate: number };
  expect(block("explain")).toBe(JSON.stringify([e.output[0], e.dataLoss, e.lossAfterUpdate]));
});

it("prints the course run's loss, accuracy and findings as the README shows them", async () => {
  const r = (await (await post(app, "/v1/train", { preset: "course-2-3-2", steps: 2000 })).json()) as {
    final: { train: { loss: number; accuracy: number } };
    findings: { code: string }[];
  };
  expect(block("train")).toBe(JSON.stringify({ loss: r.final.train.loss, accuracy: r.final.train.accuracy, findings: r.findings.map((f) => f.code) }));
});

it("prints the Spanish problem as the README shows it", async () => {
  const res = await post(app, "/v1/train", { config: { network: { hidden: [3, 0] } } }, { "accept-language": "es" });
  expect(res.status).toBe(422);
  expect(block("problem-es")).toBe(await res.text());
});
