// Plain JSON requests to the apiserver with the kubeconfig's credentials (raw JSON in and out,
// unlike client-node's typed APIs, whose list results are class instances with Dates).
import { request as httpRequest } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";
import type { KubeAccess } from "./access.ts";

export const MERGE_PATCH = "application/merge-patch+json";
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_ERROR_CHARS = 300;

export class ApiError extends Error {
  readonly statusCode: number;

  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

export interface JsonRequest {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  body?: unknown;
  contentType?: string;
}

/** The apiserver's message of a failed request (a Status object), or its start. */
function errorMessage(statusCode: number, text: string): string {
  try {
    const status = JSON.parse(text) as { message?: unknown };
    if (typeof status.message === "string") return status.message;
  } catch {
    // not JSON: the text itself
  }
  return `HTTP ${statusCode}: ${text.slice(0, MAX_ERROR_CHARS)}`;
}

export async function requestJson(
  kubeConfig: KubeAccess,
  path: string,
  req: JsonRequest = {},
): Promise<unknown> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined) throw new Error("the kubeconfig has no current cluster");
  const url = new URL(server + path);
  const body = req.body === undefined ? undefined : JSON.stringify(req.body);
  const options: RequestOptions = {
    method: req.method ?? "GET",
    headers: {
      Accept: "application/json",
      ...(body !== undefined && { "Content-Type": req.contentType ?? "application/json" }),
    },
  };
  await kubeConfig.applyToHTTPSOptions(options);
  const send = url.protocol === "http:" ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, options, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const code = response.statusCode ?? 0;
        if (code >= 200 && code < 300) resolve(text === "" ? undefined : JSON.parse(text));
        else reject(new ApiError(code, errorMessage(code, text)));
      });
    });
    request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error("request timed out")));
    request.on("error", reject);
    request.end(body);
  });
}
