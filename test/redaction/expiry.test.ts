import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { call } from '../helpers/http';
import { waitFor } from '../helpers/wait';
import { mapRows, rehydrate, scrub, type ScrubAnswer } from './redaction-client';

const TTL_MS = 400;

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({
    configure: (config) => ({
      ...config,
      redaction: { ...config.redaction, mapTtlMs: TTL_MS, sweepIntervalMs: 50 },
    }),
  });
});
afterAll(async () => {
  await gateway.close();
});

test('an expired map is swept by the timer and answers 410 on every route; its values are gone', async () => {
  const response = await scrub(gateway, {
    task_id: 'task-expiry',
    items: [{ id: 'a', text: 'Maria Okafor called.' }],
    known_entities: { persons: ['Maria Okafor'] },
  });
  expect(response.status).toBe(200);
  const answer = response.json as ScrubAnswer;
  expect(Date.parse(answer.expires_at) - Date.now()).toBeLessThanOrEqual(TTL_MS);
  expect(mapRows(gateway).entries).toBe(1);

  // The sweeper deletes the values on its own, without any request touching the map.
  await waitFor(() => mapRows(gateway).entries === 0, 'the sweeper to delete the values');

  const body = {
    task_id: 'task-expiry',
    map_handle: answer.map_handle,
    items: [{ id: 'a', text: '[PERSON_1]' }],
  };
  const expired = await rehydrate(gateway, body);
  expect(expired.status).toBe(410);
  expect(expired.json).toEqual({ error: 'map_expired', detail: expect.stringContaining('expired') });

  const extend = await scrub(gateway, {
    task_id: 'task-expiry',
    items: [{ id: 'a', text: 'Maria Okafor again.' }],
    known_entities: { persons: ['Maria Okafor'] },
    map_handle: answer.map_handle,
  });
  expect(extend.status).toBe(410);

  const stream = await call(
    gateway.baseUrl,
    `/rehydrate/stream?task_id=task-expiry&map_handle=${answer.map_handle}`,
    { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '[PERSON_1]' },
  );
  expect(stream.status).toBe(410);
  expect(stream.json).toMatchObject({ error: 'map_expired' });

  // Another task still cannot tell an expired map from a missing one.
  const other = await rehydrate(gateway, { ...body, task_id: 'task-other' });
  expect(other.status).toBe(404);
});
