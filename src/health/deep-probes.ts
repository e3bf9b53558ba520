import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FormData } from 'undici';
import type { AppContext } from '../app-context';
import type { ServiceName } from '../config/config';
import { projectRoot } from '../contract/specs';
import { callService, type CallResult } from './call-service';
import { classifyVllm, type VllmActivity } from './vllm-activity';

export type ProbeKind = 'chat' | 'transcription' | 'speech' | 'embedding' | 'collections';

export const PROBE_KINDS: Record<ServiceName, ProbeKind> = {
  vllm: 'chat',
  parakeet: 'transcription',
  kokoro: 'speech',
  embed: 'embedding',
  qdrant: 'collections',
};

export type DeepOutcome =
  | { kind: 'checked'; ok: boolean; idle: boolean; latencyMs: number; detail: string | null }
  /** The probe could not run now (its lane stayed busy); the last result stands. */
  | { kind: 'skipped'; detail: string };

/** A short recording of real speech (espeak-ng, 16 kHz mono): silence or tones skip the decoder paths that wedge. */
const SPEECH_SAMPLE = 'src/health/probes/speech-check.wav';
let speechSample: Buffer | null = null;

function speech(): Buffer {
  speechSample ??= readFileSync(path.join(projectRoot(), SPEECH_SAMPLE));
  return speechSample;
}

const checked = (result: CallResult, ok: boolean, detail: string | null): DeepOutcome => ({
  kind: 'checked',
  ok,
  idle: false,
  latencyMs: result.latencyMs,
  detail: ok ? null : (detail ?? result.error ?? 'unexpected answer'),
});

/**
 * Runs `probe` inside the service's admission lane, so a probe never overlaps a client's request on
 * a GPU process that cannot take two at once.
 */
async function inLane(
  app: AppContext,
  service: ServiceName,
  timeoutMs: number,
  probe: () => Promise<DeepOutcome>,
): Promise<DeepOutcome> {
  const lane = app.lanes.get(app.upstreams.service(service).lane);
  if (!lane) return probe();
  let release: () => void;
  try {
    release = lane.tryAcquire() ?? (await lane.acquire(AbortSignal.timeout(timeoutMs)));
  } catch {
    return { kind: 'skipped', detail: `the ${lane.name} lane stayed busy; not probed this round` };
  }
  try {
    return await probe();
  } finally {
    release();
  }
}

async function probeChat(
  app: AppContext,
  timeoutMs: number,
  activity: () => Promise<VllmActivity>,
): Promise<DeepOutcome> {
  const models = await callService(app, 'vllm', { path: '/v1/models', timeoutMs });
  const data = (models.body as { data?: Array<{ id?: unknown }> } | null)?.data;
  const model = Array.isArray(data) && typeof data[0]?.id === 'string' ? data[0].id : null;
  if (!models.ok || model === null) {
    const health = classifyVllm(false, models.ok ? 'idle' : await activity(), models.error);
    if (health.state === 'up') {
      return {
        kind: 'checked',
        ok: true,
        idle: health.idle,
        latencyMs: models.latencyMs,
        detail: health.detail,
      };
    }
    return checked(
      models,
      false,
      models.ok ? 'vLLM serves no model' : `vLLM does not answer: ${models.error}`,
    );
  }
  const result = await callService(app, 'vllm', {
    method: 'POST',
    path: '/v1/chat/completions',
    json: { model, messages: [{ role: 'user', content: 'Say OK.' }], max_tokens: 1, temperature: 0 },
    timeoutMs,
  });
  const choices = (result.body as { choices?: unknown[] } | null)?.choices;
  return checked(result, result.ok && Array.isArray(choices) && choices.length > 0, null);
}

async function probeTranscription(app: AppContext, timeoutMs: number): Promise<DeepOutcome> {
  const form = new FormData();
  form.append('file', new Blob([speech()], { type: 'audio/wav' }), 'speech-check.wav');
  form.append('response_format', 'json');
  const result = await callService(app, 'parakeet', {
    method: 'POST',
    path: '/v1/audio/transcriptions',
    form,
    timeoutMs,
  });
  const text = (result.body as { text?: unknown } | null)?.text;
  return checked(result, result.ok && typeof text === 'string', null);
}

async function probeSpeech(app: AppContext, timeoutMs: number): Promise<DeepOutcome> {
  const result = await callService(app, 'kokoro', {
    method: 'POST',
    path: '/v1/audio/speech',
    json: { model: 'kokoro', input: 'Hello.', voice: 'af_heart', response_format: 'wav' },
    timeoutMs,
  });
  // A WAV header alone (44 bytes) is not speech.
  return checked(result, result.ok && result.bytes > 44, result.ok ? 'no audio came back' : null);
}

async function probeEmbedding(app: AppContext, timeoutMs: number): Promise<DeepOutcome> {
  const result = await callService(app, 'embed', {
    method: 'POST',
    path: '/v1/embeddings',
    json: { input: 'health check' },
    timeoutMs,
  });
  const vector = (result.body as { data?: Array<{ embedding?: unknown }> } | null)?.data?.[0]?.embedding;
  return checked(
    result,
    result.ok && Array.isArray(vector) && vector.length > 0,
    result.ok ? 'no embedding came back' : null,
  );
}

async function probeCollections(app: AppContext, timeoutMs: number): Promise<DeepOutcome> {
  const result = await callService(app, 'qdrant', { path: '/collections', timeoutMs });
  const collections = (result.body as { result?: { collections?: unknown } } | null)?.result?.collections;
  return checked(result, result.ok && Array.isArray(collections), null);
}

/** Runs the real inference probe of one service (`activity` says what a silent vLLM node is doing). */
export function runDeepProbe(
  app: AppContext,
  service: ServiceName,
  timeoutMs: number,
  activity: () => Promise<VllmActivity>,
): Promise<DeepOutcome> {
  switch (service) {
    case 'vllm':
      return probeChat(app, timeoutMs, activity);
    case 'parakeet':
      return inLane(app, service, timeoutMs, () => probeTranscription(app, timeoutMs));
    case 'kokoro':
      return inLane(app, service, timeoutMs, () => probeSpeech(app, timeoutMs));
    case 'embed':
      return inLane(app, service, timeoutMs, () => probeEmbedding(app, timeoutMs));
    case 'qdrant':
      return probeCollections(app, timeoutMs);
  }
}
