import { fnv1a } from './deterministic';
import { BodyTooLargeError, InvalidJsonError, isRecord, readJson, sendJson } from './http-io';
import { HttpService, sleep, type HttpServiceOptions, type RequestContext } from './http-service';
import { wavHeader } from './wav';

export interface KokoroEmulatorOptions extends HttpServiceOptions {
  /** Pause between streamed audio chunks (synthesis time). Default 0. */
  chunkIntervalMs?: number;
}

export const KOKORO_VOICES = [
  'af_heart',
  'af_bella',
  'af_nicole',
  'af_sarah',
  'af_sky',
  'am_adam',
  'am_michael',
  'bf_emma',
  'bf_isabella',
  'bm_george',
  'bm_lewis',
] as const;

/** OpenAI voice names Kokoro-FastAPI resolves to its own voices. */
const OPENAI_VOICES: Record<string, string> = {
  alloy: 'am_adam',
  echo: 'af_bella',
  fable: 'af_sarah',
  nova: 'bf_isabella',
  onyx: 'bm_george',
  shimmer: 'af_sky',
};

const MODELS = ['tts-1', 'tts-1-hd', 'kokoro', 'gpt-4o-mini-tts'];
const FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'];
const SAMPLE_RATE = 24_000;
const CHARS_PER_S = 15;
const CHUNK_SAMPLES = SAMPLE_RATE / 4;
const AMPLITUDE = 0.03 * 32_767;

interface SpeechRequest {
  text: string;
  voice: string;
  format: 'wav' | 'pcm';
  speed: number;
  stream: boolean;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super('request rejected');
  }
}

/**
 * Kokoro-FastAPI. Speech is a quiet deterministic tone (its pitch depends on the voice) whose length
 * follows the input text; WAV and raw PCM are produced honestly, compressed formats are refused.
 */
export class KokoroEmulator extends HttpService {
  chunkIntervalMs: number;

  constructor(options: KokoroEmulatorOptions = {}) {
    super('kokoro', options);
    this.chunkIntervalMs = options.chunkIntervalMs ?? 0;
  }

  protected async handle(ctx: RequestContext): Promise<void> {
    const { method, path, res } = ctx;
    const route = `${method} ${path}`;
    if (route === 'GET /health') return sendJson(res, 200, { status: 'healthy' });
    if (route === 'GET /v1/audio/voices') {
      return sendJson(res, 200, { voices: KOKORO_VOICES.map((id) => ({ id, name: id })) });
    }
    if (route === 'GET /v1/models') {
      const created = Math.floor(Date.now() / 1000);
      return sendJson(res, 200, {
        object: 'list',
        data: MODELS.map((id) => ({ id, object: 'model', created, owned_by: 'kokoro' })),
      });
    }
    if (route === 'POST /v1/audio/speech') return this.speech(ctx);
    sendJson(res, 404, { detail: 'Not Found' });
  }

  private async speech(ctx: RequestContext): Promise<void> {
    let request: SpeechRequest;
    try {
      request = parse(await readJson(ctx.req, 1024 * 1024));
    } catch (error) {
      if (error instanceof ApiError) return sendJson(ctx.res, error.status, error.body);
      if (error instanceof InvalidJsonError || error instanceof BodyTooLargeError) {
        return sendJson(ctx.res, 422, fieldError('json_invalid', ['body', 0], error.message));
      }
      throw error;
    }
    const samples = Math.max(
      CHUNK_SAMPLES,
      Math.round((SAMPLE_RATE * request.text.length) / CHARS_PER_S / request.speed),
    );
    const dataBytes = samples * 2;
    const frequency = 150 + (fnv1a(request.voice) % 200);
    const header =
      request.format === 'wav'
        ? wavHeader({ sampleRate: SAMPLE_RATE, channels: 1, bitsPerSample: 16 }, dataBytes)
        : null;
    const headers: Record<string, string> = {
      'content-type': request.format === 'wav' ? 'audio/wav' : 'audio/pcm',
      'content-disposition': `attachment; filename=speech.${request.format}`,
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    };

    if (!request.stream) {
      const body = Buffer.concat([header ?? Buffer.alloc(0), tone(0, samples, frequency)]);
      ctx.res.writeHead(200, { ...headers, 'content-length': body.length });
      ctx.res.end(body);
      return;
    }
    const stream = this.openStream(ctx, 200, headers);
    for (let offset = 0; offset < samples; offset += CHUNK_SAMPLES) {
      if (offset > 0) await sleep(this.chunkIntervalMs, ctx.signal);
      const pcm = tone(offset, Math.min(CHUNK_SAMPLES, samples - offset), frequency);
      const chunk = offset === 0 && header ? Buffer.concat([header, pcm]) : pcm;
      if (!(await stream.write(chunk))) return;
    }
    stream.end();
  }
}

/** 16-bit little-endian samples of a sine at `frequency`, starting at sample `offset`. */
function tone(offset: number, count: number, frequency: number): Buffer {
  const pcm = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) {
    const t = (offset + i) / SAMPLE_RATE;
    pcm.writeInt16LE(Math.round(AMPLITUDE * Math.sin(2 * Math.PI * frequency * t)), i * 2);
  }
  return pcm;
}

function parse(body: unknown): SpeechRequest {
  if (!isRecord(body))
    throw new ApiError(422, fieldError('model_attributes_type', ['body'], 'Input should be an object'));
  const model = body.model ?? 'kokoro';
  if (typeof model !== 'string' || !MODELS.includes(model)) {
    throw new ApiError(400, kokoroError('invalid_model', `Unsupported model: ${String(model)}`));
  }
  if (typeof body.input !== 'string') {
    const missing = body.input === undefined;
    throw new ApiError(
      422,
      fieldError(
        missing ? 'missing' : 'string_type',
        ['body', 'input'],
        missing ? 'Field required' : 'Input should be a valid string',
      ),
    );
  }
  if (body.input.trim() === '')
    throw new ApiError(400, kokoroError('validation_error', 'Input text cannot be empty'));
  const voice = body.voice ?? 'af_heart';
  if (typeof voice !== 'string')
    throw new ApiError(422, fieldError('string_type', ['body', 'voice'], 'Input should be a valid string'));
  const resolved = resolveVoice(voice);
  if (resolved === null) {
    throw new ApiError(
      400,
      kokoroError(
        'validation_error',
        `Voice '${voice}' not found. Available voices: ${KOKORO_VOICES.join(', ')}`,
      ),
    );
  }
  const format = body.response_format ?? 'mp3';
  if (typeof format !== 'string' || !FORMATS.includes(format)) {
    throw new ApiError(
      422,
      fieldError(
        'literal_error',
        ['body', 'response_format'],
        `Input should be ${FORMATS.map((f) => `'${f}'`).join(', ')}`,
      ),
    );
  }
  // mp3 is Kokoro's default; the emulator answers WAV for it rather than pretend to encode MP3.
  if (format !== 'wav' && format !== 'pcm' && body.response_format !== undefined) {
    throw new ApiError(
      400,
      kokoroError('validation_error', `The emulated Kokoro cannot encode '${format}'; ask for wav or pcm`),
    );
  }
  const speed = body.speed ?? 1.0;
  if (typeof speed !== 'number' || speed < 0.25 || speed > 4) {
    throw new ApiError(
      422,
      fieldError('less_than_equal', ['body', 'speed'], 'Input should be between 0.25 and 4.0'),
    );
  }
  const stream = body.stream ?? true;
  if (typeof stream !== 'boolean')
    throw new ApiError(422, fieldError('bool_type', ['body', 'stream'], 'Input should be a valid boolean'));
  return { text: body.input, voice: resolved, format: format === 'pcm' ? 'pcm' : 'wav', speed, stream };
}

/** A voice name, an OpenAI alias, or a mix such as `af_bella(2)+af_sky`; null when a part is unknown. */
function resolveVoice(voice: string): string | null {
  const parts = voice.split('+').map((part) => part.trim().replace(/\(\d+(\.\d+)?\)$/, ''));
  const resolved = parts.map((part) => OPENAI_VOICES[part] ?? part);
  if (resolved.some((part) => !(KOKORO_VOICES as readonly string[]).includes(part))) return null;
  return resolved.join('+');
}

function kokoroError(error: string, message: string) {
  return { detail: { error, message, type: 'invalid_request_error' } };
}

/** FastAPI's request-validation body. */
function fieldError(type: string, loc: (string | number)[], msg: string) {
  return { detail: [{ type, loc, msg }] };
}
