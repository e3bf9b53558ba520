import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { bodyLimit } from '../../src/contract/body-limits';
import { routeFamily } from '../../src/errors/envelope';
import { badRequests } from '../helpers/bad-requests';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { allOperations } from '../helpers/request-samples';
import { specValidator } from '../helpers/spec-validator';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(async () => {
  await gateway.close();
});

const ENVELOPES = { openai: 'OpenAIError', redaction: 'RedactionError', api: 'ApiError' } as const;

describe('spec-driven bad input', () => {
  test('every operation answers every invalid request with a 4xx in its family envelope, never a 5xx', async () => {
    const validator = await specValidator();
    const failures: string[] = [];
    let tried = 0;
    const perOperation = new Map<string, number>();
    for (const { spec, operation } of allOperations()) {
      for (const request of badRequests(spec, operation, bodyLimit(operation))) {
        tried += 1;
        perOperation.set(operation.operationId, (perOperation.get(operation.operationId) ?? 0) + 1);
        let status: number;
        let text: string;
        let contentType: string;
        try {
          const response = await fetch(gateway.baseUrl + request.path, {
            method: request.method,
            headers: request.headers,
            body: request.body as RequestInit['body'],
          });
          status = response.status;
          contentType = response.headers.get('content-type') ?? '';
          text = await response.text();
        } catch (error) {
          // The gateway may cut an over-limit upload short; the client then sees the 413 or a closed socket.
          if (request.label.endsWith('over the limit')) continue;
          failures.push(`${request.label}: request failed: ${(error as Error).message}`);
          continue;
        }
        if (status < 400 || status > 499) {
          failures.push(`${request.label}: got ${status} ${text.slice(0, 200)}`);
          continue;
        }
        if (!contentType.includes('application/json')) {
          failures.push(`${request.label}: ${status} is not JSON (${contentType})`);
          continue;
        }
        const body: unknown = JSON.parse(text);
        const path = new URL(gateway.baseUrl + request.path).pathname;
        const envelope = validator.envelope(path);
        if (!envelope(body))
          failures.push(
            `${request.label}: ${status} body is not a ${ENVELOPES[routeFamily(path)]}: ${text.slice(0, 200)}`,
          );
        const problems = validator.checkJsonResponse(request.method, path, status, body);
        if (problems.length > 0)
          failures.push(`${request.label}: ${status} breaks the contract: ${problems.join('; ')}`);
      }
    }
    console.log(
      `spec-driven bad input: ${tried} invalid requests tried over ${perOperation.size} operations`,
    );
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(300);
    // The gateway is still healthy afterwards.
    expect((await fetch(`${gateway.baseUrl}/health`)).status).toBe(200);
  }, 240_000);
});
