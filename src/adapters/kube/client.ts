// The one place that knows how to reach the Kubernetes API: kubeconfig loading and our API's names.
import { KubeConfig } from "@kubernetes/client-node";

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

/**
 * A kubeconfig file when given (tests, running outside the cluster), else the usual order:
 * $KUBECONFIG, ~/.kube/config, then the in-cluster service account.
 */
export function loadKubeConfig(path?: string): KubeConfig {
  const config = new KubeConfig();
  if (path !== undefined) config.loadFromFile(path);
  else config.loadFromDefault();
  return config;
}
