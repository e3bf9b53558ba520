import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import busboy from 'busboy';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import type { GatewayConfig } from '../../src/config/config';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { ScriptedUpstream } from '../helpers/scripted-upstream';
import { waitFor } from '../helpers/wait';

let upstream: ScriptedUpstream;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Parses what the upstream received exactly as a multipart server would, boundary included. */
function parseMultipart(headers: http.IncomingHttpHeaders, body: Buffer) {
  const fields: Record<string, string> = {};
  const files: { field: string; filename: string; mimeType: string; data: Buffer }[] = [];
  return new Promise<{ fields: typeof fields; files: typeof files }>((resolve, reject) => {
    const parser = busboy({ headers });
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () =>
        files.push({
          field,
          filename: info.filename ?? '',
          mimeType: info.mimeType,
          data: Buffer.concat(chunks),
        }),
      );
    });
    parser.on('close', () => resolve({ fields, files }));
    parser.on('error', reject);
    parser.end(body);
  });
}
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await new ScriptedUpstream().start();
  gateway = await startTestGateway({
    configure: (config: GatewayConfig) => ({
      ...config,
      services: { ...config.services, parakeet: { ...config.services.parakeet, port: upstream.port } },
    }),
  });
});
afterAll(async () => {
  await gateway.close();
  await upstream.stop();
});

describe('multipart uploads', () => {
  test('a validated upload reaches the upstream byte-exact, with its fields, and the spool is removed', async () => {
    upstream.script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ text: 'ok' }));
    };
    const audio = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < audio.length; i += 1) audio[i] = (i * 31) % 251;
    const form = new FormData();
    form.append('model', 'parakeet-tdt-0.6b-v3');
    form.append('response_format', 'json');
    form.append('file', new Blob([audio], { type: 'audio/wav' }), 'meeting.wav');
    const response = await fetch(`${gateway.baseUrl}/v1/audio/transcriptions`, {
      method: 'POST',
      body: form,
    });
    expect(response.status).toBe(200);
    const received = upstream.requests.at(-1)!;
    const parsed = await parseMultipart(received.headers, received.body);
    expect(parsed.fields).toEqual({ model: 'parakeet-tdt-0.6b-v3', response_format: 'json' });
    expect(parsed.files).toHaveLength(1);
    expect(parsed.files[0]).toMatchObject({ field: 'file', filename: 'meeting.wav', mimeType: 'audio/wav' });
    expect(sha256(parsed.files[0]!.data)).toBe(sha256(audio));
    await waitFor(
      () => readdirSync(gateway.gateway.context.config.uploadDir).length === 0,
      'the spool to be removed',
    );
  });

  test('an upload declared larger than the cap is refused with 413 before it is read', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${gateway.baseUrl}/v1/audio/transcriptions`, {
        method: 'POST',
        headers: {
          'content-type': 'multipart/form-data; boundary=x',
          'content-length': String(300 * 1024 * 1024),
        },
      });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.write('--x\r\n');
    });
    expect(status).toBe(413);
  });

  test('a streamed upload that grows past the cap is cut off with 413 and nothing reaches the upstream', async () => {
    const before = upstream.requests.length;
    const limit = 200 * 1024 * 1024;
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${gateway.baseUrl}/api/audio/diarize-chunk`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (error) => reject(error));
      req.write(
        '--x\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n',
      );
      const block = Buffer.alloc(1024 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent <= limit) {
          sent += block.length;
          if (!req.write(block)) return void req.once('drain', pump);
        }
        req.end('\r\n--x--\r\n');
      };
      pump();
    });
    expect(status).toBe(413);
    expect(upstream.requests.length).toBe(before);
  }, 60_000);
});
