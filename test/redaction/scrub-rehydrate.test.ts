import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { postJson } from '../helpers/http';
import { mapRows, rehydrate, scrub, type RehydrateAnswer, type ScrubAnswer } from './redaction-client';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(async () => {
  await gateway.close();
});

const NOTE =
  'Call Maria Okafor (maria.okafor@example.com) about the Orangepeak Payments commitment. Maria Okafor agreed.';
const KNOWN = { persons: ['Maria Okafor', 'Jon Bell'], orgs: ['Orangepeak Payments'] };

async function scrubNote(taskId: string, text = NOTE, mapHandle: string | null = null): Promise<ScrubAnswer> {
  const response = await scrub(gateway, {
    task_id: taskId,
    actor: 'analyst',
    items: [{ id: 'note_1', text }],
    known_entities: KNOWN,
    map_handle: mapHandle,
  });
  expect(response.status).toBe(200);
  return response.json as ScrubAnswer;
}

describe('POST /scrub and POST /rehydrate', () => {
  test('a round trip restores exactly what was scrubbed, and nothing sensitive leaves', async () => {
    const before = Date.now();
    const answer = await scrubNote('task-round-trip');
    const scrubbed = answer.items[0]!.scrubbed_text;
    for (const value of ['Maria', 'Okafor', 'maria.okafor@example.com', 'Orangepeak']) {
      expect(scrubbed).not.toContain(value);
    }
    expect(scrubbed).toContain('[PERSON_1]');
    expect(scrubbed).toContain('[ORG_1]');
    expect(scrubbed).toContain('[EMAIL_1]');
    expect(answer.items[0]!.tokens_used).toEqual(
      [...new Set(scrubbed.match(/\[[A-Z]+_\d+\]/g))], // distinct, in order of first appearance
    );
    expect(answer.task_id).toBe('task-round-trip');
    expect(answer.map_handle).toMatch(/^mh_/);
    const expiresIn = Date.parse(answer.expires_at) - before;
    expect(expiresIn).toBeGreaterThan(24 * 3_600_000 - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(24 * 3_600_000 + 60_000);

    const back = await rehydrate(gateway, {
      task_id: 'task-round-trip',
      map_handle: answer.map_handle,
      items: [{ id: 'out_1', text: scrubbed }],
    });
    expect(back.status).toBe(200);
    const restored = back.json as RehydrateAnswer & { task_id: string; map_handle: string };
    expect(restored.items).toEqual([
      { id: 'out_1', text: NOTE, replaced: scrubbed.match(/\[[A-Z]+_\d+\]/g)!.length },
    ]);
    expect(restored.unknown_tokens).toEqual([]);
    expect(restored.map_handle).toBe(answer.map_handle);
  });

  test('reusing the handle extends the map: earlier placeholders stay, new values are numbered on', async () => {
    const first = await scrubNote('task-extend');
    const second = await scrubNote('task-extend', 'Jon Bell met Maria Okafor.', first.map_handle);
    expect(second.map_handle).toBe(first.map_handle);
    expect(second.expires_at).toBe(first.expires_at);
    expect(second.items[0]!.scrubbed_text).toBe('[PERSON_2] met [PERSON_1].');
    const back = await rehydrate(gateway, {
      task_id: 'task-extend',
      map_handle: first.map_handle,
      items: [
        { id: 'a', text: first.items[0]!.scrubbed_text },
        { id: 'b', text: second.items[0]!.scrubbed_text },
      ],
    });
    expect((back.json as RehydrateAnswer).items.map((item) => item.text)).toEqual([
      NOTE,
      'Jon Bell met Maria Okafor.',
    ]);
  });

  test('concurrent calls extending one map never hand out a number twice', async () => {
    const first = await scrubNote('task-concurrent');
    const names = ['Ada Lane', 'Bo Rivers', 'Cy Marsh', 'Di Stone', 'Ed Frost', 'Flo Birch'];
    const answers = await Promise.all(
      names.map(async (name) => {
        const response = await scrub(gateway, {
          task_id: 'task-concurrent',
          items: [{ id: 'x', text: `${name} called.` }],
          known_entities: { persons: [name] },
          map_handle: first.map_handle,
        });
        expect(response.status).toBe(200);
        return (response.json as ScrubAnswer).items[0]!.scrubbed_text;
      }),
    );
    expect(new Set(answers).size).toBe(names.length);
    const back = await rehydrate(gateway, {
      task_id: 'task-concurrent',
      map_handle: first.map_handle,
      items: answers.map((text, index) => ({ id: String(index), text })),
    });
    expect((back.json as RehydrateAnswer).items.map((item) => item.text)).toEqual(
      names.map((name) => `${name} called.`),
    );
  });

  test('a handle is bound to its task: another task, or an unknown handle, gets 404', async () => {
    const answer = await scrubNote('task-owner');
    for (const response of [
      await rehydrate(gateway, {
        task_id: 'task-intruder',
        map_handle: answer.map_handle,
        items: [{ id: 'x', text: '[PERSON_1]' }],
      }),
      await scrub(gateway, {
        task_id: 'task-intruder',
        items: [{ id: 'x', text: 'Maria Okafor' }],
        known_entities: KNOWN,
        map_handle: answer.map_handle,
      }),
      await rehydrate(gateway, {
        task_id: 'task-owner',
        map_handle: 'mh_doesnotexist',
        items: [{ id: 'x', text: '[PERSON_1]' }],
      }),
    ]) {
      expect(response.status).toBe(404);
      expect(response.json).toEqual({ error: 'map_not_found', detail: expect.any(String) });
      expect(response.text).not.toContain('Maria');
    }
  });

  test('placeholders the map never issued fail the call, unless the caller asks for a report', async () => {
    const answer = await scrubNote('task-unknown');
    const text = 'Ask [PERSON_1] and [PERSON_7], cc [EMAIL_9].';
    const failed = await rehydrate(gateway, {
      task_id: 'task-unknown',
      map_handle: answer.map_handle,
      items: [{ id: 'out_1', text }],
    });
    expect(failed.status).toBe(422);
    expect(failed.json).toEqual({
      error: 'unknown_tokens',
      detail: expect.any(String),
      tokens: [
        { item: 'out_1', token: '[PERSON_7]' },
        { item: 'out_1', token: '[EMAIL_9]' },
      ],
    });
    expect(failed.text).not.toContain('Maria');

    const reported = await rehydrate(gateway, {
      task_id: 'task-unknown',
      map_handle: answer.map_handle,
      items: [{ id: 'out_1', text }],
      on_unknown: 'report',
    });
    expect(reported.status).toBe(200);
    expect(reported.json).toMatchObject({
      items: [{ id: 'out_1', text: 'Ask Maria Okafor and [PERSON_7], cc [EMAIL_9].', replaced: 1 }],
      unknown_tokens: [
        { item: 'out_1', token: '[PERSON_7]' },
        { item: 'out_1', token: '[EMAIL_9]' },
      ],
    });
  });

  test('placeholders a model altered are restored where the reading is unambiguous', async () => {
    const answer = await scrubNote('task-tolerant');
    const back = await rehydrate(gateway, {
      task_id: 'task-tolerant',
      map_handle: answer.map_handle,
      items: [
        { id: 'bold', text: '**[PERSON_1]** confirmed.' },
        { id: 'bare', text: 'PERSON_1 confirmed.' },
        { id: 'lower', text: '[person_1] confirmed.' },
        { id: 'escaped', text: '\\[PERSON\\_1\\] confirmed.' },
        { id: 'prose', text: 'Person 1 confirmed.' },
      ],
    });
    expect(back.status).toBe(200);
    expect((back.json as RehydrateAnswer).items.map((item) => item.text)).toEqual([
      '**Maria Okafor** confirmed.',
      'Maria Okafor confirmed.',
      'Maria Okafor confirmed.',
      'Maria Okafor confirmed.',
      'Person 1 confirmed.',
    ]);
  });

  test('placeholder-looking text in the input never passes through as a placeholder', async () => {
    const answer = await scrubNote('task-injection', 'Ignore [PERSON_1] and email Maria Okafor.');
    const scrubbed = answer.items[0]!.scrubbed_text;
    // Exactly one placeholder, minted here, for Maria Okafor; the injected one was neutralised.
    expect(scrubbed.match(/\[PERSON_\d+\]/g)).toEqual(['[PERSON_1]']);
    expect(scrubbed.endsWith('email [PERSON_1].')).toBe(true);
  });

  test('Tier-1 identifiers with tier1_action reject: 422 naming kinds only, and no map is written', async () => {
    const before = mapRows(gateway);
    const response = await scrub(gateway, {
      task_id: 'task-tier1',
      items: [{ id: 'note_1', text: 'Wire to IBAN GB82 WEST 1234 5698 7654 32 for Maria Okafor.' }],
      known_entities: KNOWN,
      tier1_action: 'reject',
    });
    expect(response.status).toBe(422);
    expect(response.json).toEqual({
      error: 'tier1_detected',
      detail: expect.any(String),
      spans: [{ item: 'note_1', kinds: ['iban'] }],
    });
    expect(response.text).not.toMatch(/GB82|5698|Maria/);
    expect(mapRows(gateway)).toEqual(before);
  });

  test('malformed input is 400; an unknown known_entities list is refused rather than ignored', async () => {
    for (const body of [
      { task_id: 't', items: [{ id: 'a', text: 'x' }], known_entities: { people: ['Maria Okafor'] } },
      { task_id: 't', items: [] },
      { items: [{ id: 'a', text: 'x' }] },
      { task_id: 't', items: [{ id: 'a', text: 'x' }], ner: 'spacy' },
    ]) {
      const response = await postJson(gateway.baseUrl, '/scrub', body);
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ error: 'validation_failed' });
      expect(response.text).not.toContain('Maria Okafor');
    }
  });

  test('values are encrypted at rest: no file in the data directory holds a scrubbed value', async () => {
    const secretName = 'Zebulon Quartermaine';
    const secretEmail = 'zq.private@example.org';
    const answer = await scrubNote('task-at-rest', `${secretName} wrote from ${secretEmail}.`);
    await scrub(gateway, {
      task_id: 'task-at-rest',
      items: [{ id: 'b', text: `Also ${secretName}.` }],
      known_entities: { persons: [secretName] },
      map_handle: answer.map_handle,
    });
    const files = fs
      .readdirSync(gateway.dataDir)
      .filter((name) => fs.statSync(path.join(gateway.dataDir, name)).isFile());
    expect(files).toEqual(expect.arrayContaining(['spark-control.db', 'redaction.key']));
    for (const file of files) {
      const bytes = fs.readFileSync(path.join(gateway.dataDir, file));
      for (const value of [
        'Zebulon',
        'Quartermaine',
        'zebulon quartermaine',
        secretEmail,
        answer.map_handle,
      ]) {
        expect(bytes.includes(Buffer.from(value, 'utf8'))).toBe(false);
        expect(bytes.includes(Buffer.from(value, 'utf16le'))).toBe(false);
      }
    }
    // …and yet the map restores them.
    const back = await rehydrate(gateway, {
      task_id: 'task-at-rest',
      map_handle: answer.map_handle,
      items: [{ id: 'a', text: answer.items[0]!.scrubbed_text }],
    });
    expect((back.json as RehydrateAnswer).items[0]!.text).toBe(`${secretName} wrote from ${secretEmail}.`);
  });

  test('the data directory is 0700; the database, its journal and the key are 0600', async () => {
    await scrubNote('task-permissions');
    expect(fs.statSync(gateway.dataDir).mode & 0o777).toBe(0o700);
    for (const file of fs.readdirSync(gateway.dataDir)) {
      if (file === 'spark-control.db' || file.startsWith('spark-control.db-') || file === 'redaction.key') {
        expect([file, fs.statSync(path.join(gateway.dataDir, file)).mode & 0o777]).toEqual([file, 0o600]);
      }
    }
  });

  test('the audit log holds counts, never values', async () => {
    await scrubNote('task-audit');
    const rows = gateway.gateway.context.db
      .prepare("SELECT * FROM redaction_audit WHERE task_id = 'task-audit'")
      .all() as Record<string, unknown>[];
    expect(rows).toEqual([
      expect.objectContaining({
        operation: 'scrub',
        outcome: 'ok',
        actor: 'analyst',
        items: 1,
        tier1_dropped: 0,
      }),
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/Maria|Okafor|Orangepeak|example\.com|PERSON/);
  });
});
