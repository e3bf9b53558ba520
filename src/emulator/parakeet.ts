import { sendJson, sendText } from './http-io';
import { HttpService, sleep, type HttpServiceOptions, type RequestContext } from './http-service';
import { receiveUpload, UploadError, type UploadSummary } from './multipart-upload';
import { ASR_MODEL, audioFacts, diarization, transcription, TRANSCRIPTION_FORMATS } from './parakeet-results';

export interface ParakeetEmulatorOptions extends HttpServiceOptions {
  /** GPU time per request, after the upload is received. Default 5 ms. */
  processingMs?: number;
  /** Upload cap; larger files answer 413. Default 200 MB (the original gateway's limit). */
  maxUploadBytes?: number;
}

interface GpuJob {
  /** Set when another GPU request overlapped this one: both fail, as in the real NeMo process. */
  collided: boolean;
}

const GPU_ROUTES = new Set(['/v1/audio/transcriptions', '/v1/audio/diarize', '/v1/audio/diarize-chunk']);

/**
 * The parakeet-asr container (Parakeet TDT + Sortformer + TitaNet behind FastAPI). Its NeMo process is
 * not re-entrant: a GPU request that arrives while another is in flight makes both fail with a cuFFT
 * error, which is what the gateway's one-at-a-time speech lane exists to prevent.
 */
export class ParakeetEmulator extends HttpService {
  processingMs: number;
  /** Requests that failed because they overlapped another GPU request. */
  raceFailures = 0;
  /** GPU requests answered successfully. */
  completedRequests = 0;

  private readonly maxUploadBytes: number;
  private readonly inFlight = new Set<GpuJob>();
  private wedged = false;

  constructor(options: ParakeetEmulatorOptions = {}) {
    super('parakeet', options);
    this.processingMs = options.processingMs ?? 5;
    this.maxUploadBytes = options.maxUploadBytes ?? 200 * 1024 * 1024;
  }

  get isWedged(): boolean {
    return this.wedged;
  }

  /** The CUDA context is poisoned: every GPU request answers 500 until the process restarts. */
  wedge(): void {
    this.wedged = true;
  }

  protected override onUp(): void {
    this.wedged = false;
    this.inFlight.clear();
    super.onUp();
  }

  protected async handle(ctx: RequestContext): Promise<void> {
    const { method, path, res } = ctx;
    if (method === 'GET' && path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (method === 'GET' && path === '/v1/models') {
      const created = Math.floor(Date.now() / 1000);
      return sendJson(res, 200, {
        object: 'list',
        data: [{ id: ASR_MODEL, object: 'model', created, owned_by: 'nvidia' }],
      });
    }
    if (GPU_ROUTES.has(path)) {
      if (method !== 'POST') return sendJson(res, 405, { detail: 'Method Not Allowed' });
      return this.runOnGpu(ctx);
    }
    sendJson(res, 404, { detail: 'Not Found' });
  }

  private async runOnGpu(ctx: RequestContext): Promise<void> {
    const job: GpuJob = { collided: false };
    if (this.inFlight.size > 0) {
      job.collided = true;
      for (const other of this.inFlight) other.collided = true;
    }
    this.inFlight.add(job);
    try {
      let upload: UploadSummary;
      try {
        upload = await receiveUpload(ctx.req, this.maxUploadBytes);
      } catch (error) {
        if (!(error instanceof UploadError)) throw error;
        return sendJson(ctx.res, error.status, { detail: error.message });
      }
      const format = upload.fields.response_format ?? 'json';
      if (ctx.path === '/v1/audio/transcriptions' && !TRANSCRIPTION_FORMATS.includes(format)) {
        return sendJson(ctx.res, 400, {
          detail: `response_format '${format}' is not supported by the emulator (${TRANSCRIPTION_FORMATS.join(', ')})`,
        });
      }
      await sleep(this.processingMs, ctx.signal);
      if (ctx.signal.aborted) return;
      if (this.wedged) {
        return sendJson(ctx.res, 500, {
          detail:
            'CUDA error: unspecified launch failure (cudaErrorUnknown). CUDA kernel errors might be asynchronously reported.',
        });
      }
      if (job.collided) {
        this.raceFailures++;
        return sendJson(ctx.res, 500, {
          detail: 'cuFFT error: CUFFT_INTERNAL_ERROR (concurrent GPU requests raced on the shared FFT plan)',
        });
      }
      this.completedRequests++;
      this.answer(ctx, upload);
    } finally {
      this.inFlight.delete(job);
    }
  }

  private answer(ctx: RequestContext, upload: UploadSummary): void {
    const facts = audioFacts(upload);
    if (ctx.path === '/v1/audio/transcriptions') {
      const { contentType, body } = transcription(facts, upload.fields.response_format ?? 'json');
      return sendText(ctx.res, 200, body, contentType);
    }
    sendJson(ctx.res, 200, diarization(facts, ctx.path === '/v1/audio/diarize-chunk'));
  }
}
