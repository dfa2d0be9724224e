// Unit tests of the pure FRR-text helpers used by the FRR tests (no FRR needed).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  attributeEchoOutput,
  configItems,
  echoCommands,
  negate,
  readVtyshOutput,
  sameConfig,
  undoCommands,
} from "../support/frr-config.ts";

const BASELINE = `Building configuration...

Current configuration:
!
frr version 8.4.4
frr defaults traditional
hostname vm
no ip forwarding
no ipv6 forwarding
service integrated-vtysh-config
!
end
`;

const LOADED = `Building configuration...

Current configuration:
!
frr version 8.4.4
frr defaults traditional
hostname vm
log stdout informational
ip forwarding
no ipv6 forwarding
service integrated-vtysh-config
!
vrf red
 vni 100
exit-vrf
!
router bgp 64512
 neighbor 192.0.2.1 remote-as 64513
 !
 address-family ipv4 unicast
  neighbor 192.0.2.1 activate
 exit-address-family
exit
!
router bgp 64512 vrf red
exit
!
ip prefix-list p seq 1 deny any
ip prefix-list p seq 2 deny any
!
route-map m permit 1
exit
!
route-map m permit 2
exit
!
bfd
 profile fast
 exit
 !
exit
!
end
`;

test("readVtyshOutput: numbered errors carry their file line, other output is a problem too", () => {
  const file = "router bgp 1\n neighbor 1.2.3.4 bogus\nexit\n";
  const out = readVtyshOutput(
    "line 2: % Unknown command[25]:  neighbor 1.2.3.4 bogus\nThis command is only supported under EVPN VRF\n\n",
    file,
  );
  assert.deepEqual(out.problems, [
    { line: 2, source: " neighbor 1.2.3.4 bogus", message: "% Unknown command[25]:  neighbor 1.2.3.4 bogus" },
    { message: "This command is only supported under EVPN VRF" },
  ]);
  assert.deepEqual(out.notices, []);
});

test("readVtyshOutput: known notices are not problems", () => {
  const out = readVtyshOutput("Graceful restart configuration changed, reset this peer to take effect\n");
  assert.deepEqual(out, {
    problems: [],
    notices: ["Graceful restart configuration changed, reset this peer to take effect"],
  });
});

test("readVtyshOutput: a route-map referenced before its definition is a notice, an undefined one a problem", () => {
  const defined = "router bgp 1\n neighbor 1.2.3.4 route-map a in\nexit\nroute-map a permit 1\nexit\n";
  assert.equal(readVtyshOutput("The route-map 'a' does not exist.", defined).problems.length, 0);
  assert.equal(readVtyshOutput("The route-map 'b' does not exist.", defined).problems.length, 1);
});

test("configItems: blocks keep their body, terminators and boilerplate are dropped", () => {
  const headers = configItems(LOADED).map((i) => i.header);
  assert.deepEqual(headers, [
    "frr defaults traditional",
    "hostname vm",
    "log stdout informational",
    "ip forwarding",
    "no ipv6 forwarding",
    "service integrated-vtysh-config",
    "vrf red",
    "router bgp 64512",
    "router bgp 64512 vrf red",
    "ip prefix-list p seq 1 deny any",
    "ip prefix-list p seq 2 deny any",
    "route-map m permit 1",
    "route-map m permit 2",
    "bfd",
  ]);
  assert.equal(configItems(LOADED)[6]?.text, "vrf red\n vni 100\nexit-vrf");
});

test("undoCommands: VRF instances before the default one, VRFs last, baseline lines restored", () => {
  assert.deepEqual(undoCommands(LOADED, BASELINE), [
    "no router bgp 64512 vrf red",
    "no router bgp 64512",
    "no log stdout informational",
    "no ip forwarding",
    "no ip prefix-list p",
    "no route-map m",
    "no bfd",
    "no vrf red",
    "no ip forwarding",
  ]);
  assert.deepEqual(undoCommands(BASELINE, BASELINE), []);
});

test("negate and sameConfig", () => {
  assert.equal(negate("no ip forwarding"), "ip forwarding");
  assert.equal(negate("bfd"), "no bfd");
  assert.ok(sameConfig(BASELINE, BASELINE.replace("Building configuration...\n", "")));
  assert.ok(!sameConfig(BASELINE, LOADED));
});

test("attributeEchoOutput: messages belong to the last echoed command", () => {
  const commands = echoCommands("router bgp 64512\n\n address-family l2vpn evpn\n  vni 1\n   rd 1:1\n");
  assert.deepEqual(
    commands.map((c) => c.line),
    [1, 3, 4, 5],
  );
  const output = [
    "vm# configure",
    "vm(config)# router bgp 64512",
    "vm(config-router)#  address-family l2vpn evpn",
    "vm(config-router-af)#   vni 1",
    "vm(config-router-af-vni)#    rd 1:1",
    "This command is only supported under EVPN VRF",
  ].join("\n");
  assert.deepEqual(attributeEchoOutput(output, commands), [
    { line: 5, source: "   rd 1:1", message: "This command is only supported under EVPN VRF" },
  ]);
});
