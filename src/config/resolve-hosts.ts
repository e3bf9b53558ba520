import dns from 'node:dns';
import net from 'node:net';
import type { GatewayConfig } from './config';
import { ConfigError } from './errors';

export type LookupIPv4 = (host: string) => Promise<string>;

const systemLookup: LookupIPv4 = async (host) => (await dns.promises.lookup(host, { family: 4 })).address;

/**
 * Replaces every `.local` (mDNS) host of the nodes and services by its IPv4 address, once, at start.
 * mDNS lookups can take seconds and fail intermittently; done per request inside the HTTP clients they
 * turned into phantom outages, so the clients only ever see addresses. Other names are left to the
 * system resolver as configured.
 */
export async function resolveMdnsHosts(
  config: GatewayConfig,
  lookup: LookupIPv4 = systemLookup,
): Promise<GatewayConfig> {
  const names = new Set<string>();
  for (const node of config.nodes) if (isMdns(node.host)) names.add(node.host);
  for (const service of Object.values(config.services)) if (isMdns(service.host)) names.add(service.host);
  if (names.size === 0) return config;

  const addresses = new Map<string, string>();
  const problems: string[] = [];
  await Promise.all(
    [...names].map(async (name) => {
      try {
        addresses.set(name, await lookup(name));
      } catch (error) {
        problems.push(
          `${name} does not resolve to an IPv4 address (${(error as Error).message}); configure the node's IPv4 address instead`,
        );
      }
    }),
  );
  if (problems.length > 0) throw new ConfigError(problems.sort());

  const address = (host: string) => addresses.get(host) ?? host;
  const services = { ...config.services };
  for (const [name, service] of Object.entries(services)) {
    services[name as keyof typeof services] = { ...service, host: address(service.host) };
  }
  return {
    ...config,
    nodes: config.nodes.map((node) => ({ ...node, host: address(node.host) })),
    services,
  };
}

function isMdns(host: string): boolean {
  return net.isIP(host) === 0 && /\.local\.?$/i.test(host);
}
