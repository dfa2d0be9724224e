import type { IssuesOnlyOptions } from "../model-issues.ts";

/** The pipeline's options in admission: node-independent, so that nodes can share a run. */
export const ADMISSION_OPTIONS: IssuesOnlyOptions = { hostname: "admission", skipSecretResolution: true };
