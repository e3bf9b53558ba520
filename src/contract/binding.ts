import type { OperationInfo } from './operations';
import type { InProcessHandler } from './handler';

export type Implementation = { kind: 'handler'; handler: InProcessHandler } | { kind: 'upstream' };

/** Raised at start when an operation is unbound, bound twice, or a handler names no operation. */
export class BindingError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`the contract binding is broken:\n  - ${problems.join('\n  - ')}`);
    this.name = 'BindingError';
    this.problems = problems;
  }
}

/**
 * Binds every operation of the contract to exactly one implementation: its `x-upstream` proxy or
 * an in-process handler. Lists every unbound, double-bound and dangling binding at once.
 */
export function bindOperations(
  operations: OperationInfo[],
  handlers: Record<string, InProcessHandler | undefined>,
): Map<string, Implementation> {
  const problems: string[] = [];
  const bound = new Map<string, Implementation>();
  const known = new Set<string>();
  for (const operation of operations) {
    const id = operation.operationId;
    if (known.has(id)) problems.push(`operationId ${id} appears twice in the contract`);
    known.add(id);
    const handler = handlers[id];
    if (operation.upstream && handler) {
      problems.push(
        `${id} is bound twice: to x-upstream ${operation.upstream.service} and to an in-process handler`,
      );
    } else if (operation.upstream) {
      bound.set(id, { kind: 'upstream' });
    } else if (handler) {
      bound.set(id, { kind: 'handler', handler });
    } else {
      problems.push(
        `${id} (${operation.method.toUpperCase()} ${operation.path}) is unbound: add x-upstream or a handler`,
      );
    }
  }
  for (const id of Object.keys(handlers)) {
    if (!known.has(id))
      problems.push(`handler ${id} is dangling: no operation of the contract has that operationId`);
  }
  if (problems.length > 0) throw new BindingError(problems);
  return bound;
}
