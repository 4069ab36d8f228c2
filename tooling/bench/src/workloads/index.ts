import type { Workload } from "../types.js";
import { workloadA } from "./a-xor-2-3-2.js";
import { workloadB } from "./b-xor-2-50-2.js";
import { workloadC } from "./c-xor-2-64x3-2.js";
import { workloadD } from "./d-grid-200.js";
import { workloadG } from "./g-grid-deep-tanh.js";
import { workloadH } from "./h-grid-viz-2-50-2.js";

/** Every workload `pnpm bench` runs, in order. A new workload is a file here and a line below. */
export const WORKLOADS: readonly Workload[] = [workloadA, workloadB, workloadC, workloadD, workloadG, workloadH];
