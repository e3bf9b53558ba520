import { routeFamily } from '../errors/envelope';
import type { OperationInfo } from './operations';

const MiB = 1024 * 1024;

/** Default JSON body limits per route family; an operation's `x-body-limit` overrides them. */
export const DEFAULT_BODY_LIMITS = { api: 1 * MiB, openai: 32 * MiB, redaction: 4 * MiB } as const;

export function bodyLimit(operation: OperationInfo): number {
  return operation.bodyLimit ?? DEFAULT_BODY_LIMITS[routeFamily(operation.path)];
}
