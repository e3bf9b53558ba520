import fs from 'node:fs';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp, type GatewayApp } from '../../src/app';
import { useEmulatedCluster } from '../../src/config/emulated';
import { loadConfig } from '../../src/config/load-config';
import type { EmulatedCluster } from '../../src/emulator';
import { createLogger } from '../../src/observability/logger';
import { startTestGateway, TEST_MODELS_YAML, type TestGateway } from '../helpers/gateway';
import { guardGateway, releaseGateway } from '../helpers/response-guard';
import { finished, startSwap, waitForJob, MODELS_ON_DISK } from './swap-client';

/** A gateway on an existing emulated cluster and data directory (a restart of the service). */
async function gatewayOn(cluster: EmulatedCluster, dataDir: string) {
  const config = useEmulatedCluster(
    loadConfig({
      DATA_DIR: dataDir,
      MODELS_YAML: TEST_MODELS_YAML,
      STRICT_RESPONSES: '1',
      LOG_LEVEL: 'silent',
    }),
    cluster,
  );
  const gateway = await createApp({ config, logger: createLogger(config.logLevel) });
  for (const host of Object.values(cluster.sshHosts)) host.authorize(gateway.context.ssh.key.publicKey);
  const server = http.createServer(gateway.listener).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  guardGateway(baseUrl);
  return { baseUrl, gateway, server };
}

/** Stops a gateway (server and app) but leaves the cluster and the data directory alone. */
async function stopGateway(baseUrl: string, server: Server, gateway: GatewayApp): Promise<void> {
  releaseGateway(baseUrl);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await gateway.close();
}

// Swaps run real SSH sessions against the emulated cluster; a loaded CI machine needs slack.
jest.setTimeout(60_000);

describe('a swap survives what happens around it', () => {
  it('keeps loading when the SSH connection drops mid-load, and the job still finishes', async () => {
    const gw = await startTestGateway({ cluster: { loadDelayMs: 1_500, modelsOnDisk: MODELS_ON_DISK } });
    try {
      const accepted = await startSwap(gw.baseUrl, { model: 'other-model' });
      await waitForJob(
        gw.baseUrl,
        accepted.job_id,
        (j) => j.phase === 'follow_logs' && j.log_tail.length > 3,
        'loading',
      );
      // Every SSH connection to the head node is cut (the host comes back on the same port).
      await gw.cluster.sshHosts.spark1.stop();
      expect(gw.cluster.vllm.state).toBe('loading');
      await gw.cluster.sshHosts.spark1.start();
      const job = await waitForJob(gw.baseUrl, accepted.job_id, finished, 'swap after the drop');
      expect(job.state).toBe('succeeded');
      expect(gw.cluster.vllm.servedNames()).toContain('other-model');
      expect(gw.cluster.launcher.launches).toHaveLength(1);
    } finally {
      await gw.close();
    }
  });

  describe('gateway restarted mid-swap', () => {
    let gw: TestGateway;
    let dataDir: string;

    beforeEach(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-control-swap-restart-'));
      gw = await startTestGateway({
        cluster: { loadDelayMs: 4_000, modelsOnDisk: MODELS_ON_DISK },
        env: { DATA_DIR: dataDir },
      });
    });

    afterEach(async () => {
      await gw.cluster.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('picks the load up again and finishes the job truthfully', async () => {
      const accepted = await startSwap(gw.baseUrl, { model: 'other-model' });
      await waitForJob(gw.baseUrl, accepted.job_id, (j) => j.phase === 'follow_logs', 'loading');
      await stopGateway(gw.baseUrl, gw.server, gw.gateway);
      expect(gw.cluster.vllm.state).toBe('loading');

      const second = await gatewayOn(gw.cluster, dataDir);
      try {
        const job = await waitForJob(second.baseUrl, accepted.job_id, finished, 'reconciled swap');
        expect(job.state).toBe('succeeded');
        expect(job.result).toMatchObject({ served_model_name: 'other-model' });
        expect(job.phases.map((p) => p.state)).toEqual(Array(10).fill('done'));
        expect(gw.cluster.launcher.launches).toHaveLength(1);
      } finally {
        await stopGateway(second.baseUrl, second.server, second.gateway);
      }
    });

    it('fails the job when the container is gone after the restart, saying what the cluster runs', async () => {
      const accepted = await startSwap(gw.baseUrl, { model: 'other-model' });
      await waitForJob(gw.baseUrl, accepted.job_id, (j) => j.phase === 'follow_logs', 'loading');
      await stopGateway(gw.baseUrl, gw.server, gw.gateway);
      await gw.cluster.docker.remove('vllm_node', 'spark1');

      const second = await gatewayOn(gw.cluster, dataDir);
      try {
        const job = await waitForJob(second.baseUrl, accepted.job_id, finished, 'reconciled swap');
        expect(job.state).toBe('failed');
        expect(job.failure).toMatchObject({ code: 'gateway_restarted', cluster_state: 'stopped' });
        expect(job.failure!.message).toMatch(/vLLM container is no longer running/);
        expect(job.rollback).toMatchObject({ available: true, to_model: 'test-model' });
      } finally {
        await stopGateway(second.baseUrl, second.server, second.gateway);
      }
    });
  });
});
