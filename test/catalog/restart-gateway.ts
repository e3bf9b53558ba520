import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/observability/logger';
import type { TestGateway } from '../helpers/gateway';
import { guardGateway, releaseGateway } from '../helpers/response-guard';

/**
 * Stops a test gateway and starts a new one on the same configuration, data directory and emulated
 * cluster, as a restart of the service would: the nodes (and their pinned host keys) stay the same.
 */
export async function restartGateway(old: TestGateway): Promise<TestGateway> {
  releaseGateway(old.baseUrl);
  old.server.closeAllConnections();
  await new Promise<void>((resolve) => old.server.close(() => resolve()));
  await old.gateway.close();

  const config = old.gateway.context.config;
  const gateway = await createApp({ config, logger: createLogger(config.logLevel) });
  for (const host of Object.values(old.cluster.sshHosts)) host.authorize(gateway.context.ssh.key.publicKey);
  const server = http.createServer(gateway.listener).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  guardGateway(baseUrl);
  return {
    ...old,
    baseUrl,
    gateway,
    server,
    close: async () => {
      releaseGateway(baseUrl);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
      await old.cluster.stop();
    },
  };
}
