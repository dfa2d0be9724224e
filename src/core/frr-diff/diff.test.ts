import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { flattenConfig, parseFrrConfig } from "./parse.ts";
import { commandsText, planApply, planSize, type RunningViews } from "./plan.ts";

const views = (bgpd: string, rest = ""): RunningViews => ({ bgpd, zebra: rest, staticd: "", bfdd: "" });

/** The commands of a plan as one vtysh file per batch, "TARGET:" first. */
function planText(desired: string, running: RunningViews): string {
  return planApply(desired, running)
    .batches.map((b) => `${b.target}:\n${b.text}`)
    .join("");
}

const base = `ip prefix-list pl seq 1 permit 10.0.0.0/24
route-map n1-out permit 1
 match ip address prefix-list pl
exit
router bgp 64512
 no bgp ebgp-requires-policy
 no bgp default ipv4-unicast
 neighbor 192.0.2.1 remote-as 64513
 neighbor 192.0.2.1 timers 10 30
 neighbor 192.0.2.2 remote-as 64514
 address-family ipv4 unicast
  network 10.0.0.0/24
  neighbor 192.0.2.1 activate
  neighbor 192.0.2.1 route-map n1-out out
  neighbor 192.0.2.2 activate
 exit-address-family
exit
`;

describe("parseFrrConfig", () => {
  test("reads running-config style and unindented raw config alike", () => {
    const indented = parseFrrConfig(base);
    const flat = parseFrrConfig(base.replace(/^ +/gm, "").replace(/^exit.*\n/gm, ""));
    assert.deepEqual(flattenConfig(flat), flattenConfig(indented));
    assert.ok(
      flattenConfig(indented).includes(
        "router bgp 64512 / address-family ipv4 unicast / network 10.0.0.0/24",
      ),
    );
  });

  test("a top-level command ends a policy or router block; repeated headers merge", () => {
    const tree = parseFrrConfig(
      "route-map a permit 1\n set metric 5\nip prefix-list x seq 1 permit 10.0.0.0/8\nrouter bgp 1\n neighbor a remote-as 2\nrouter bgp 1\n address-family ipv4 unicast\n  import vrf red\n",
    );
    assert.deepEqual(tree.lines, ["ip prefix-list x seq 1 permit 10.0.0.0/8"]);
    assert.equal(tree.blocks.length, 2);
    assert.deepEqual(tree.blocks[1]?.blocks[0]?.lines, ["import vrf red"]);
  });

  test("ip lines inside interface and vrf blocks stay there", () => {
    const tree = parseFrrConfig(
      "vrf red\n ip route 10.0.0.0/8 blackhole\nexit-vrf\ninterface eth0\n ip address 10.1.1.1/24\nexit\n",
    );
    assert.deepEqual(tree.lines, []);
    assert.deepEqual(
      tree.blocks.map((b) => b.lines),
      [["ip route 10.0.0.0/8 blackhole"], ["ip address 10.1.1.1/24"]],
    );
  });
});

describe("planApply", () => {
  test("no change: no batch at all; environment lines and hidden defaults are not changes", () => {
    const desired = `hostname other\nfrr defaults traditional\n${base}bfd\n profile p\n  detect-multiplier 3\n  transmit-interval 200\n exit\nexit\n`;
    const running = views(
      base,
      "hostname vm\nno ip forwarding\nbfd\n profile p\n  transmit-interval 200\n exit\nexit\n",
    );
    assert.equal(planSize(planApply(desired, running)), 0);
  });

  test("a new prefix: prefix-list entry before the network statement, only to bgpd", () => {
    const desired = base
      .replace(
        "seq 1 permit 10.0.0.0/24\n",
        "seq 1 permit 10.0.0.0/24\nip prefix-list pl seq 2 permit 10.1.0.0/24\n",
      )
      .replace("  network 10.0.0.0/24\n", "  network 10.0.0.0/24\n  network 10.1.0.0/24\n");
    assert.equal(
      planText(desired, views(base)),
      "bgpd:\nip prefix-list pl seq 2 permit 10.1.0.0/24\nrouter bgp 64512\n address-family ipv4 unicast\n  network 10.1.0.0/24\n exit-address-family\nexit\n",
    );
  });

  test("a removed neighbor is one `no neighbor`, its AF lines are not touched; unused policies go last", () => {
    const desired = base
      .replace(" neighbor 192.0.2.1 remote-as 64513\n neighbor 192.0.2.1 timers 10 30\n", "")
      .replace("  neighbor 192.0.2.1 activate\n  neighbor 192.0.2.1 route-map n1-out out\n", "")
      .replace(/route-map n1-out[^]*?exit\n/, "")
      .replace("ip prefix-list pl seq 1 permit 10.0.0.0/24\n", "");
    assert.equal(
      planText(desired, views(base)),
      "bgpd:\nrouter bgp 64512\n no neighbor 192.0.2.1\nexit\nno ip prefix-list pl\nno route-map n1-out\n",
    );
  });

  test("a changed value is replaced in place, without removing the old line", () => {
    const desired = base
      .replace("timers 10 30", "timers 20 60")
      .replace("remote-as 64514", "remote-as 64515");
    const plan = planApply(desired, views(base));
    assert.equal(
      commandsText(plan.batches.flatMap((b) => b.commands)),
      "router bgp 64512\n neighbor 192.0.2.1 timers 20 60\n neighbor 192.0.2.2 remote-as 64515\nexit\n",
    );
    assert.deepEqual(plan.resets, [{ vrf: "", neighbor: "192.0.2.2", reason: "neighbor remote-as" }]);
  });

  test("a flag and its `no` form replace each other", () => {
    const desired = base.replace(" no bgp ebgp-requires-policy\n", " bgp ebgp-requires-policy\n");
    assert.notEqual(desired, base);
    assert.equal(
      planText(desired, views(base)),
      "bgpd:\nrouter bgp 64512\n bgp ebgp-requires-policy\nexit\n",
    );
  });

  test("routers: VRF removed before the default router, default added before VRF, imports last", () => {
    const running = "router bgp 1\nexit\nrouter bgp 1 vrf red\nexit\n";
    const desired =
      "router bgp 2\n address-family ipv4 unicast\n  import vrf red\n exit-address-family\nexit\nrouter bgp 2 vrf red\nexit\n";
    assert.equal(
      planText(desired, views(running)),
      "bgpd:\nno router bgp 1 vrf red\nno router bgp 1\nrouter bgp 2\n address-family ipv4 unicast\n exit-address-family\nexit\nrouter bgp 2 vrf red\nexit\nrouter bgp 2\n address-family ipv4 unicast\n  import vrf red\n exit-address-family\nexit\n",
    );
  });

  test("lines FRR hides (default activate, automatic EVPN route targets, BFD defaults) are never a change", () => {
    const running =
      "router bgp 1\n neighbor a remote-as 2\n address-family ipv4 unicast\n  neighbor a activate\n exit-address-family\nexit\n";
    const desired =
      "router bgp 1\n neighbor a remote-as 2\n address-family l2vpn evpn\n  vni 10\n   route-target import 1:10\n  exit-vni\n exit-address-family\nexit\n";
    assert.equal(
      planText(desired, views(running)),
      "bgpd:\nrouter bgp 1\n address-family l2vpn evpn\n  vni 10\n  exit-vni\n exit-address-family\nexit\n",
    );
  });

  test("lines in FRR's spelling: ebgp-multihop gets its 255, `debug bgp updates` is both directions", () => {
    const running =
      "debug bgp updates in\ndebug bgp updates out\nrouter bgp 1\n neighbor a remote-as 2\n neighbor a ebgp-multihop 255\nexit\n";
    const desired =
      "debug bgp updates\nrouter bgp 1\n neighbor a remote-as 2\n neighbor a ebgp-multihop\nexit\n";
    assert.equal(planSize(planApply(desired, { bgpd: running, zebra: "", staticd: "", bfdd: "" })), 0);
  });

  test("list entries written without a sequence number get FRR's (5, 10, ... after the highest)", () => {
    const running =
      "ip prefix-list a seq 5 permit 10.0.0.0/8\nip prefix-list a seq 10 permit 11.0.0.0/8\nip prefix-list a seq 12 permit 12.0.0.0/8\nip prefix-list a seq 15 permit 13.0.0.0/8\nbgp community-list standard c seq 5 permit 1:1\n";
    const desired =
      "ip prefix-list a permit 10.0.0.0/8\nip prefix-list a permit 11.0.0.0/8\nip prefix-list a seq 12 permit 12.0.0.0/8\nip prefix-list a permit 13.0.0.0/8\nbgp community-list standard c permit 1:1\n";
    assert.equal(planSize(planApply(desired, views(running))), 0);
  });

  test("a VRF is never deleted, only its lines; its namespace line is the system's", () => {
    const running = "vrf red\n netns /run/netns/red\n vni 100\nexit-vrf\nvrf blue\n vni 200\nexit-vrf\n";
    assert.equal(
      planText("vrf blue\n vni 200\nexit-vrf\n", { bgpd: "", zebra: running, staticd: "", bfdd: "" }),
      "all:\nvrf red\n no vni 100\nexit-vrf\n",
    );
  });

  test("prefix-list entries shifting sequence numbers: old entries removed before new ones are added", () => {
    const running =
      "ip prefix-list l seq 1 permit 10.1.0.0/24\nip prefix-list l seq 2 permit 10.2.0.0/24\nip prefix-list l seq 3 permit 10.3.0.0/24\n";
    const desired = "ip prefix-list l seq 1 permit 10.2.0.0/24\nip prefix-list l seq 2 permit 10.3.0.0/24\n";
    assert.equal(
      planText(desired, views(running)),
      "bgpd:\nno ip prefix-list l seq 1 permit 10.1.0.0/24\nno ip prefix-list l seq 2 permit 10.2.0.0/24\nno ip prefix-list l seq 3 permit 10.3.0.0/24\nip prefix-list l seq 1 permit 10.2.0.0/24\nip prefix-list l seq 2 permit 10.3.0.0/24\n",
    );
  });

  test("route-maps are created before the prefix-lists they match, without `exit` (it makes bgpd commit)", () => {
    const desired =
      "ip prefix-list p seq 1 permit 10.0.0.0/8\nroute-map m permit 1\n match ip address prefix-list p\nexit\n";
    assert.equal(
      planText(desired, views("")),
      "bgpd:\nroute-map m permit 1\n match ip address prefix-list p\nip prefix-list p seq 1 permit 10.0.0.0/8\n",
    );
  });

  test("one entry of a route-map goes entry-wise; the last one removes the map", () => {
    const running = "route-map a permit 1\n set metric 1\nexit\nroute-map a permit 2\n set metric 2\nexit\n";
    assert.equal(
      planText("route-map a permit 1\n set metric 1\nexit\n", views(running)),
      "bgpd:\nno route-map a permit 2\n",
    );
    assert.equal(planText("", views(running)), "bgpd:\nno route-map a\n");
  });

  test("policy copies in zebra and bfdd are removed there; bfd and logging go to every daemon", () => {
    const running: RunningViews = {
      bgpd: "log stdout\n",
      staticd: "log stdout\n",
      zebra: "ip prefix-list x seq 1 permit 10.0.0.0/8\n",
      bfdd: "ip prefix-list x seq 1 permit 10.0.0.0/8\n",
    };
    assert.equal(
      planText("log stdout informational\nbfd\n profile p\n exit\nexit\n", running),
      "all:\nlog stdout informational\nbfd\n profile p\n exit\nexit\nzebra:\nno ip prefix-list x\nbfdd:\nno ip prefix-list x\n",
    );
  });
});
