// The e2e tier's network: N Kubernetes "nodes" (each a network namespace running FRR) and one
// external router (an FRR peer in its own namespace) with a link to every node, as a top-of-rack
// router would have. Node i is 192.168.<60+i>.2 on its link, the router .1 on the same link.
//
//     node-0  n-rtr ─── r-n0 ┐
//     node-1  n-rtr ─── r-n1 ┴ rtr (FRR, AS routerAsn, announces `announce`)
import { startFrr, type FrrInstance } from "../frr-daemons.ts";
import { createNamespace, uniqueNamespaceName, type Namespace } from "../netns.ts";
import { startFrrPeer, type FrrPeer } from "../lab/peer-frr.ts";
import type { PeerNeighbor } from "../lab/peer.ts";
import { link } from "../lab/topology-extra.ts";

export interface FabricNode {
  /** The Kubernetes node name (also the agent's --node). */
  readonly name: string;
  readonly ns: Namespace;
  readonly frr: FrrInstance;
  /** The node's address on its link to the router. */
  readonly ipv4: string;
  /** The router's address on that link (the node's BGP neighbor). */
  readonly routerIpv4: string;
}

export interface FabricSpec {
  nodeNames: readonly string[];
  nodeAsn: number;
  routerAsn: number;
  /** Prefixes the router announces to every node. */
  announce?: readonly string[];
  /** TCP-MD5 password of the router's sessions (the nodes get it from a Secret). */
  password?: string;
}

export interface Fabric {
  readonly nodes: readonly FabricNode[];
  readonly router: FrrPeer;
  node(name: string): FabricNode;
  destroy(): Promise<void>;
}

let fabricSeq = 0;

export async function buildFabric(spec: FabricSpec): Promise<Fabric> {
  const id = String(fabricSeq++);
  const namespaces: Namespace[] = [];
  const daemons: { stop(): Promise<void> }[] = [];
  const destroy = async (): Promise<void> => {
    await Promise.allSettled(daemons.splice(0).map((d) => d.stop()));
    await Promise.allSettled(namespaces.splice(0).map((n) => n.delete()));
  };
  try {
    const routerNs = await createNamespace(uniqueNamespaceName("frrk8s-e2e", `${id}-rtr`));
    namespaces.push(routerNs);
    const nodes: FabricNode[] = [];
    for (const [i, name] of spec.nodeNames.entries()) {
      const ns = await createNamespace(uniqueNamespaceName("frrk8s-e2e", `${id}-n${String(i)}`));
      namespaces.push(ns);
      const subnet = `192.168.${String(60 + i)}`;
      await link(
        { ns: ns.name, iface: "n-rtr", cidr: `${subnet}.2/24` },
        { ns: routerNs.name, iface: `r-n${String(i)}`, cidr: `${subnet}.1/24` },
      );
      const frr = await startFrr({ netns: ns.name });
      daemons.push(frr);
      nodes.push({ name, ns, frr, ipv4: `${subnet}.2`, routerIpv4: `${subnet}.1` });
    }
    const neighbors: PeerNeighbor[] = nodes.map((n) => ({
      address: n.ipv4,
      remoteAs: spec.nodeAsn,
      ...(spec.password !== undefined && { password: spec.password }),
    }));
    const router = await startFrrPeer({
      netns: routerNs.name,
      asn: spec.routerAsn,
      routerId: "192.168.60.1",
      neighbors,
      announce: spec.announce ?? [],
    });
    daemons.push(router);
    return {
      nodes,
      router,
      node: (name) => {
        const n = nodes.find((x) => x.name === name);
        if (n === undefined) throw new Error(`no fabric node ${name}`);
        return n;
      },
      destroy,
    };
  } catch (e) {
    await destroy();
    throw e;
  }
}
