import { request } from 'undici';
import { ParakeetEmulator } from './parakeet';
import { wavHeader } from './wav';

/** A 16 kHz mono 16-bit WAV of `seconds`; silent or with a ramp signal. */
function wav(seconds: number, silent = false): Buffer {
  const samples = Math.round(16_000 * seconds);
  const pcm = Buffer.alloc(samples * 2);
  if (!silent) for (let i = 0; i < samples; i++) pcm.writeInt16LE((i % 200) * 50, i * 2);
  return Buffer.concat([wavHeader({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 }, pcm.length), pcm]);
}

function upload(
  service: ParakeetEmulator,
  path: string,
  file: Buffer | null,
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) form.append('file', new Blob([file], { type: 'audio/wav' }), 'clip.wav');
  return fetch(`${service.baseUrl}${path}`, { method: 'POST', body: form });
}

describe('ParakeetEmulator', () => {
  const parakeet = new ParakeetEmulator({ processingMs: 5 });
  beforeAll(() => parakeet.start());
  afterAll(() => parakeet.stop());

  test('health and models', async () => {
    expect(await (await request(`${parakeet.baseUrl}/health`)).body.json()).toEqual({ status: 'ok' });
    const models = (await (await request(`${parakeet.baseUrl}/v1/models`)).body.json()) as {
      data: { id: string }[];
    };
    expect(models.data[0]?.id).toBe('nvidia/parakeet-tdt-0.6b-v3');
  });

  test('transcription is derived from the upload: deterministic, longer audio gives more words', async () => {
    const first = (await (await upload(parakeet, '/v1/audio/transcriptions', wav(4))).json()) as {
      text: string;
    };
    const again = (await (await upload(parakeet, '/v1/audio/transcriptions', wav(4))).json()) as {
      text: string;
    };
    const longer = (await (await upload(parakeet, '/v1/audio/transcriptions', wav(12))).json()) as {
      text: string;
    };
    expect(first.text).toBe(again.text);
    expect(first.text.split(' ')).toHaveLength(10);
    expect(longer.text.split(' ')).toHaveLength(30);
    const silence = (await (await upload(parakeet, '/v1/audio/transcriptions', wav(1, true))).json()) as {
      text: string;
    };
    expect(silence.text).toBe('');
    const text = await upload(parakeet, '/v1/audio/transcriptions', wav(2), { response_format: 'text' });
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    const verbose = (await (
      await upload(parakeet, '/v1/audio/transcriptions', wav(6), { response_format: 'verbose_json' })
    ).json()) as { duration: number; words: unknown[]; segments: unknown[] };
    expect(verbose.duration).toBe(6);
    expect(verbose.words).toHaveLength(15);
  });

  test('diarize-chunk: duration from the WAV header, segments, 192-d fingerprints', async () => {
    const res = await upload(parakeet, '/v1/audio/diarize-chunk', wav(30));
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      duration: number;
      segments: { start_s: number; end_s: number; speaker: string; confidence: number }[];
      speakers_detected: string[];
      fingerprints: Record<string, number[]>;
      models: Record<string, string>;
    };
    expect(body.duration).toBe(30);
    expect(body.segments.length).toBeGreaterThan(3);
    for (const s of body.segments) {
      expect(s.end_s).toBeGreaterThan(s.start_s);
      expect(s.end_s).toBeLessThanOrEqual(30);
      expect(body.speakers_detected).toContain(s.speaker);
      expect(s.confidence).toBeGreaterThanOrEqual(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
    }
    expect(Object.keys(body.fingerprints).sort()).toEqual(body.speakers_detected);
    for (const vector of Object.values(body.fingerprints)) expect(vector).toHaveLength(192);
    expect(body.models).toEqual({
      diarization: 'nvidia/diar_sortformer_4spk-v1',
      embedding: 'nvidia/speakerverification_en_titanet_large',
    });
    const whole = (await (await upload(parakeet, '/v1/audio/diarize', wav(30))).json()) as Record<
      string,
      unknown
    >;
    expect(whole).toHaveProperty('segments');
    expect(whole).not.toHaveProperty('fingerprints');
  });

  test('a non-WAV upload gets a duration from its size', async () => {
    const res = await upload(parakeet, '/v1/audio/diarize-chunk', Buffer.alloc(160_000, 7));
    expect(((await res.json()) as { duration: number }).duration).toBe(10);
  });

  test('a request without a file part is refused with 400', async () => {
    const res = await upload(parakeet, '/v1/audio/transcriptions', null, { model: 'parakeet' });
    expect(res.status).toBe(400);
    const notMultipart = await fetch(`${parakeet.baseUrl}/v1/audio/transcriptions`, {
      method: 'POST',
      body: '{}',
    });
    expect(notMultipart.status).toBe(400);
  });

  test('race detector: overlapping GPU requests both fail with CUFFT_INTERNAL_ERROR; sequential ones succeed', async () => {
    parakeet.processingMs = 150;
    const before = parakeet.raceFailures;
    const [a, b] = await Promise.all([
      upload(parakeet, '/v1/audio/transcriptions', wav(2)),
      upload(parakeet, '/v1/audio/diarize-chunk', wav(2)),
    ]);
    expect([a.status, b.status]).toEqual([500, 500]);
    expect(await a.text()).toContain('CUFFT_INTERNAL_ERROR');
    expect(await b.text()).toContain('CUFFT_INTERNAL_ERROR');
    expect(parakeet.raceFailures).toBe(before + 2);

    parakeet.processingMs = 20;
    expect((await upload(parakeet, '/v1/audio/transcriptions', wav(2))).status).toBe(200);
    expect((await upload(parakeet, '/v1/audio/diarize-chunk', wav(2))).status).toBe(200);
    expect(parakeet.raceFailures).toBe(before + 2);
    parakeet.processingMs = 5;
  });

  test('a wedged process answers 500 cudaErrorUnknown until restarted', async () => {
    parakeet.wedge();
    for (let i = 0; i < 2; i++) {
      const res = await upload(parakeet, '/v1/audio/transcriptions', wav(1));
      expect(res.status).toBe(500);
      expect(await res.text()).toContain('cudaErrorUnknown');
    }
    expect(await (await request(`${parakeet.baseUrl}/health`)).body.json()).toEqual({ status: 'ok' });
    await parakeet.restart();
    // Let the client notice that the restart closed its keep-alive connections.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await upload(parakeet, '/v1/audio/transcriptions', wav(1))).status).toBe(200);
  });
});
