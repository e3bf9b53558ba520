import { describe, expect, test } from '@jest/globals';
import { bindOperations, BindingError } from '../../src/contract/binding';
import { isNotBuilt, notBuilt } from '../../src/contract/handler';
import { allHandlers } from '../../src/handlers';
import { allOperations } from '../helpers/request-samples';

const operations = allOperations().map(({ operation }) => operation);

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof BindingError) return error.problems;
    throw error;
  }
  return [];
}

describe('contract binding', () => {
  test('every operation of the five specs is bound to exactly one implementation', () => {
    const bindings = bindOperations(operations, allHandlers());
    expect(bindings.size).toBe(operations.length);
    expect(operations.length).toBeGreaterThan(50);
  });

  test('an unbound operation is refused', () => {
    const handlers = { ...allHandlers() };
    delete handlers.getStatus;
    expect(problemsOf(() => bindOperations(operations, handlers))).toEqual([
      expect.stringContaining('getStatus (GET /api/status) is unbound'),
    ]);
  });

  test('an operation bound to both x-upstream and a handler is refused', () => {
    const handlers = { ...allHandlers(), createChatCompletion: notBuilt('test') };
    expect(problemsOf(() => bindOperations(operations, handlers))).toEqual([
      expect.stringContaining('createChatCompletion is bound twice'),
    ]);
  });

  test('a handler that names no operation is refused', () => {
    const handlers = { ...allHandlers(), noSuchOperation: notBuilt('test') };
    expect(problemsOf(() => bindOperations(operations, handlers))).toEqual([
      expect.stringContaining('handler noSuchOperation is dangling'),
    ]);
  });

  test('operations not built yet declare 501; proxied operations declare their upstream failures', () => {
    const handlers = allHandlers();
    const missing: string[] = [];
    for (const operation of operations) {
      const statuses = Object.keys(operation.definition.responses ?? {});
      if (isNotBuilt(handlers[operation.operationId]) && !statuses.includes('501'))
        missing.push(`${operation.operationId} lacks 501`);
      if (operation.upstream) {
        for (const status of ['502', '503', '504'])
          if (!statuses.includes(status)) missing.push(`${operation.operationId} lacks ${status}`);
      }
      for (const status of ['400', '500'])
        if (!statuses.includes(status)) missing.push(`${operation.operationId} lacks ${status}`);
    }
    expect(missing).toEqual([]);
  });
});
