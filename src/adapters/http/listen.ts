// Binding and closing the agent's and the webhook's HTTP(S) servers the same way.
import type { AddressInfo, Server } from "node:net";

export interface BoundAddress {
  host: string;
  port: number;
  /** The host as it goes into a URL (IPv6 in brackets). */
  urlHost: string;
}

/** Listen on host:port; rejects when the address cannot be bound (EADDRINUSE, EACCES, ...). */
export function listenOn(server: Server, host: string, port: number): Promise<BoundAddress> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      reject(err);
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const address = server.address() as AddressInfo;
      const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      resolve({ host: address.address, port: address.port, urlHost });
    });
  });
}
