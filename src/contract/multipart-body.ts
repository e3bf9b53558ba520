import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage as Request } from 'node:http';
import { GatewayError } from '../errors/catalogue';

export interface UploadedFile {
  field: string;
  filename: string;
  mimeType: string;
  /** Where the part was spooled on disk; removed when the response ends. */
  path: string;
  size: number;
}

export interface MultipartBody {
  fields: Record<string, string | string[]>;
  files: UploadedFile[];
  /** Deletes the spooled files. Safe to call more than once. */
  cleanup(): Promise<void>;
}

const MAX_FIELDS = 200;
const MAX_FIELD_BYTES = 4 * 1024 * 1024;

/**
 * Streams a multipart/form-data body to disk part by part: uploads are never held whole in
 * memory, and the total is capped at `limit` bytes (413 as soon as it is exceeded).
 */
export async function spoolMultipart(req: Request, limit: number, uploadDir: string): Promise<MultipartBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new GatewayError('payload_too_large', { detail: `request body is larger than ${limit} bytes` });
  }
  const dir = path.join(uploadDir, randomUUID());
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const body: MultipartBody = {
    fields: {},
    files: [],
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: { fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, fileSize: limit, parts: MAX_FIELDS + 64 },
    });
  } catch (error) {
    await body.cleanup();
    throw new GatewayError('malformed_multipart', {
      detail: `request body is not valid multipart/form-data: ${(error as Error).message}`,
    });
  }

  let received = 0;
  let failure: GatewayError | null = null;
  let stopWaiting: () => void = () => {};
  const writes: Promise<void>[] = [];
  // On a failure the rest of the body is drained and discarded; the error answers at once.
  const fail = (error: GatewayError) => {
    failure ??= error;
    req.unpipe(parser);
    req.resume();
    parser.destroy();
    stopWaiting();
  };
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit)
      fail(new GatewayError('payload_too_large', { detail: `request body is larger than ${limit} bytes` }));
  });

  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) {
      fail(
        new GatewayError('payload_too_large', {
          detail: `form field ${name} is larger than ${MAX_FIELD_BYTES} bytes`,
        }),
      );
      return;
    }
    const existing = body.fields[name];
    if (existing === undefined) body.fields[name] = value;
    else body.fields[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  });
  parser.on('file', (field, stream, info) => {
    const file: UploadedFile = {
      field,
      filename: info.filename ?? 'upload',
      mimeType: info.mimeType,
      path: path.join(dir, String(body.files.length)),
      size: 0,
    };
    body.files.push(file);
    stream.on('data', (chunk: Buffer) => {
      file.size += chunk.length;
    });
    stream.on('limit', () =>
      fail(new GatewayError('payload_too_large', { detail: `request body is larger than ${limit} bytes` })),
    );
    const write = pipeline(stream, createWriteStream(file.path, { mode: 0o600 }));
    write.catch(() => undefined); // awaited below; a failed part must not become an unhandled rejection
    writes.push(write);
  });
  for (const event of ['fieldsLimit', 'partsLimit', 'filesLimit'] as const) {
    parser.on(event, () =>
      fail(new GatewayError('payload_too_large', { detail: 'too many form fields or files' })),
    );
  }

  try {
    await new Promise<void>((resolve, reject) => {
      stopWaiting = resolve;
      parser.on('close', resolve);
      parser.on('error', (error: Error) =>
        failure
          ? resolve()
          : reject(
              new GatewayError('malformed_multipart', {
                detail: `request body is not valid multipart/form-data: ${error.message}`,
              }),
            ),
      );
      req.on('aborted', () =>
        reject(new GatewayError('malformed_multipart', { detail: 'the client aborted the upload' })),
      );
      req.pipe(parser);
    });
    await Promise.allSettled(writes);
    if (failure) throw failure;
    await Promise.all(writes);
  } catch (error) {
    await body.cleanup();
    throw error instanceof GatewayError
      ? error
      : new GatewayError('malformed_multipart', {
          detail: `request body could not be read: ${(error as Error).message}`,
        });
  }
  return body;
}
