// admission.k8s.io/v1 AdmissionReview: the request as the admission core sees it, and the
// response the apiserver expects (same apiVersion and kind, the request's uid echoed).
import type { AdmissionDecision, AdmissionRequestView } from "../../core/admission/admit.ts";

export const ADMISSION_API_VERSION = "admission.k8s.io/v1";

export interface ParsedReview {
  uid: string;
  request: AdmissionRequestView;
  /** The resource asked about, e.g. `frrk8s.metallb.io/v1beta1/frrconfigurations`. */
  resource: string;
}

export type ReviewParse = { ok: true; review: ParsedReview } | { ok: false; reason: string };

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Parses the body; never throws. */
export function parseReview(body: string): ReviewParse {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: "the body is not JSON" };
  }
  const review = record(json);
  if (review?.["apiVersion"] !== ADMISSION_API_VERSION || review["kind"] !== "AdmissionReview") {
    return { ok: false, reason: `an AdmissionReview of ${ADMISSION_API_VERSION} is expected` };
  }
  const request = record(review["request"]);
  const uid = text(request?.["uid"]);
  if (request === undefined || uid === "")
    return { ok: false, reason: "the AdmissionReview has no request uid" };
  const resource = record(request["resource"]) ?? {};
  return {
    ok: true,
    review: {
      uid,
      resource: [text(resource["group"]), text(resource["version"]), text(resource["resource"])].join("/"),
      request: {
        operation: text(request["operation"]),
        namespace: text(request["namespace"]),
        name: text(request["name"]),
        object: request["object"] ?? null,
        oldObject: request["oldObject"] ?? null,
      },
    },
  };
}

export interface AdmissionReviewResponse {
  apiVersion: string;
  kind: "AdmissionReview";
  response: {
    uid: string;
    allowed: boolean;
    status?: { code: number; message: string; reason?: string };
    warnings?: string[];
  };
}

/** Kubernetes caps each warning; longer ones would be truncated mid-word by the apiserver. */
const MAX_WARNING_LENGTH = 1024;

export function reviewResponse(uid: string, decision: AdmissionDecision): AdmissionReviewResponse {
  const warnings = decision.warnings.map((w) =>
    w.length > MAX_WARNING_LENGTH ? `${w.slice(0, MAX_WARNING_LENGTH - 3)}...` : w,
  );
  return {
    apiVersion: ADMISSION_API_VERSION,
    kind: "AdmissionReview",
    response: {
      uid,
      allowed: decision.allowed,
      ...(!decision.allowed && {
        status: {
          code: decision.code,
          message: decision.message,
          reason: decision.code === 400 ? "BadRequest" : "Forbidden",
        },
      }),
      ...(warnings.length > 0 && { warnings }),
    },
  };
}
