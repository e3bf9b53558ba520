import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { call, postJson } from '../helpers/http';
import { waitFor } from '../helpers/wait';
import { finished, getJob, readEvents, startSwap, waitForJob, MODELS_ON_DISK } from './swap-client';

// Swaps run real SSH sessions against the emulated cluster; a loaded CI machine needs slack.
jest.setTimeout(60_000);

describe('swap failures: stop cleanly, say so, roll back when asked', () => {
  let gw: TestGateway;

  beforeEach(async () => {
    gw = await startTestGateway({ cluster: { loadDelayMs: 300, modelsOnDisk: MODELS_ON_DISK } });
  });

  afterEach(async () => {
    await gw.close();
  });

  it('reports an engine failure during the load, stops every node, and rolls back on request', async () => {
    gw.cluster.launcher.failNextLoad = true;
    const accepted = await startSwap(gw.baseUrl, { model: 'other-model', rollback_on_failure: false });
    const { events } = await readEvents(gw.baseUrl, accepted.job_id);
    const job = await getJob(gw.baseUrl, accepted.job_id);
    expect(job.state).toBe('failed');
    expect(job.failure).toMatchObject({
      phase: 'follow_logs',
      code: 'engine_failed',
      cluster_state: 'stopped',
    });
    expect(job.failure!.message).toMatch(/vLLM could not start other-model: the vLLM engine failed to start/);
    expect(job.failure!.message).toMatch(/no model is loaded/);
    expect(job.log_tail.some((line) => line.includes('Engine core initialization failed'))).toBe(true);
    expect(job.rollback).toEqual({ available: true, to_model: 'test-model', job_id: null });
    expect(events.at(-1)).toMatchObject({ type: 'failed', failure: { code: 'engine_failed' } });
    // Nothing is left running on any node.
    expect(gw.cluster.docker.list('spark1').filter((c) => c.spec.name === 'vllm_node')).toHaveLength(0);
    expect(gw.cluster.vllm.state).toBe('idle');

    const rollback = await call(gw.baseUrl, `/api/swap/${accepted.job_id}/rollback`, { method: 'POST' });
    expect(rollback.status).toBe(202);
    const rollbackJob = rollback.json as { job_id: string; kind: string; model: string };
    expect(rollbackJob).toMatchObject({ kind: 'rollback', model: 'test-model' });
    const done = await waitForJob(gw.baseUrl, rollbackJob.job_id, finished, 'rollback');
    expect(done).toMatchObject({ state: 'succeeded', kind: 'rollback', rollback_of: accepted.job_id });
    expect(gw.cluster.vllm.servedNames()).toContain('test-model');

    const original = await getJob(gw.baseUrl, accepted.job_id);
    expect(original.rollback).toEqual({
      available: true,
      to_model: 'test-model',
      job_id: rollbackJob.job_id,
    });
    const again = await call(gw.baseUrl, `/api/swap/${accepted.job_id}/rollback`, { method: 'POST' });
    expect(again.status).toBe(409);
    const notFailed = await call(gw.baseUrl, `/api/swap/${rollbackJob.job_id}/rollback`, { method: 'POST' });
    expect(notFailed.status).toBe(409);
  });

  it('rolls back by itself when auto_rollback is set, once, never retrying the failed model', async () => {
    const settings = await call(gw.baseUrl, '/api/settings', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auto_rollback: true }),
    });
    expect(settings.status).toBe(200);
    gw.cluster.launcher.failNextLoad = true;
    const accepted = await startSwap(gw.baseUrl, { model: 'other-model' });
    const failed = await waitForJob(
      gw.baseUrl,
      accepted.job_id,
      (j) => j.rollback?.job_id != null,
      'automatic rollback',
    );
    expect(failed.rollback_on_failure).toBe(true);
    const rollback = await waitForJob(gw.baseUrl, failed.rollback!.job_id!, finished, 'rollback to finish');
    expect(rollback.state).toBe('succeeded');
    expect(gw.cluster.launcher.launches.map((l) => l.spec.servedName)).toEqual(['other-model', 'test-model']);
    const history = await call(gw.baseUrl, '/api/swap');
    expect((history.json as { swaps: unknown[] }).swaps).toHaveLength(2);
  });

  it('times out a load that takes too long, stops the cluster and keeps the last log lines', async () => {
    gw.gateway.context.swaps!.tuning.loadTimeoutMs = 400;
    gw.cluster.launcher.loadDelayMs = 5_000;
    const accepted = await startSwap(gw.baseUrl, { model: 'other-model' });
    const job = await waitForJob(gw.baseUrl, accepted.job_id, finished, 'timeout');
    expect(job.failure).toMatchObject({
      phase: 'follow_logs',
      code: 'load_timeout',
      cluster_state: 'stopped',
    });
    expect(job.failure!.message).toMatch(/did not finish loading within/);
    expect(job.log_tail.length).toBeGreaterThan(0);
    expect(gw.cluster.vllm.state).toBe('idle');
    expect(gw.cluster.docker.list('spark1').some((c) => c.spec.name === 'vllm_node')).toBe(false);
  });

  it('posts a signed webhook on completion and on failure', async () => {
    const received: { body: string; signature: string | undefined }[] = [];
    const hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ body, signature: req.headers['x-spark-signature'] as string | undefined });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    try {
      const patch = await call(gw.baseUrl, '/api/settings', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ swap_webhook_url: url, swap_webhook_secret: 'whsec_test' }),
      });
      expect(patch.status).toBe(200);
      expect(patch.json).toMatchObject({
        secrets_set: { swap_webhook_secret: true },
        sources: { swap_webhook_url: 'settings' },
      });
      expect(JSON.stringify(patch.json)).not.toContain('whsec_test');

      const ok = await startSwap(gw.baseUrl, { model: 'other-model' });
      await waitForJob(gw.baseUrl, ok.job_id, finished, 'swap');
      gw.cluster.launcher.failNextLoad = true;
      const bad = await startSwap(gw.baseUrl, { model: 'test-model', rollback_on_failure: false });
      await waitForJob(gw.baseUrl, bad.job_id, finished, 'failing swap');
      await waitFor(() => received.length === 2, 'two webhooks');
      const [complete, failed] = received.map((r) => ({
        ...r,
        json: JSON.parse(r.body) as Record<string, unknown>,
      }));
      expect(complete!.json).toMatchObject({
        event: 'swap_complete',
        job_id: ok.job_id,
        model: 'other-model',
      });
      expect(failed!.json).toMatchObject({ event: 'swap_failed', job_id: bad.job_id });
      for (const hookCall of [complete!, failed!]) {
        const expected = `sha256=${createHmac('sha256', 'whsec_test').update(hookCall.body).digest('hex')}`;
        expect(hookCall.signature).toBe(expected);
      }
    } finally {
      await new Promise<void>((resolve) => hook.close(() => resolve()));
    }
  });

  it('answers LLM requests during a swap with 503 and Retry-After, and serves again after it', async () => {
    gw.cluster.launcher.loadDelayMs = 1_000;
    const accepted = await startSwap(gw.baseUrl, { model: 'other-model' });
    await waitForJob(gw.baseUrl, accepted.job_id, (j) => j.phase === 'follow_logs', 'loading');
    const during = await postJson(gw.baseUrl, '/v1/chat/completions', {
      model: 'other',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(during.status).toBe(503);
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(during.json).toMatchObject({ error: { code: 'model_swapping', type: 'server_error' } });
    await waitForJob(gw.baseUrl, accepted.job_id, finished, 'swap');
    const after = await postJson(gw.baseUrl, '/v1/chat/completions', {
      model: 'other',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 1,
    });
    expect(after.status).toBe(200);
  });

  it('lets an in-flight request finish before stopping the model (drain)', async () => {
    gw.cluster.vllm.tokenIntervalMs = 40;
    const inflight = postJson(gw.baseUrl, '/v1/chat/completions', {
      model: 'test-model',
      messages: [{ role: 'user', content: 'a long answer please' }],
      max_tokens: 10,
    });
    await waitFor(() => gw.gateway.context.swaps!.gate.requestsInFlight === 1, 'request in flight');
    const accepted = await startSwap(gw.baseUrl, { model: 'other-model' });
    const answer = await inflight;
    expect(answer.status).toBe(200);
    const job = await waitForJob(gw.baseUrl, accepted.job_id, finished, 'swap');
    expect(job.state).toBe('succeeded');
    expect(job.phases.find((p) => p.name === 'drain')!.detail).toBe('1 request finished.');
  });

  it('holds LLM requests during a swap when LLM_SWAP_HOLD_S is set', async () => {
    await call(gw.baseUrl, '/api/settings', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ LLM_SWAP_HOLD_S: 30 }),
    });
    gw.cluster.launcher.loadDelayMs = 600;
    const accepted = await startSwap(gw.baseUrl, { model: 'other-model' });
    await waitForJob(gw.baseUrl, accepted.job_id, (j) => j.phase === 'follow_logs', 'loading');
    const held = await postJson(gw.baseUrl, '/v1/chat/completions', {
      model: 'other',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 1,
    });
    expect(held.status).toBe(200);
    expect((await getJob(gw.baseUrl, accepted.job_id)).state).toBe('succeeded');
  });
});
