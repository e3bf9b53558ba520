import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { fnv1a } from './deterministic';

/** What the emulator keeps of an uploaded file: never the file itself, only what its answers derive from. */
export interface UploadSummary {
  fileName: string;
  bytes: number;
  /** FNV-1a over the head and the size: distinguishes uploads without hashing hundreds of megabytes. */
  contentHash: number;
  /** The first bytes of the file (enough for any WAV header). */
  head: Buffer;
  /** True when no byte past the head is non-zero (the head is checked by the caller, who knows the format). */
  zeroBeyondHead: boolean;
  fields: Record<string, string>;
}

export class UploadError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

const HEAD_BYTES = 64 * 1024;

/**
 * Stream-parses a multipart upload with a required `file` part, hashing and counting it as it
 * arrives; memory use stays bounded whatever the upload size.
 */
export function receiveUpload(req: IncomingMessage, maxFileBytes: number): Promise<UploadSummary> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: maxFileBytes, fields: 64, fieldSize: 64 * 1024 },
      });
    } catch (error) {
      req.resume();
      reject(new UploadError(400, `expected a multipart/form-data body: ${(error as Error).message}`));
      return;
    }
    const fields: Record<string, string> = {};
    let file: Omit<UploadSummary, 'fields'> | null = null;
    let tooLarge = false;
    const headChunks: Buffer[] = [];
    let headSize = 0;

    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        return;
      }
      const summary = {
        fileName: info.filename ?? '',
        bytes: 0,
        contentHash: fnv1a(''),
        head: Buffer.alloc(0),
        zeroBeyondHead: true,
      };
      file = summary;
      stream.on('data', (chunk: Buffer) => {
        summary.bytes += chunk.length;
        const toHead = Math.min(chunk.length, HEAD_BYTES - headSize);
        if (toHead > 0) {
          summary.contentHash = fnv1a(chunk.subarray(0, toHead), summary.contentHash);
          headChunks.push(chunk.subarray(0, toHead));
          headSize += toHead;
        }
        if (summary.zeroBeyondHead && chunk.subarray(toHead).some((byte) => byte !== 0))
          summary.zeroBeyondHead = false;
      });
      stream.once('limit', () => {
        tooLarge = true;
      });
    });
    parser.once('error', (error: Error) =>
      reject(new UploadError(400, `malformed multipart body: ${error.message}`)),
    );
    parser.once('close', () => {
      if (tooLarge) return reject(new UploadError(413, `file exceeds ${maxFileBytes} bytes`));
      if (!file) return reject(new UploadError(400, 'a `file` part is required'));
      const contentHash = fnv1a(String(file.bytes), file.contentHash);
      resolve({ ...file, contentHash, head: Buffer.concat(headChunks), fields });
    });
    req.once('close', () => {
      if (!req.complete) reject(new UploadError(400, 'the client closed the connection during the upload'));
    });
    req.pipe(parser);
  });
}
