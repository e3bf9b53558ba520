import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type GatewayApp } from '../../src/app';
import type { GatewayConfig } from '../../src/config/config';
import { useEmulatedCluster } from '../../src/config/emulated';
import { loadConfig } from '../../src/config/load-config';
import { startEmulatedCluster, type EmulatedCluster, type EmulatedClusterOptions } from '../../src/emulator';
import { createLogger, type Logger } from '../../src/observability/logger';
import { guardGateway, releaseGateway } from './response-guard';

export interface TestGateway {
  baseUrl: string;
  /** The gateway's data directory (a fresh temporary one unless `env.DATA_DIR` names one). */
  dataDir: string;
  gateway: GatewayApp;
  cluster: EmulatedCluster;
  server: Server;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  env?: Record<string, string>;
  cluster?: EmulatedClusterOptions;
  configure?: (config: GatewayConfig) => GatewayConfig;
  logger?: Logger;
}

export const TEST_MODELS_YAML = path.join(__dirname, '..', 'fixtures', 'models.yaml');

/**
 * A real gateway on a loopback port in front of a fresh emulated cluster, with strict response
 * checking: an in-process handler answering outside its contract fails the request with 500.
 */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const cluster = await startEmulatedCluster({
    initialModel: { servedName: 'test-model', root: 'org/test-model' },
    ...options.cluster,
  });
  const dataDir = options.env?.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'spark-control-test-'));
  let config = loadConfig({
    DATA_DIR: dataDir,
    MODELS_YAML: TEST_MODELS_YAML,
    STRICT_RESPONSES: '1',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  config = useEmulatedCluster(config, cluster);
  if (options.configure) config = options.configure(config);
  const gateway = await createApp({ config, logger: options.logger ?? createLogger(config.logLevel) });
  // The emulated nodes trust the controller's key, as an operator's authorized_keys would.
  for (const host of Object.values(cluster.sshHosts)) host.authorize(gateway.context.ssh.key.publicKey);
  const served = await serveOnLoopback(gateway);
  return {
    ...served,
    dataDir,
    cluster,
    close: async () => {
      await served.stop();
      await cluster.stop();
      if (!options.env?.DATA_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Serves a gateway on a free loopback port; `stop` releases it, closes the server and the gateway
 * (the emulated cluster is left to the caller).
 */
export async function serveOnLoopback(
  gateway: GatewayApp,
): Promise<{ baseUrl: string; gateway: GatewayApp; server: Server; stop: () => Promise<void> }> {
  const server = http.createServer(gateway.listener).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  guardGateway(baseUrl);
  return {
    baseUrl,
    gateway,
    server,
    stop: async () => {
      releaseGateway(baseUrl);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
    },
  };
}
