import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { DEFAULT_SERVICES } from '../config/defaults';
import type { ServiceConfig, ServiceName } from '../config/config';
import { hostReachable, reachabilityPort } from './node-reachability';

describe('hostReachable', () => {
  it('counts an accepted and a refused connection as reachable', async () => {
    const server = net.createServer((socket) => socket.destroy()).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    expect(await hostReachable('127.0.0.1', port, 1_000)).toEqual({ reachable: true, detail: null });
    await new Promise((resolve) => server.close(resolve));
    expect(await hostReachable('127.0.0.1', port, 1_000)).toEqual({ reachable: true, detail: null });
  });

  it('counts a host that cannot be found as unreachable', async () => {
    // The .invalid top-level domain never resolves (RFC 2606).
    const result = await hostReachable('spark9.invalid', 22, 2_000);
    expect(result.reachable).toBe(false);
    expect(result.detail).toMatch(/^spark9\.invalid: /);
  });
});

describe('reachabilityPort', () => {
  const services = (overrides: Partial<Record<ServiceName, Partial<ServiceConfig>>>) =>
    Object.fromEntries(
      Object.entries(DEFAULT_SERVICES).map(([name, service]) => [
        name,
        { ...service, host: '10.0.0.2', disabled: false, ...overrides[name as ServiceName] },
      ]),
    ) as Record<ServiceName, ServiceConfig>;
  const node = { id: 'spark2', host: '10.0.0.2', user: 'spark', sshPort: 22, roles: [] };

  it("prefers a service port on the node's own address over SSH", () => {
    expect(reachabilityPort(node, services({}))).toBe(8000);
    expect(reachabilityPort(node, services({ parakeet: { disabled: true } }))).toBe(8880);
  });

  it('falls back to the SSH port', () => {
    expect(reachabilityPort({ ...node, id: 'spark3' }, services({}))).toBe(22);
  });
});
