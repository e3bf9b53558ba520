import type { IncomingMessage as Request } from 'node:http';
import { GatewayError } from '../errors/catalogue';

export interface JsonBody {
  /** The bytes as the client sent them, forwarded unchanged when the gateway does not rewrite the body. */
  raw: Buffer;
  value: unknown;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/** True for a missing content type or a JSON one (`application/json`, `application/*+json`). */
export function acceptsAsJson(contentType: string | undefined): boolean {
  if (!contentType) return true;
  return JSON_TYPE.test(contentType.split(';')[0]!.trim());
}

/** Reads and parses a JSON request body, refusing more than `limit` bytes without reading them all. */
export async function readJsonBody(req: Request, limit: number): Promise<JsonBody | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new GatewayError('payload_too_large', { detail: `request body is larger than ${limit} bytes` });
  }
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        reject(
          new GatewayError('payload_too_large', { detail: `request body is larger than ${limit} bytes` }),
        );
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
  if (raw.length === 0) return null;
  try {
    return { raw, value: JSON.parse(raw.toString('utf8')) };
  } catch (error) {
    throw new GatewayError('malformed_json', {
      detail: `request body is not valid JSON: ${(error as Error).message}`,
    });
  }
}
