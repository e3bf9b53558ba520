import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { allOperations, validSample } from '../helpers/request-samples';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(async () => {
  await gateway.close();
});

describe('every proxied operation, end to end against the emulated cluster', () => {
  const proxied = allOperations().filter(({ operation }) => operation.upstream !== null);

  test('there are proxied operations and each answers its spec example with a 2xx in its contract', async () => {
    expect(proxied.map(({ operation }) => operation.operationId).sort()).toEqual(
      [
        'createChatCompletion',
        'createCompletion',
        'createEmbeddings',
        'createRerank',
        'createSpeech',
        'createTranscription',
        'diarizeAudio',
        'diarizeChunk',
      ].sort(),
    );
    for (const { spec, operation } of proxied) {
      const request = validSample(spec, operation);
      if (operation.operationId === 'createChatCompletion' || operation.operationId === 'createCompletion') {
        // The spec examples name the catalog's default model; the test cluster serves test-model.
        request.body = JSON.stringify({
          ...(JSON.parse(request.body as string) as object),
          model: 'test-model',
        });
      }
      if (operation.operationId === 'createSpeech') {
        // The emulated Kokoro encodes wav and pcm only (mp3 needs an encoder the emulator lacks).
        request.body = JSON.stringify({
          ...(JSON.parse(request.body as string) as object),
          response_format: 'wav',
        });
      }
      const response = await fetch(gateway.baseUrl + request.path, {
        method: request.method,
        headers: request.headers,
        body: request.body as RequestInit['body'],
      });
      const body = Buffer.from(await response.arrayBuffer());
      expect({ operation: operation.operationId, status: response.status }).toEqual({
        operation: operation.operationId,
        status: 200,
      });
      expect(response.headers.get('x-request-id')).toBeTruthy();
      if (operation.operationId === 'createSpeech') {
        expect(response.headers.get('content-type')).toMatch(/^audio\//);
        expect(body.subarray(0, 4).toString()).toBe('RIFF');
      }
    }
  });
});
