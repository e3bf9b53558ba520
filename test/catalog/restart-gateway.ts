import { createApp } from '../../src/app';
import { createLogger } from '../../src/observability/logger';
import { serveOnLoopback, type TestGateway } from '../helpers/gateway';
import { releaseGateway } from '../helpers/response-guard';

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
  const served = await serveOnLoopback(gateway);
  return {
    ...old,
    ...served,
    close: async () => {
      await served.stop();
      await old.cluster.stop();
    },
  };
}
