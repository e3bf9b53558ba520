import { GB10_MEM_TOTAL_KIB } from '../../src/emulator';
import { call, postJson } from '../helpers/http';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { eventually } from './eventually';

interface NodeResources {
  id: string;
  host: string;
  roles: string[];
  reachable: boolean;
  services: string[];
  memory: { total_gib: number; available_gib: number } | null;
  gpu: unknown;
  checked_at: string | null;
}

interface NodeList {
  nodes: NodeResources[];
  vllm: {
    model: string;
    num_requests_running: number;
    num_requests_waiting: number;
    kv_cache_usage: number;
    generation_tokens_total: number;
    prompt_tokens_total: number;
  } | null;
}

async function nodes(gateway: TestGateway): Promise<NodeList> {
  const response = await call(gateway.baseUrl, '/api/nodes');
  expect(response.status).toBe(200);
  return response.json as NodeList;
}

const GIB = 1024 * 1024;

describe('GET /api/nodes', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      env: { DEEP_HEALTH: '0' },
      configure: (config) => ({ ...config, health: { ...config.health, resourcesIntervalMs: 250 } }),
    });
  });
  afterAll(() => gateway.close());

  it('reports the kernel memory figures of each node and which services live there', async () => {
    const list = await eventually(async () => {
      const body = await nodes(gateway);
      return body.nodes.every((node) => node.reachable && node.memory) ? body : undefined;
    }, 'memory readings from both nodes');
    const [spark1, spark2] = list.nodes;
    expect(spark1).toMatchObject({ id: 'spark1', roles: ['head', 'llm'], services: ['vllm'], gpu: null });
    expect(spark2!.services).toEqual(['parakeet', 'kokoro', 'embed', 'qdrant']);
    const total = Math.round((GB10_MEM_TOTAL_KIB / GIB) * 10) / 10;
    expect(spark1!.memory!.total_gib).toBe(total);
    // The emulated head node holds a loaded model (96 GiB); the speech node four small services.
    expect(spark1!.memory!.available_gib).toBeLessThan(30);
    expect(spark2!.memory!.available_gib).toBeGreaterThan(90);
    expect(spark2!.checked_at).not.toBeNull();
  });

  it('follows memory as services stop', async () => {
    const before = (await nodes(gateway)).nodes[1]!.memory!.available_gib;
    await gateway.cluster.kokoro.down();
    try {
      const after = await eventually(async () => {
        const available = (await nodes(gateway)).nodes[1]!.memory!.available_gib;
        return available > before + 2 ? available : undefined;
      }, 'more memory available on spark2');
      expect(after).toBeGreaterThan(before);
    } finally {
      await gateway.cluster.kokoro.up();
    }
  });

  it("reports the loaded model's vLLM metrics from its /metrics", async () => {
    const chat = await postJson(gateway.baseUrl, '/v1/chat/completions', {
      model: 'test-model',
      messages: [{ role: 'user', content: 'hello' }],
      max_tokens: 5,
    });
    expect(chat.status).toBe(200);
    const vllm = await eventually(async () => {
      const figures = (await nodes(gateway)).vllm;
      return figures && figures.generation_tokens_total > 0 ? figures : undefined;
    }, 'vLLM figures after one chat');
    expect(vllm).toMatchObject({ model: 'test-model', num_requests_running: 0, num_requests_waiting: 0 });
    expect(vllm.prompt_tokens_total).toBeGreaterThan(0);
  });
});

describe('GET /api/nodes on an idle cluster', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ cluster: { initialModel: null }, env: { DEEP_HEALTH: '0' } });
  });
  afterAll(() => gateway.close());

  it('has no vLLM figures when no model is loaded', async () => {
    const list = await nodes(gateway);
    expect(list.vllm).toBeNull();
  });
});
