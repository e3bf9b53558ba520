import { createHmac } from 'node:crypto';
import { request } from 'undici';
import type { Logger } from '../observability/logger';

const WEBHOOK_TIMEOUT_MS = 10_000;

/** `sha256=<hex HMAC-SHA256 of the body>`, the previous product's `X-Spark-Signature`. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** POSTs one swap event to the configured URL; failures are logged, never retried. */
export async function sendWebhook(
  url: string,
  secret: string | null,
  payload: Record<string, unknown>,
  logger: Logger,
): Promise<void> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret) headers['x-spark-signature'] = signature(secret, body);
  try {
    const response = await request(url, {
      method: 'POST',
      headers,
      body,
      headersTimeout: WEBHOOK_TIMEOUT_MS,
      bodyTimeout: WEBHOOK_TIMEOUT_MS,
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body.dump();
    if (response.statusCode >= 300)
      logger.warn({ status: response.statusCode }, 'swap webhook answered with an error');
  } catch (error) {
    logger.warn({ err: (error as Error).message }, 'swap webhook could not be delivered');
  }
}
