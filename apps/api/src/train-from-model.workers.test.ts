// Training that continues from an uploaded model, inside workerd (the same
// cases as train-from-model.test.ts runs on Node).
import { expect, it } from "vitest";
import { createApp } from "./app.js";
import { trainFromModelCases } from "./test/train-from-model-cases.js";

it("runs inside workerd", () => {
  expect((globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent).toBe("Cloudflare-Workers");
});

trainFromModelCases("workerd", createApp());
