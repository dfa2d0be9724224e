// Which FRRConfigurations get a conversion-failure Event, and its text: one Event per object whose
// set of error issues changed since the last one emitted (not one per reconcile pass). Pure.
import type { Issue, ObjectRef } from "../../core/issues.ts";

/** core/v1 Events have no hard limit; keep them readable and small. */
export const MAX_MESSAGE_CHARS = 4000;

export interface ConversionEvent {
  object: ObjectRef;
  message: string;
}

const refKey = (ref: ObjectRef): string => `${ref.kind}\0${ref.namespace}\0${ref.name}`;

/** `spec.bgp.routers[0].asn: message` per error issue of each FRRConfiguration, sorted. */
export function errorLinesByObject(
  issues: readonly Issue[],
): Map<string, { object: ObjectRef; lines: string[] }> {
  const out = new Map<string, { object: ObjectRef; lines: string[] }>();
  for (const issue of issues) {
    if (issue.severity !== "error" || issue.object.kind !== "FRRConfiguration") continue;
    const key = refKey(issue.object);
    const entry = out.get(key) ?? { object: issue.object, lines: [] };
    entry.lines.push(issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`);
    out.set(key, entry);
  }
  for (const entry of out.values()) entry.lines = [...new Set(entry.lines)].sort();
  return out;
}

export function eventMessage(lines: readonly string[]): string {
  const head = `conversion failed (${lines.length} error${lines.length === 1 ? "" : "s"}): `;
  const text = head + lines.join("; ");
  return text.length <= MAX_MESSAGE_CHARS ? text : `${text.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
}

/** Remembers what was emitted; `next` returns the Events a new issue set calls for. */
export class ConversionEventTracker {
  #emitted = new Map<string, string>();

  next(issues: readonly Issue[]): ConversionEvent[] {
    const current = errorLinesByObject(issues);
    const events: ConversionEvent[] = [];
    const emitted = new Map<string, string>();
    for (const [key, { object, lines }] of current) {
      const message = eventMessage(lines);
      emitted.set(key, message);
      if (this.#emitted.get(key) !== message) events.push({ object, message });
    }
    this.#emitted = emitted;
    return events;
  }

  /** Forget an object's last Event (its write failed: the next pass tries again). */
  forget(object: ObjectRef): void {
    this.#emitted.delete(refKey(object));
  }
}
