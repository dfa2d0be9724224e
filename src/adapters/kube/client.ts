// The webhook's way to the Kubernetes API: client-node's full KubeConfig (its typed APIs need it).
// The agent uses access.ts instead, which never loads client-node's generated API (~80 MB RSS).
import { KubeConfig } from "@kubernetes/client-node";

export { FRRK8S_API_VERSION, FRRK8S_GROUP, FRRK8S_VERSION, PLURAL } from "./api.ts";

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
