import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { postJson } from '../helpers/http';
import { answerNerWith, mapRows, type ScrubAnswer } from './redaction-client';

const NER_TIMEOUT_MS = 500;

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({
    configure: (config) => ({
      ...config,
      redaction: { ...config.redaction, nerTimeoutMs: NER_TIMEOUT_MS },
      lanes: { ...config.lanes, llm: { concurrency: 1, queueLimit: 0, retryAfterS: 1 } },
    }),
  });
});
afterEach(() => gateway.cluster.services.vllm.faults.reset());
afterAll(async () => {
  await gateway.close();
});

const TEXT = 'Ada Lovelace of Initech flew to Zurich.';

function scrubWithNer(ner: string | undefined, text = TEXT, extra: Record<string, unknown> = {}) {
  return postJson(gateway.baseUrl, '/scrub', {
    task_id: 'task-ner',
    items: [{ id: 'note_1', text }],
    ...(ner ? { ner } : {}),
    ...extra,
  });
}

describe('the NER backstop', () => {
  test.each(['qwen', 'auto'])(
    'ner=%s: names the local LLM finds are tokenised like known entities',
    async (ner) => {
      answerNerWith(
        gateway,
        JSON.stringify({ persons: ['Ada Lovelace'], orgs: ['Initech'], locations: ['Zurich'] }),
      );
      const response = await scrubWithNer(ner);
      expect(response.status).toBe(200);
      const scrubbed = (response.json as ScrubAnswer).items[0]!.scrubbed_text;
      expect(scrubbed).not.toMatch(/Ada|Lovelace|Initech|Zurich/);
      expect(scrubbed).toMatch(/\[PERSON_1\]/);
      expect(scrubbed).toMatch(/\[ORG_1\]/);
      expect(scrubbed).toMatch(/\[LOC_1\]/);
    },
  );

  test('an answer wrapped in a reasoning block and a Markdown fence is still read', async () => {
    answerNerWith(
      gateway,
      '<think>names…</think>\n```json\n{"persons": ["Ada Lovelace"], "orgs": [], "locations": []}\n```',
    );
    const response = await scrubWithNer('qwen');
    expect(response.status).toBe(200);
    expect((response.json as ScrubAnswer).items[0]!.scrubbed_text).not.toContain('Lovelace');
  });

  test('rules_only never calls the local LLM', async () => {
    await gateway.cluster.vllm.down();
    try {
      const response = await scrubWithNer('rules_only', 'Nothing to see.');
      expect(response.status).toBe(200);
    } finally {
      await gateway.cluster.vllm.up();
    }
  });

  test.each([
    ['prose instead of JSON', 'Ada Lovelace is a person and Initech is a company.'],
    ['an empty answer', ''],
    ['the wrong shape', JSON.stringify({ persons: 'Ada Lovelace' })],
    ['a JSON array', JSON.stringify(['Ada Lovelace'])],
    ['unrelated JSON', JSON.stringify({ answer: 42 })],
  ])('garbage (%s) fails closed with 422 ner_unavailable and writes no map', async (_what, content) => {
    const before = mapRows(gateway);
    answerNerWith(gateway, content);
    const response = await scrubWithNer('qwen');
    expect(response.status).toBe(422);
    expect(response.json).toEqual({ error: 'ner_unavailable', detail: expect.any(String) });
    expect(response.text).not.toMatch(/Ada|Lovelace|Initech|Zurich/);
    expect(mapRows(gateway)).toEqual(before);
  });

  test("the emulator's ordinary (non-JSON) completion is garbage too: the default ner=auto fails closed", async () => {
    const response = await scrubWithNer(undefined);
    expect(response.status).toBe(422);
    expect(response.json).toMatchObject({ error: 'ner_unavailable' });
  });

  test('an upstream error status fails closed', async () => {
    const faults = gateway.cluster.services.vllm.faults;
    faults.scope = '/v1/chat/completions';
    faults.failNext(1, 500, { error: { message: 'boom' } });
    const response = await scrubWithNer('qwen');
    expect(response.status).toBe(422);
    expect(response.json).toMatchObject({ error: 'ner_unavailable' });
  });

  test('an unreachable local LLM fails closed, and an extended map is left as it was', async () => {
    answerNerWith(gateway, JSON.stringify({ persons: [], orgs: [], locations: [] }));
    const first = await scrubWithNer('qwen', 'Maria Okafor called.', {
      known_entities: { persons: ['Maria Okafor'] },
    });
    expect(first.status).toBe(200);
    const before = mapRows(gateway);
    await gateway.cluster.vllm.down();
    try {
      const response = await scrubWithNer('qwen', 'Jon Bell called.', {
        known_entities: { persons: ['Jon Bell'] },
        map_handle: (first.json as ScrubAnswer).map_handle,
      });
      expect(response.status).toBe(422);
      expect(response.json).toMatchObject({ error: 'ner_unavailable' });
    } finally {
      await gateway.cluster.vllm.up();
    }
    expect(mapRows(gateway)).toEqual(before);
  });

  test('a local LLM slower than the NER timeout fails closed in time', async () => {
    const faults = gateway.cluster.services.vllm.faults;
    faults.scope = '/v1/chat/completions';
    faults.hang = true;
    const started = Date.now();
    const response = await scrubWithNer('qwen');
    expect(response.status).toBe(422);
    expect(response.json).toMatchObject({ error: 'ner_unavailable' });
    expect(Date.now() - started).toBeLessThan(NER_TIMEOUT_MS + 2_000);
  });

  test('a busy local LLM (its lane full) fails closed', async () => {
    const faults = gateway.cluster.services.vllm.faults;
    faults.scope = '/v1/chat/completions';
    faults.hang = true;
    // The first call takes the lane's only slot and hangs; the second finds no room and no queue.
    const first = scrubWithNer('qwen');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await scrubWithNer('qwen');
    expect(second.status).toBe(422);
    expect(second.json).toMatchObject({ error: 'ner_unavailable', detail: expect.stringContaining('busy') });
    expect((await first).status).toBe(422);
  });
});
