// `bfd` profiles. Only the knobs a profile sets are written; FRR supplies the rest.
import type { BfdProfileModel } from "../model.ts";

function profileLines(p: BfdProfileModel): string[] {
  return [
    ...(p.receiveInterval === undefined ? [] : [`receive-interval ${p.receiveInterval}`]),
    ...(p.transmitInterval === undefined ? [] : [`transmit-interval ${p.transmitInterval}`]),
    ...(p.detectMultiplier === undefined ? [] : [`detect-multiplier ${p.detectMultiplier}`]),
    ...(p.echoMode ? ["echo-mode"] : []),
    ...(p.echoInterval === undefined
      ? []
      : [`echo transmit-interval ${p.echoInterval}`, `echo receive-interval ${p.echoInterval}`]),
    ...(p.passiveMode ? ["passive-mode"] : []),
    ...(p.minimumTtl === undefined ? [] : [`minimum-ttl ${p.minimumTtl}`]),
  ];
}

export function renderBfd(profiles: readonly BfdProfileModel[]): string[] {
  if (profiles.length === 0) return [];
  const blocks = profiles.flatMap((p) => [
    ` profile ${p.name}`,
    ...profileLines(p).map((l) => `  ${l}`),
    " exit",
    " !",
  ]);
  return ["bfd", ...blocks, "exit", "!"];
}
