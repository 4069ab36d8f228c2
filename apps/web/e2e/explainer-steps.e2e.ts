import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useApp } from "./harness.js";

const app = useApp();

describe("the stepped explainer", () => {
  it("next and previous walk forward, loss, backward and update, lighting up the matching units and links", async () => {
    const o = await app.open();
    const p = o.page;
    await p.getByTestId("tab-explainer").click();
    await p.getByTestId("explain-current").click();
    await p.getByTestId("explain-stage").waitFor();
    const where = async () => ({
      stage: `${await p.getByTestId("explain-stage").getAttribute("data-stage")}${await p.getByTestId("explain-stage").getAttribute("data-layer")}`,
      lit: await p.getByTestId("network").getAttribute("data-highlight"),
    });
    // the default network is 2-4-2-1: three weight layers
    const seen = [await where()];
    for (let i = 0; i < 8; i++) {
      await p.getByTestId("explain-next").click();
      seen.push(await where());
    }
    expect(seen).toEqual([
      { stage: "inputs", lit: "inputs:0:" },
      { stage: "forward1", lit: "forward:0,1:0" },
      { stage: "forward2", lit: "forward:1,2:1" },
      { stage: "forward3", lit: "forward:2,3:2" },
      { stage: "loss", lit: "loss:3:" },
      { stage: "backward3", lit: "backward:3,2:2" },
      { stage: "backward2", lit: "backward:2,1:1" },
      { stage: "backward1", lit: "backward:1,0:0" },
      { stage: "update", lit: "update::0,1,2" },
    ]);
    expect(await p.getByTestId("explain-next").isDisabled()).toBe(true);
    await p.getByTestId("explain-prev").click();
    expect((await where()).stage).toBe("backward1");
    await p.getByTestId("explain-prev").click();
    await p.getByTestId("explain-prev").click();
    await p.screenshot({ path: join(tmpdir(), "backprop-web-explainer-backward.png") });
    // the course's example is another network: nothing in this diagram lights up
    await p.getByTestId("explain-course").click();
    await p.waitForFunction(() => document.querySelector('[data-testid="network"]')?.getAttribute("data-highlight") === "");
  });
});
