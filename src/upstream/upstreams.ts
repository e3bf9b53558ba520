import { Agent, type Dispatcher } from 'undici';
import type { ServiceConfig, ServiceName } from '../config/config';

/**
 * One keep-alive connection pool per upstream service, with the service's explicit timeouts.
 * Upstreams are always addressed by IPv4 address or host name, never `localhost` (which Node may
 * resolve to ::1 first).
 */
export class Upstreams {
  private readonly services: Record<ServiceName, ServiceConfig>;
  private readonly agents = new Map<ServiceName, Agent>();

  constructor(services: Record<ServiceName, ServiceConfig>) {
    this.services = services;
  }

  service(name: ServiceName): ServiceConfig {
    return this.services[name];
  }

  /** `http://host:port` of a service, or null when it is not configured. */
  origin(name: ServiceName): string | null {
    const service = this.services[name];
    if (!service.host) return null;
    const host = service.host === 'localhost' ? '127.0.0.1' : service.host;
    return `http://${host}:${service.port}`;
  }

  dispatcher(name: ServiceName): Dispatcher {
    let agent = this.agents.get(name);
    if (!agent) {
      const service = this.services[name];
      agent = new Agent({
        connect: { timeout: service.connectTimeoutMs },
        headersTimeout: service.responseTimeoutMs,
        bodyTimeout: service.responseTimeoutMs,
        keepAliveTimeout: 30_000,
        connections: 256,
        pipelining: 1,
      });
      this.agents.set(name, agent);
    }
    return agent;
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.destroy()));
    this.agents.clear();
  }
}
