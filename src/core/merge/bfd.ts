// BFD profiles share one namespace per node: the same name must mean the same settings.
import type { BfdProfileModel } from "../model.ts";
import type { Reporter } from "../convert/reporter.ts";
import { describeObject } from "../convert/reporter.ts";

const KNOBS = [
  "receiveInterval",
  "transmitInterval",
  "detectMultiplier",
  "echoInterval",
  "echoMode",
  "passiveMode",
  "minimumTtl",
] as const;

/** echoMode/passiveMode unset means false, as in FRR. */
function knobValue(profile: BfdProfileModel, knob: (typeof KNOBS)[number]): unknown {
  const value = profile[knob];
  return (knob === "echoMode" || knob === "passiveMode") && value === undefined ? false : value;
}

export function mergeBfdProfiles(
  profiles: readonly BfdProfileModel[],
  reporter: Reporter,
): BfdProfileModel[] {
  const byName = new Map<string, BfdProfileModel>();
  for (const profile of profiles) {
    const kept = byName.get(profile.name);
    if (!kept) {
      byName.set(profile.name, profile);
      continue;
    }
    const differing = KNOBS.filter((knob) => knobValue(kept, knob) !== knobValue(profile, knob));
    if (differing.length > 0) {
      reporter.conflict(
        "BFD_PROFILE_CONFLICT",
        profile.origin,
        kept.origin,
        `bfd profile ${profile.name} is also defined in ${describeObject(kept.origin.object)} with different values (${differing.join(", ")})`,
      );
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
