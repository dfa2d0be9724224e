// Our API's names (no client-node import: the agent's module graph loads this, not client.ts).
export const FRRK8S_GROUP = "frrk8s.metallb.io";
export const FRRK8S_VERSION = "v1beta1";
export const FRRK8S_API_VERSION = `${FRRK8S_GROUP}/${FRRK8S_VERSION}`;

/** Plural resource names of our CRDs (the URL path segment). */
export const PLURAL = {
  frrConfiguration: "frrconfigurations",
  frrNodeState: "frrnodestates",
  bgpSessionState: "bgpsessionstates",
  frrK8sConfiguration: "frrk8sconfigurations",
} as const;
