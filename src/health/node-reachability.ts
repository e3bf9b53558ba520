import net from 'node:net';
import { SERVICE_NAMES, type NodeConfig, type ServiceConfig, type ServiceName } from '../config/config';

/**
 * The port a node's reachability is checked on: a service port on the node's own address when it has
 * one, else its SSH port. Sshd logs every connection that closes before authenticating, and a check
 * every second would fill the node's auth log; an HTTP server takes a bare connect silently.
 */
export function reachabilityPort(node: NodeConfig, services: Record<ServiceName, ServiceConfig>): number {
  const local = SERVICE_NAMES.map((name) => services[name]).find(
    (service) => service.node === node.id && service.host === node.host && !service.disabled,
  );
  return local?.port ?? node.sshPort;
}

/**
 * Whether the host answers on the TCP port: an accepted connection and a refused one (the host
 * itself sends the reset) both mean it is reachable; silence or "no route" means it is not.
 */
export function hostReachable(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<{ reachable: boolean; detail: string | null }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs, family: 4 });
    const done = (reachable: boolean, detail: string | null) => {
      socket.destroy();
      resolve({ reachable, detail });
    };
    socket.once('connect', () => done(true, null));
    socket.once('timeout', () => done(false, `no answer from ${host} within ${timeoutMs} ms`));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED'
        ? done(true, null)
        : done(false, `${host}: ${error.code ?? error.message}`),
    );
  });
}
