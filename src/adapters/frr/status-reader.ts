// FrrStatusReader over vtysh JSON (FRR 8.4) and the pure parsers of core/status:
//   sessions()  show bgp vrf all neighbors json      (one call: FRR 8.4 keys it by VRF name)
//   bfdPeers()  show bfd peers json + show bfd peers counters json   (all VRFs in one listing)
//   daemons()   show daemons
// A vtysh failure (daemon down, timeout) or an answer that is not JSON rejects: an empty list
// would read as "no sessions" and make a caller delete every BGPSessionState.
import { parseJsonText } from "../../core/status/json.ts";
import { bfdPeersFromJson } from "../../core/status/parse-bfd.ts";
import { bgpSessionsFromVrfAll } from "../../core/status/parse-bgp.ts";
import { parseDaemons } from "../../core/status/parse-daemons.ts";
import { redactPasswords } from "../../core/redact.ts";
import type { BfdPeerState, FrrStatusReader, SessionState } from "../../ports/frr.ts";
import { Vtysh, type FrrInstanceOptions } from "./vtysh.ts";

export interface StatusReaderOptions extends FrrInstanceOptions {
  /** Bound for each vtysh call. Default 30 s. */
  timeoutMs?: number;
}

export class VtyshStatusReader implements FrrStatusReader {
  private readonly vtysh: Vtysh;

  constructor(options: StatusReaderOptions = {}) {
    this.vtysh = new Vtysh(options, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  }

  async sessions(): Promise<SessionState[]> {
    return bgpSessionsFromVrfAll(await this.json("show bgp vrf all neighbors json"));
  }

  async bfdPeers(): Promise<BfdPeerState[]> {
    const peers = await this.json("show bfd peers json");
    const counters = await this.json("show bfd peers counters json");
    return bfdPeersFromJson(peers, counters);
  }

  async daemons(): Promise<string[]> {
    return parseDaemons(await this.vtysh.show("show daemons"));
  }

  private async json(command: string): Promise<unknown> {
    const text = await this.vtysh.show(command);
    const json = parseJsonText(text);
    if (json === undefined) {
      const firstLine = text.trim().split("\n")[0] ?? "";
      throw new Error(
        redactPasswords(`vtysh -c '${command}' did not answer JSON: ${firstLine.slice(0, 200)}`),
      );
    }
    return json;
  }
}
