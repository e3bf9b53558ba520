import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { components } from '../../generated/control';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { restartGateway } from './restart-gateway';
import { call, postJson } from '../helpers/http';

type Menu = components['schemas']['CatalogMenu'];
type Saved = components['schemas']['CatalogModelSaved'];
type Deleted = components['schemas']['CatalogModelDeleted'];

const menu = async (gateway: TestGateway) => {
  const response = await call(gateway.baseUrl, '/api/models');
  expect(response.status).toBe(200);
  return response.json as Menu;
};

const chat = (gateway: TestGateway, model: string) =>
  postJson(gateway.baseUrl, '/v1/chat/completions', {
    model,
    messages: [{ role: 'user', content: 'hi' }],
    max_tokens: 2,
  });

const finetune = {
  id: 'my-finetune',
  display_name: 'My fine-tune (local)',
  local_path: '/home/spark/models/my-finetune',
  served_model_name: 'my-finetune',
  aliases: ['finetune'],
  placement: { nodes: 1 },
  vllm: {
    max_model_len: 32768,
    extra_args: ['--chat-template', '/home/spark/models/my-finetune/chat_template.jinja'],
  },
};

describe('a models.yaml with bad entries', () => {
  let gateway: TestGateway;
  let file: string;
  beforeAll(async () => {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sc-catalog-')), 'models.yaml');
    fs.writeFileSync(
      file,
      [
        'models:',
        '  - { id: test-model, display_name: Test, hf_repo: org/test-model, served_model_name: test-model, placement: { nodes: 1 } }',
        "  - { id: sneaky, display_name: Sneaky, hf_repo: org/sneaky, served_model_name: sneaky, placement: { nodes: 1 }, vllm: { extra_args: ['--host', '0.0.0.0'] } }",
        '  - { id: wide, display_name: Wide, hf_repo: org/wide, served_model_name: wide, placement: { nodes: 4 } }',
      ].join('\n'),
    );
    gateway = await startTestGateway({ env: { MODELS_YAML: file } });
  });
  afterAll(() => gateway.close());

  test('are listed as problems with file, entry and field, and skipped; the rest loads', async () => {
    const body = await menu(gateway);
    expect(body.models.map((model) => model.id)).toEqual(['test-model']);
    expect(body.problems).toEqual([
      {
        file,
        entry: 'sneaky',
        field: 'vllm.extra_args[0]',
        message: '--host is not allowed (the gateway sets the bind address)',
      },
      { file, entry: 'wide', field: 'placement.nodes', message: 'must be one of 1, 2' },
    ]);
  });
});

describe('adding, overriding and deleting entries', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-catalog-data-'));
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ env: { DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    await gateway.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('an invalid entry is refused with one problem per field and nothing is persisted', async () => {
    const response = await postJson(gateway.baseUrl, '/api/models', {
      ...finetune,
      local_path: '/etc/ssl',
      vllm: { extra_args: ['--served-model-name', 'x', '--tensor-parallel-size=2'] },
    });
    expect(response.status).toBe(400);
    const errors = (response.json as { errors: { location: string }[] }).errors.map((e) => e.location);
    expect(errors).toEqual(
      expect.arrayContaining(['body.local_path', 'body.vllm.extra_args[0]', 'body.vllm.extra_args[2]']),
    );
    const clash = await postJson(gateway.baseUrl, '/api/models', { ...finetune, aliases: ['friendly-name'] });
    expect(clash.status).toBe(400);
    expect(clash.text).toContain('already names model test-model');
    expect((await menu(gateway)).models.map((model) => model.id)).not.toContain('my-finetune');
  });

  test('a new entry answers 201, a replacement 200; alias rewriting follows at once', async () => {
    const added = await postJson(gateway.baseUrl, '/api/models', finetune);
    expect(added.status).toBe(201);
    expect((added.json as Saved).created).toBe(true);

    expect((await chat(gateway, 'brand-new-alias')).status).toBe(404);
    const override = await postJson(gateway.baseUrl, '/api/models', {
      id: 'test-model',
      display_name: 'Test model, long context',
      hf_repo: 'org/test-model',
      served_model_name: 'test-model',
      aliases: ['brand-new-alias'],
      placement: { nodes: 1 },
      vllm: { max_model_len: 131072 },
    });
    expect(override.status).toBe(200);
    expect((override.json as Saved).created).toBe(false);
    expect((await chat(gateway, 'brand-new-alias')).status).toBe(200);
    // The fixture's old alias is gone with the replaced entry.
    expect((await chat(gateway, 'friendly-name')).status).toBe(404);

    const models = (await menu(gateway)).models;
    expect(models.find((model) => model.id === 'test-model')).toMatchObject({
      source: 'override',
      display_name: 'Test model, long context',
      entry: { vllm: { max_model_len: 131072 } },
    });
    expect(models.find((model) => model.id === 'my-finetune')).toMatchObject({ source: 'override' });
  });

  test('overrides survive a restart with the same data directory, and deleting one restores the file entry', async () => {
    gateway = await restartGateway(gateway);
    expect((await chat(gateway, 'brand-new-alias')).status).toBe(200);
    expect((await menu(gateway)).models.find((model) => model.id === 'my-finetune')).toBeDefined();

    const fromFile = await call(gateway.baseUrl, '/api/models/other-model?scope=entry', { method: 'DELETE' });
    expect(fromFile.status).toBe(409);

    const removed = await call(gateway.baseUrl, '/api/models/test-model?scope=entry', { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(removed.json as Deleted).toEqual({
      id: 'test-model',
      scope: 'entry',
      weights_removed_from: [],
      entry_removed: true,
      freed_gib: 0,
    });
    expect((await chat(gateway, 'friendly-name')).status).toBe(200);
    expect((await chat(gateway, 'brand-new-alias')).status).toBe(404);

    // Local weights are never deleted; the entry alone can be.
    expect((await call(gateway.baseUrl, '/api/models/my-finetune', { method: 'DELETE' })).status).toBe(409);
    expect(
      (await call(gateway.baseUrl, '/api/models/my-finetune?scope=entry', { method: 'DELETE' })).status,
    ).toBe(200);

    gateway = await restartGateway(gateway);
    const models = (await menu(gateway)).models;
    expect(models.find((model) => model.id === 'test-model')).toMatchObject({ source: 'catalog' });
    expect(models.find((model) => model.id === 'my-finetune')).toBeUndefined();
    expect((await call(gateway.baseUrl, '/api/models/nope?scope=entry', { method: 'DELETE' })).status).toBe(
      404,
    );
  });
});
