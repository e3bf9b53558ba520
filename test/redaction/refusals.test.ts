import { afterAll, beforeAll, beforeEach, expect, jest, test } from '@jest/globals';
import type { ScrubFunction } from '../../src/redaction/engine/types';
import type { TestGateway } from '../helpers/gateway';
import { capturingLogger } from '../helpers/log-capture';
import { mapRows, scrub } from './redaction-client';

// The engine's rarer outcomes (a failed re-scan, a crash) cannot be provoked on purpose with real
// text, so here the engine is replaced by one that answers what each test chooses.
const engine: { next: ReturnType<ScrubFunction> | Error | null } = { next: null };
jest.doMock('../../src/redaction/engine/scrub', () => {
  const actual = jest.requireActual<typeof import('../../src/redaction/engine/scrub')>(
    '../../src/redaction/engine/scrub',
  );
  return {
    ...actual,
    scrub: (...args: Parameters<ScrubFunction>) => {
      const next = engine.next;
      if (next instanceof Error) throw next;
      if (next) {
        // Mint as a real run would, so a wrongly committed map would show in the tables.
        args[2].placeholderFor('PERSON', 'Maria Okafor', 'maria okafor');
        return next;
      }
      return actual.scrub(...args);
    },
  };
});

const { logger, lines: logLines } = capturingLogger();
let gateway: TestGateway;
beforeAll(async () => {
  // Loaded after the engine is replaced, so the gateway's handlers see the replacement.
  const { startTestGateway } = jest.requireActual<typeof import('../helpers/gateway')>('../helpers/gateway');
  gateway = await startTestGateway({ logger });
});
beforeEach(() => {
  engine.next = null;
});
afterAll(async () => {
  await gateway.close();
});

const request = {
  task_id: 'task-refusals',
  items: [
    { id: 'note_1', text: 'Maria Okafor called.' },
    { id: 'note_2', text: 'Fine.' },
  ],
};

test('a failed re-scan is 422 scrub_verification_failed naming the items only, and writes nothing', async () => {
  engine.next = {
    kind: 'verification_failed',
    items: [
      { item: 'note_1', kinds: ['person'] },
      { item: 'note_1', kinds: ['email'] },
    ],
  };
  const before = mapRows(gateway);
  const response = await scrub(gateway, request);
  expect(response.status).toBe(422);
  expect(response.json).toEqual({
    error: 'scrub_verification_failed',
    detail: expect.any(String),
    items: ['note_1'],
  });
  expect(response.text).not.toContain('Maria');
  expect(mapRows(gateway)).toEqual(before);
});

test('an engine crash is a 500 that neither answers nor logs the text', async () => {
  engine.next = new Error('choked on "Maria Okafor called."');
  const before = mapRows(gateway);
  const response = await scrub(gateway, request);
  expect(response.status).toBe(500);
  expect(response.json).toEqual({ error: 'internal_error', detail: expect.any(String) });
  expect(response.text).not.toContain('Maria');
  expect(mapRows(gateway)).toEqual(before);
  const logs = logLines.join('');
  expect(logs).toContain('the scrub engine failed');
  expect(logs).not.toContain('Maria');
});

test('the real engine is back in place for everything else', async () => {
  const response = await scrub(gateway, { ...request, known_entities: { persons: ['Maria Okafor'] } });
  expect(response.status).toBe(200);
});
