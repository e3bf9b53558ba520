import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { components } from '../../generated/control';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { restartGateway } from './restart-gateway';
import { call, postJson } from '../helpers/http';

type Menu = components['schemas']['CatalogMenu'];
type Job = components['schemas']['DownloadJob'];
type Deleted = components['schemas']['CatalogModelDeleted'];
type Suggestions = components['schemas']['CatalogSuggestions'];

async function menu(gateway: TestGateway): Promise<Menu> {
  const response = await call(gateway.baseUrl, '/api/models');
  expect(response.status).toBe(200);
  return response.json as Menu;
}

async function job(gateway: TestGateway, id: string): Promise<Job> {
  const response = await call(gateway.baseUrl, `/api/downloads/${id}`);
  expect(response.status).toBe(200);
  return response.json as Job;
}

/** Polls the job until `done` holds; every state seen is collected. */
async function followJob(gateway: TestGateway, id: string, done: (job: Job) => boolean, timeoutMs = 10_000) {
  const seen: Job[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await job(gateway, id);
    seen.push(current);
    if (done(current)) return seen;
    if (Date.now() > deadline) throw new Error(`job ${id} stayed ${current.state}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const startDownload = (gateway: TestGateway, model: string) =>
  call(gateway.baseUrl, `/api/models/${model}/download`, { method: 'POST' });

describe('weights on the nodes and downloads', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-weights-'));
  let gateway: TestGateway;
  const start = () =>
    startTestGateway({
      env: { DATA_DIR: dataDir },
      cluster: {
        modelsOnDisk: { spark1: ['org/test-model', 'org/pair-model'], spark2: ['org/someone-elses-7B'] },
        modelTransferMs: 1_200,
      },
    });
  beforeAll(async () => {
    gateway = await start();
  });
  afterAll(async () => {
    await gateway.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the menu shows, per node of each placement, whether the weights are there', async () => {
    const body = await menu(gateway);
    const byId = new Map(body.models.map((model) => [model.id, model]));
    expect(body.current).toBe('test-model');
    expect(body.checked_at).not.toBeNull();
    expect(byId.get('test-model')).toMatchObject({
      status: 'ready',
      loaded: true,
      weights: [{ node: 'spark1', present: true, size_gib: 7.5 }],
    });
    expect(byId.get('other-model')).toMatchObject({
      status: 'needs_download',
      loaded: false,
      weights: [{ node: 'spark1', present: false, size_gib: null }],
    });
    expect(byId.get('pair-model')).toMatchObject({
      status: 'needs_download',
      weights: [
        { node: 'spark1', present: true, size_gib: 7.5 },
        { node: 'spark2', present: false, size_gib: null },
      ],
    });
    // On disk without an entry: offered for setup with settings inferred from the repo.
    expect(byId.get('someone-elses-7b')).toMatchObject({
      source: 'discovered',
      needs_setup: true,
      entry: {
        hf_repo: 'org/someone-elses-7B',
        served_model_name: 'someone-elses-7B',
        placement: { nodes: 1 },
      },
      weights: [
        { node: 'spark1', present: false },
        { node: 'spark2', present: true },
      ],
    });
    expect(body.recipes.map((recipe) => recipe.id)).toEqual(['test-model', 'other-model', 'pair-model']);
  });

  test('a download copies to the other node with progress, then the model is ready', async () => {
    const started = await startDownload(gateway, 'pair-model');
    expect(started.status).toBe(202);
    const first = started.json as Job;
    expect(first.nodes.map((node) => [node.node, node.step])).toEqual([
      ['spark1', 'download'],
      ['spark2', 'copy'],
    ]);
    // Asking again while it runs answers the same job.
    expect(((await startDownload(gateway, 'pair-model')).json as Job).job_id).toBe(first.job_id);
    expect((await menu(gateway)).models.find((model) => model.id === 'pair-model')).toMatchObject({
      status: 'downloading',
      download_job_id: first.job_id,
    });

    const seen = await followJob(
      gateway,
      first.job_id,
      (current) => current.state !== 'running' && current.state !== 'queued',
    );
    const last = seen.at(-1)!;
    expect({ state: last.state, error: last.error }).toEqual({ state: 'succeeded', error: null });
    expect(last.percent).toBe(100);
    expect(last.nodes.map((node) => node.state)).toEqual(['done', 'done']);
    expect(last.bytes_total).toBe(2 * 8_000_000_000);
    expect(last.finished_at).not.toBeNull();
    const copying = seen.filter((current) => current.nodes[1]!.state === 'running');
    expect(copying.length).toBeGreaterThan(0);
    expect(
      copying.some((current) => current.nodes[1]!.percent! > 0 && current.nodes[1]!.percent! < 100),
    ).toBe(true);
    expect(last.log_tail.some((line) => line.startsWith('$ rsync'))).toBe(true);

    expect(gateway.cluster.modelStore.has('spark2', 'org/pair-model')).toBe(true);
    expect((await menu(gateway)).models.find((model) => model.id === 'pair-model')).toMatchObject({
      status: 'ready',
      download_job_id: null,
    });
  });

  test('a download from Hugging Face reports its progress while it runs', async () => {
    const started = (await startDownload(gateway, 'other-model')).json as Job;
    const seen = await followJob(
      gateway,
      started.job_id,
      (current) => current.state === 'succeeded' || current.state === 'failed',
    );
    expect({ state: seen.at(-1)!.state, error: seen.at(-1)!.error }).toEqual({
      state: 'succeeded',
      error: null,
    });
    const midway = seen.filter(
      (current) => current.state === 'running' && current.percent! > 0 && current.percent! < 100,
    );
    expect(midway.length).toBeGreaterThan(0);
    expect(midway.some((current) => current.bytes_done > 0 && current.bytes_per_s !== null)).toBe(true);
    expect(gateway.cluster.modelStore.has('spark1', 'org/other-model')).toBe(true);
  });

  test('a refused repository fails the job with the reason in plain words', async () => {
    gateway.cluster.modelStore.refused.set(
      'org/other-model',
      'huggingface_hub.errors.RepositoryNotFoundError: 404 Client Error.\nRepository Not Found for url: https://huggingface.co/api/models/org/other-model/revision/main.',
    );
    const started = (await startDownload(gateway, 'other-model')).json as Job;
    const last = (await followJob(gateway, started.job_id, (current) => current.state === 'failed')).at(-1)!;
    expect(last.error).toMatch(/^Hugging Face has no such repository, or it is private/);
    expect(last.nodes[0]).toMatchObject({ node: 'spark1', state: 'failed' });
    expect(last.finished_at).not.toBeNull();
  });

  test('a gated repository needs the Hugging Face token, which reaches the node on stdin only', async () => {
    const store = gateway.cluster.modelStore;
    store.refused.delete('org/other-model');
    store.remove('spark1', 'org/other-model');
    store.gated.add('org/other-model');

    const refused = (await startDownload(gateway, 'other-model')).json as Job;
    const failed = (await followJob(gateway, refused.job_id, (current) => current.state === 'failed')).at(
      -1,
    )!;
    expect(failed.error).toMatch(
      /^the repository is gated: accept its licence on huggingface.co and set HF_TOKEN/,
    );

    const patched = await call(gateway.baseUrl, '/api/settings', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ HF_TOKEN: store.hubToken }),
    });
    expect(patched.status).toBe(200);
    const started = (await startDownload(gateway, 'other-model')).json as Job;
    const last = (await followJob(gateway, started.job_id, (current) => current.state !== 'running')).at(-1)!;
    expect(last.state).toBe('succeeded');
    expect(store.tokenFiles.spark1).toBe(store.hubToken);
    expect(store.has('spark1', 'org/other-model')).toBe(true);
    expect(JSON.stringify(last)).not.toContain(store.hubToken);
    store.gated.delete('org/other-model');
  });

  test('a download that breaks off midway fails, and jobs survive a restart', async () => {
    gateway.cluster.modelStore.failAfter.set('org/pair-model', 0.5);
    gateway.cluster.modelStore.remove('spark1', 'org/pair-model');
    const started = (await startDownload(gateway, 'pair-model')).json as Job;
    const last = (await followJob(gateway, started.job_id, (current) => current.state === 'failed')).at(-1)!;
    expect(last.error).toMatch(/hf download failed on spark1 \(exit 1\).*500 Server Error/);
    expect(last.nodes.map((node) => node.state)).toEqual(['failed', 'failed']);
    expect(gateway.cluster.modelStore.has('spark1', 'org/pair-model')).toBe(false);

    gateway = await restartGateway(gateway);
    expect(await job(gateway, started.job_id)).toEqual(last);
    expect((await call(gateway.baseUrl, '/api/downloads/dl_unknown')).status).toBe(404);
    expect((await startDownload(gateway, 'no-such-model')).status).toBe(404);
  });

  test('deleting a model removes its weights from every node, but never the loaded model', async () => {
    const loaded = await call(gateway.baseUrl, '/api/models/test-model', { method: 'DELETE' });
    expect(loaded.status).toBe(409);
    expect(gateway.cluster.modelStore.has('spark1', 'org/test-model')).toBe(true);

    gateway.cluster.modelStore.add('spark1', 'org/pair-model');
    expect(gateway.cluster.modelStore.has('spark2', 'org/pair-model')).toBe(true);
    const deleted = await call(gateway.baseUrl, '/api/models/pair-model', { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(deleted.json as Deleted).toMatchObject({
      id: 'pair-model',
      scope: 'all',
      weights_removed_from: ['spark1', 'spark2'],
      entry_removed: false,
    });
    expect((deleted.json as Deleted).freed_gib).toBeGreaterThan(0);
    expect(gateway.cluster.modelStore.has('spark1', 'org/pair-model')).toBe(false);
    expect(gateway.cluster.modelStore.has('spark2', 'org/pair-model')).toBe(false);
    expect((await menu(gateway)).models.find((model) => model.id === 'pair-model')).toMatchObject({
      status: 'needs_download',
    });

    const discovered = await call(gateway.baseUrl, '/api/models/someone-elses-7b', { method: 'DELETE' });
    expect(discovered.status).toBe(200);
    expect((discovered.json as Deleted).weights_removed_from).toEqual(['spark2']);
    expect((await call(gateway.baseUrl, '/api/models/someone-elses-7b', { method: 'DELETE' })).status).toBe(
      404,
    );
  });
});

describe('a model with a draft model for speculative decoding', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      cluster: { modelsOnDisk: { spark1: ['org/test-model', 'org/big-model'] }, modelTransferMs: 300 },
    });
  });
  afterAll(() => gateway.close());

  test('is ready only when both are on every node, and its download fetches and copies both', async () => {
    const added = await postJson(gateway.baseUrl, '/api/models', {
      id: 'big-model',
      display_name: 'Big model with a draft',
      hf_repo: 'org/big-model',
      draft_repos: ['org/big-model-draft'],
      served_model_name: 'big-model',
      placement: { nodes: 2 },
    });
    expect(added.status).toBe(201);
    const before = (await menu(gateway)).models.find((model) => model.id === 'big-model')!;
    expect(before.weights).toEqual([
      { node: 'spark1', present: false, size_gib: null },
      { node: 'spark2', present: false, size_gib: null },
    ]);
    // The draft repo is part of the entry, not a discovered model.
    expect((await menu(gateway)).models.filter((model) => model.source === 'discovered')).toEqual([]);

    const started = (await startDownload(gateway, 'big-model')).json as Job;
    const last = (
      await followJob(
        gateway,
        started.job_id,
        (current) => current.state === 'succeeded' || current.state === 'failed',
      )
    ).at(-1)!;
    expect({ state: last.state, error: last.error }).toEqual({ state: 'succeeded', error: null });
    expect(last.log_tail.filter((line) => line.startsWith('$ '))).toEqual([
      '$ hf download org/big-model  (on spark1)',
      '$ hf download org/big-model-draft  (on spark1)',
      expect.stringMatching(/^\$ rsync .* \.cache\/huggingface\/hub\/models--org--big-model\/ /),
      expect.stringMatching(/^\$ rsync .* \.cache\/huggingface\/hub\/models--org--big-model-draft\/ /),
    ]);
    for (const node of ['spark1', 'spark2']) {
      for (const repo of ['org/big-model', 'org/big-model-draft']) {
        expect({ node, repo, present: gateway.cluster.modelStore.has(node, repo) }).toEqual({
          node,
          repo,
          present: true,
        });
      }
    }
    const after = (await menu(gateway)).models.find((model) => model.id === 'big-model')!;
    expect(after).toMatchObject({
      status: 'ready',
      weights: [
        { present: true, size_gib: 15 },
        { present: true, size_gib: 15 },
      ],
    });
  });
});

describe('suggestions', () => {
  let gateway: TestGateway;
  let hub: http.Server;
  const previous = process.env.HF_ENDPOINT;
  beforeAll(async () => {
    // A stand-in for the Hub's model search, which the sandbox cannot reach.
    hub = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://hub');
      const search = url.searchParams.get('search') ?? '';
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify([
          { id: `org/${search}-from-the-hub` },
          { id: 'org/test-model' },
          { id: 'not a repo' },
        ]),
      );
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    process.env.HF_ENDPOINT = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
    gateway = await startTestGateway({ cluster: { modelsOnDisk: { spark2: ['org/test-model-2'] } } });
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.HF_ENDPOINT;
    else process.env.HF_ENDPOINT = previous;
    await gateway.close();
    await new Promise((resolve) => hub.close(resolve));
  });

  test('catalog entries first, then models on disk, then the Hub', async () => {
    const response = await call(gateway.baseUrl, '/api/models/suggest?q=TEST&limit=5');
    expect(response.status).toBe(200);
    expect(response.json as Suggestions).toEqual({
      query: 'TEST',
      suggestions: [
        {
          hf_repo: 'org/test-model',
          display_name: 'Test model',
          source: 'catalog',
          catalog_id: 'test-model',
          on_disk_nodes: [],
        },
        {
          hf_repo: 'org/test-model-2',
          display_name: null,
          source: 'on_disk',
          catalog_id: null,
          on_disk_nodes: ['spark2'],
        },
        {
          hf_repo: 'org/test-from-the-hub',
          display_name: null,
          source: 'huggingface',
          catalog_id: null,
          on_disk_nodes: [],
        },
      ],
    });
  });

  test('without the Hub the local suggestions still answer', async () => {
    process.env.HF_HUB_OFFLINE = '1';
    try {
      const response = await call(gateway.baseUrl, '/api/models/suggest?q=other');
      expect((response.json as Suggestions).suggestions.map((s) => s.source)).toEqual(['catalog']);
      const all = await call(gateway.baseUrl, '/api/models/suggest?limit=2');
      expect((all.json as Suggestions).suggestions.map((s) => s.hf_repo)).toEqual([
        'org/test-model',
        'org/other-model',
      ]);
    } finally {
      delete process.env.HF_HUB_OFFLINE;
    }
  });
});
