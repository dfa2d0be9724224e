// Collects issues for one object; conversion code reports through it and carries on.
import type { Issue, IssueCode, ObjectRef, Severity } from "../issues.ts";
import type { Origin } from "../model.ts";

export interface Reporter {
  readonly object: ObjectRef;
  readonly issues: Issue[];
  error(code: IssueCode, path: string, message: string): void;
  warning(code: IssueCode, path: string, message: string): void;
  conflict(code: IssueCode, at: Origin, other: Origin, message: string): void;
  /** An error about a place in any object (post-merge rules). */
  errorAt(code: IssueCode, at: Origin, message: string): void;
}

export function createReporter(object: ObjectRef, issues: Issue[]): Reporter {
  const push = (severity: Severity, code: IssueCode, path: string, message: string): void => {
    issues.push({ code, severity, path, object, message });
  };
  return {
    object,
    issues,
    error: (code, path, message) => {
      push("error", code, path, message);
    },
    warning: (code, path, message) => {
      push("warning", code, path, message);
    },
    conflict: (code, at, other, message) => {
      issues.push({
        code,
        severity: "error",
        path: at.path,
        object: at.object,
        message,
        conflictsWith: other,
      });
    },
    errorAt: (code, at, message) => {
      issues.push({ code, severity: "error", path: at.path, object: at.object, message });
    },
  };
}

export function describeObject(object: ObjectRef): string {
  return object.namespace
    ? `${object.kind} ${object.namespace}/${object.name}`
    : `${object.kind} ${object.name}`;
}
