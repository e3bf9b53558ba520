import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { capturingLogger } from '../helpers/log-capture';
import { call, postJson } from '../helpers/http';
import { answerNerWith, rehydrate, scrub, type ScrubAnswer } from './redaction-client';

const { logger, lines: logLines } = capturingLogger();

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ logger });
});
afterAll(async () => {
  await gateway.close();
});

// Values that must never reach a log line, whatever happens to the call.
const PERSON = 'Philippa Vandersloot';
const ORG = 'Quillfeather Capital';
const EMAIL = 'philippa.v@quillfeather.example';
const NER_PERSON = 'Bartholomew Ingersoll';
const SECRET_LIST_ENTRY = 'Cornelius Ashgrove'; // a known entity that never occurs in the text

test('no value, known entity or map content is ever logged, on success or failure', async () => {
  const text = `${PERSON} of ${ORG} (${EMAIL}) met ${NER_PERSON}.`;
  const known = { persons: [PERSON, SECRET_LIST_ENTRY], orgs: [ORG] };

  answerNerWith(gateway, JSON.stringify({ persons: [NER_PERSON], orgs: [], locations: [] }));
  const ok = await scrub(gateway, {
    task_id: 'task-logs',
    items: [{ id: 'a', text }],
    known_entities: known,
    ner: 'qwen',
  });
  expect(ok.status).toBe(200);
  const answer = ok.json as ScrubAnswer;
  expect(answer.items[0]!.scrubbed_text).not.toContain(NER_PERSON);

  // NER garbage, Tier-1 reject, a malformed request, an unknown handle.
  expect(
    (
      await scrub(gateway, {
        task_id: 'task-logs',
        items: [{ id: 'a', text }],
        known_entities: known,
        ner: 'auto',
      })
    ).status,
  ).toBe(422);
  expect(
    (
      await scrub(gateway, {
        task_id: 'task-logs',
        items: [{ id: 'a', text: `${PERSON} IBAN GB82 WEST 1234 5698 7654 32` }],
        known_entities: known,
        tier1_action: 'reject',
      })
    ).status,
  ).toBe(422);
  expect(
    (
      await postJson(gateway.baseUrl, '/scrub', {
        task_id: 'x',
        items: [{ id: 'a', text }],
        known_entities: { people: [PERSON] },
      })
    ).status,
  ).toBe(400);
  expect(
    (await rehydrate(gateway, { task_id: 'task-logs', map_handle: 'mh_nope', items: [{ id: 'a', text }] }))
      .status,
  ).toBe(404);

  // Rehydration: whole, with an unknown placeholder, and streamed.
  const scrubbed = answer.items[0]!.scrubbed_text;
  const back = await rehydrate(gateway, {
    task_id: 'task-logs',
    map_handle: answer.map_handle,
    items: [{ id: 'a', text: scrubbed }],
  });
  expect(back.status).toBe(200);
  expect(
    (
      await rehydrate(gateway, {
        task_id: 'task-logs',
        map_handle: answer.map_handle,
        items: [{ id: 'a', text: `${scrubbed} [PERSON_99]` }],
      })
    ).status,
  ).toBe(422);
  const streamed = await call(
    gateway.baseUrl,
    `/rehydrate/stream?task_id=task-logs&map_handle=${answer.map_handle}`,
    {
      method: 'POST',
      headers: { 'content-type': 'text/event-stream' },
      body: `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: scrubbed } }] })}\n\ndata: [DONE]\n\n`,
    },
  );
  expect(streamed.text).toContain(PERSON);

  const logs = logLines.join('');
  // The capture works: every call left its access-log line.
  expect(logs).toContain('"operationId":"scrubText"');
  expect(logs).toContain('"operationId":"rehydrateStream"');
  for (const value of [
    PERSON,
    'Vandersloot',
    ORG,
    'Quillfeather',
    EMAIL,
    NER_PERSON,
    'Ingersoll',
    SECRET_LIST_ENTRY,
    'Ashgrove',
    'GB82',
    answer.map_handle,
  ]) {
    expect(logs).not.toContain(value);
  }
});
