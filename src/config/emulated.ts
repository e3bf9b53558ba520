import type { GatewayConfig, ServiceName } from './config';
import { SERVICE_NAMES } from './config';

export interface EmulatedEndpoints {
  services: Record<ServiceName, { host: string; port: number }>;
  sshHosts: Record<string, { host: string; port: number; username: string }>;
}

/** Points the configuration at the embedded emulated cluster: its SSH hosts as nodes, its servers as services. */
export function useEmulatedCluster(config: GatewayConfig, cluster: EmulatedEndpoints): GatewayConfig {
  const nodes = Object.entries(cluster.sshHosts).map(([id, host]) => ({
    id,
    host: host.host,
    user: host.username,
    sshPort: host.port,
    roles: id === 'spark1' ? ['head', 'llm'] : ['speech', 'worker'],
  }));
  const services = { ...config.services };
  for (const name of SERVICE_NAMES) {
    const endpoint = cluster.services[name];
    services[name] = { ...services[name], host: endpoint.host, port: endpoint.port, disabled: false };
  }
  return { ...config, mode: 'emulated', nodes, services };
}
