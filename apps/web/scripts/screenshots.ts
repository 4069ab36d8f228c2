// `pnpm screenshots` (from the repository root): the README's pictures of the playground, taken in Debian's
// Chromium from the built app. Writes apps/web/docs/*.png, or the folder in SCREENSHOTS_DIR. Never run by
// `pnpm test`, which must leave the committed files alone.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DOCS, openApp, playUntil } from "../e2e/harness.js";

const out = process.env.SCREENSHOTS_DIR ?? DOCS;
mkdirSync(out, { recursive: true });
const app = await openApp();
try {
  const desk = await app.page("#seed=1&data=spiral&noise=0&ratio=0.5&features=x1,x2,x1sq,x2sq,sinx1,sinx2&hidden=8,6&act=tanh&out=tanh&encoding=signed&lr=0.03&batch=10&showTest=1");
  await playUntil(desk, 3000);
  await desk.screenshot({ path: join(out, "playground-1280x800.png") });
  await desk.getByTestId("tab-explainer").click();
  await desk.getByTestId("explainer").waitFor();
  await desk.getByTestId("explainer").scrollIntoViewIfNeeded();
  await desk.screenshot({ path: join(out, "explainer-1280x800.png") });
  await desk.getByTestId("classroom-open").click();
  for (const h of ["learningRate", "optimizer", "schedule", "layers", "labs"]) await desk.getByTestId(`hide-${h}`).check();
  await desk.screenshot({ path: join(out, "classroom-1280x800.png") });
  const phone = await app.page("#seed=1&data=circle&noise=0.1&ratio=0.5&hidden=4,2&act=tanh&out=tanh&encoding=signed&lr=0.03&batch=10", { width: 390, height: 844 });
  await playUntil(phone, 1500);
  await phone.screenshot({ path: join(out, "playground-390x844.png") });
  await phone.screenshot({ path: join(out, "playground-390x844-full.png"), fullPage: true });
  await phone.getByTestId("classroom-open").click();
  await phone.getByTestId("hide-learningRate").check();
  await phone.screenshot({ path: join(out, "classroom-390x844.png") });
  process.stdout.write(`screenshots: 6 pictures in ${out}\n`);
} finally {
  await app.close();
}
