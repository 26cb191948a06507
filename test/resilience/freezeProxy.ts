/**
 * A TCP proxy in front of Redis or PostgreSQL that can freeze: it keeps accepting connections
 * but forwards nothing either way, like a server that hangs or a network that blackholes
 * packets. Nothing is dropped: on `thaw` held bytes flow on in order, as TCP retransmission
 * would deliver them, so the client sees a slow dependency come back rather than corruption.
 */
import net, { type AddressInfo } from 'node:net';

export interface FreezeProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  in(url: string): string;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

interface Link {
  client: net.Socket;
  upstream?: net.Socket;
  toUpstream: Buffer[];
  toClient: Buffer[];
}

export async function startFreezeProxy(target: string): Promise<FreezeProxy> {
  const { hostname, port } = new URL(target);
  let frozen = false;
  const links = new Set<Link>();
  const open = (link: Link) => {
    const upstream = net.connect(Number(port), hostname);
    link.upstream = upstream;
    upstream.on('data', (d: Buffer) => (frozen ? link.toClient.push(d) : link.client.write(d)));
    upstream.on('close', () => link.client.destroy());
    upstream.on('error', () => link.client.destroy());
    for (const d of link.toUpstream.splice(0)) upstream.write(d);
  };
  const server = net.createServer((client) => {
    const link: Link = { client, toUpstream: [], toClient: [] };
    links.add(link);
    client.on('data', (d: Buffer) => (frozen || !link.upstream ? link.toUpstream.push(d) : link.upstream.write(d)));
    client.on('close', () => {
      links.delete(link);
      link.upstream?.destroy();
    });
    client.on('error', () => undefined);
    if (!frozen) open(link);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const proxyPort = (server.address() as AddressInfo).port;
  return {
    port: proxyPort,
    in(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(proxyPort);
      return u.toString();
    },
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const link of links) {
        if (!link.upstream) open(link);
        else for (const d of link.toUpstream.splice(0)) link.upstream.write(d);
        for (const d of link.toClient.splice(0)) link.client.write(d);
      }
    },
    close: () =>
      new Promise<void>((r) => {
        for (const link of links) {
          link.client.destroy();
          link.upstream?.destroy();
        }
        server.close(() => r());
      }),
  };
}
