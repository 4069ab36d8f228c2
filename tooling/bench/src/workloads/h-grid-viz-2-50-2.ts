import { sizesLabel } from "../problem.js";
import type { Workload } from "../types.js";
import { vizGridWorkload } from "../viz-grid.js";
import { configB } from "./b-xor-2-50-2.js";
import { trainedNetB } from "./d-grid-200.js";

export const SIDE_H = 200;

export const workloadH: Workload = vizGridWorkload({
  id: "H",
  title: `trained ${sizesLabel(configB.sizes)} net on a ${SIDE_H}×${SIDE_H} grid with the viz sampler`,
  netDescription: `Workload B's ${sizesLabel(configB.sizes)} sigmoid network after its ${configB.steps} steps (weights rounded to float32), as in D,`,
  side: SIDE_H,
  gridsPerRun: 1,
  net: trainedNetB,
});
