import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { loadConfig } from './config/load-config';
import { ConfigError } from './config/errors';
import { useEmulatedCluster } from './config/emulated';
import { resolveMdnsHosts } from './config/resolve-hosts';
import { loadCatalog } from './catalog/catalog';
import { startEmulatedCluster, type EmulatedCluster } from './emulator';
import { createLogger } from './observability/logger';

/** The served name and repo of the catalog's first model, so the emulated cluster serves something real to the catalog. */
function firstCatalogModel(modelsYaml: string) {
  const entry = loadCatalog(modelsYaml).entries[0];
  return entry ? { servedName: entry.servedModelName, root: entry.hfRepo ?? entry.id } : undefined;
}

async function main(): Promise<void> {
  let config = loadConfig();
  const logger = createLogger(config.logLevel);
  let cluster: EmulatedCluster | null = null;
  if (config.mode === 'emulated') {
    cluster = await startEmulatedCluster({
      initialModel: firstCatalogModel(config.modelsYaml),
      // Long enough for the owner to watch a swap's load progress, short enough for a demo.
      loadDelayMs: 8_000,
      modelTransferMs: 5_000,
      tokenIntervalMs: 20,
    });
    config = useEmulatedCluster(config, cluster);
    logger.warn(
      {
        services: Object.fromEntries(
          Object.entries(cluster.services).map(([name, s]) => [name, `${s.host}:${s.port}`]),
        ),
      },
      'no Spark nodes are configured: running against the embedded EMULATED cluster (set SPARK1_HOST/SPARK1_USER or CONFIG_FILE to use real nodes)',
    );
  }
  if (config.mode === 'cluster') config = await resolveMdnsHosts(config);
  const gateway = await createApp({ config, logger });
  // The emulated nodes trust the controller's key, as an operator's authorized_keys would.
  for (const host of Object.values(cluster?.sshHosts ?? {}))
    host.authorize(gateway.context.ssh.key.publicKey);
  const server: Server = http.createServer(gateway.listener).listen(config.bindPort, config.bindHost);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // Streams may legitimately run for the 30-minute LLM budget; the gateway's own timeouts are per upstream.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  logger.info(
    {
      port,
      host: config.bindHost,
      mode: config.mode,
      startupMs: Math.round(performance.now()),
    },
    `spark-control listening on http://${config.bindHost}:${port} (${config.mode === 'emulated' ? 'EMULATED cluster' : 'cluster'})`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    server.close();
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5_000).unref();
    await gateway.close();
    await cluster?.stop();
    process.exit(0);
  };
  // A rejection nobody awaited is a bug to see in the log, not a reason to drop every open stream.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('spark-control failed to start:', error);
  }
  process.exit(1);
});
