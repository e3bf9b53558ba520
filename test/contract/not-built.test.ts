import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { isNotBuilt } from '../../src/contract/handler';
import { allHandlers } from '../../src/handlers';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { call } from '../helpers/http';
import { allOperations, validSample } from '../helpers/request-samples';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(async () => {
  await gateway.close();
});

describe('operations whose capability is not built yet', () => {
  const handlers = allHandlers();
  const pending = allOperations().filter(({ operation }) => isNotBuilt(handlers[operation.operationId]));

  test('there are such operations, and each answers a valid request with 501 and a catalogue error', async () => {
    expect(pending.length).toBeGreaterThan(0);
    for (const { spec, operation } of pending) {
      const request = validSample(spec, operation);
      const response = await call(gateway.baseUrl, request.path, {
        method: request.method,
        headers: request.headers,
        body: request.body as RequestInit['body'],
      });
      expect({ operation: operation.operationId, status: response.status }).toEqual({
        operation: operation.operationId,
        status: 501,
      });
      expect(response.text).toContain('not_implemented');
    }
  });
});
