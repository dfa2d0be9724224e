// The lab harness in one import: topology (buildLab), peers (FRR, BIRD 2, GoBGP), the node's FRR
// and kernel state, and bounded waits. See README.md beside this file.
export * from "./frr-state.ts";
export * from "./node-frr.ts";
export * from "./peer.ts";
export * from "./peer-bird.ts";
export * from "./peer-frr.ts";
export * from "./peer-gobgp.ts";
export * from "./topology.ts";
export * from "./util.ts";
