import { request } from 'undici';
import { EmbedEmulator } from './embed';
import { QdrantEmulator } from './qdrant';

async function post(baseUrl: string, path: string, body: unknown) {
  const res = await request(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
}

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

describe('EmbedEmulator', () => {
  const embed = new EmbedEmulator();
  beforeAll(() => embed.start());
  afterAll(() => embed.stop());

  test('embeddings: OpenAI shape, 1024-d, unit length, deterministic, closer when words are shared', async () => {
    const input = [
      'the gateway keeps audio local',
      'audio stays on the local gateway',
      'quarterly revenue grew',
    ];
    const { status, json } = await post(embed.baseUrl, '/v1/embeddings', { model: 'bge-m3', input });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      object: 'list',
      model: 'BAAI/bge-m3',
      usage: { prompt_tokens: expect.any(Number) },
    });
    const vectors = (json.data as { object: string; index: number; embedding: number[] }[]).map(
      (d) => d.embedding,
    );
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(1024);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    const [a = [], b = [], c = []] = vectors;
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
    const again = await post(embed.baseUrl, '/v1/embeddings', { input: input[0] });
    expect((again.json.data as { embedding: number[] }[])[0]?.embedding).toEqual(a);
    const base64 = await post(embed.baseUrl, '/v1/embeddings', {
      input: input[0],
      encoding_format: 'base64',
    });
    const decoded = new Float32Array(
      Buffer.from((base64.json.data as { embedding: string }[])[0]?.embedding ?? '', 'base64').buffer.slice(
        0,
      ),
    );
    expect(decoded).toHaveLength(1024);
    expect((await post(embed.baseUrl, '/v1/embeddings', { input: '' })).status).toBe(400);
  });

  test('rerank: sorted by a raw logit, top_n and return_documents honoured', async () => {
    const documents = ['bananas are yellow', 'the spark cluster serves models', 'a cluster of sparks'];
    const { status, json } = await post(embed.baseUrl, '/v1/rerank', {
      query: 'spark cluster models',
      documents,
      top_n: 2,
      return_documents: true,
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({ object: 'rerank.result', model: 'BAAI/bge-reranker-v2-m3' });
    const results = json.results as { index: number; relevance_score: number; document: { text: string } }[];
    expect(results.map((r) => r.index)).toEqual([1, 2]);
    expect(results[0]?.document.text).toBe(documents[1]);
    expect(results[0]?.relevance_score).toBeGreaterThan(results[1]?.relevance_score ?? Infinity);
    expect(results[0]?.relevance_score).toBeGreaterThan(1);
    const all = await post(embed.baseUrl, '/v1/rerank', { query: 'spark cluster models', documents });
    const scores = (all.json.results as { index: number; relevance_score: number }[]).map(
      (r) => r.relevance_score,
    );
    expect(scores.at(-1)).toBeLessThan(0);
  });
});

describe('QdrantEmulator', () => {
  const qdrant = new QdrantEmulator();
  beforeAll(() => qdrant.start());
  afterAll(() => qdrant.stop());

  test('service routes and the collection list', async () => {
    expect(await (await request(`${qdrant.baseUrl}/healthz`)).body.text()).toBe('healthz check passed');
    expect(await (await request(`${qdrant.baseUrl}/readyz`)).body.text()).toBe('all shards are ready');
    expect(await (await request(`${qdrant.baseUrl}/`)).body.json()).toMatchObject({
      title: 'qdrant - vector search engine',
      version: '1.19.0',
    });
    expect(await (await request(`${qdrant.baseUrl}/collections`)).body.json()).toEqual({
      result: { collections: [] },
      status: 'ok',
      time: expect.any(Number),
    });
  });
});
