// Plain shapes of the Kubernetes objects the agent reads and writes, as they travel in JSON.
// (client-node's model classes are for its typed APIs; watch events and our stores are plain JSON.)

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: unknown[];
  ownerReferences?: OwnerReference[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export interface KubeList<T> {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: T[];
}

export interface NodeObject extends KubeObject {
  status?: { addresses?: { type: string; address: string }[] };
}

export interface SecretData extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}
