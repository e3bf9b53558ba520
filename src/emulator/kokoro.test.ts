import { request } from 'undici';
import { KokoroEmulator } from './kokoro';
import { parseWavHeader } from './wav';

async function speech(kokoro: KokoroEmulator, body: unknown) {
  const res = await request(`${kokoro.baseUrl}/v1/audio/speech`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
}

describe('KokoroEmulator', () => {
  const kokoro = new KokoroEmulator();
  beforeAll(() => kokoro.start());
  afterAll(() => kokoro.stop());

  test('health, voices and models', async () => {
    expect(await (await request(`${kokoro.baseUrl}/health`)).body.json()).toEqual({ status: 'healthy' });
    const voices = (await (await request(`${kokoro.baseUrl}/v1/audio/voices`)).body.json()) as {
      voices: { id: string; name: string }[];
    };
    expect(voices.voices.map((v) => v.id)).toEqual(
      expect.arrayContaining(['af_heart', 'af_bella', 'am_adam', 'bf_emma', 'bm_george']),
    );
    const models = (await (await request(`${kokoro.baseUrl}/v1/models`)).body.json()) as {
      data: { id: string }[];
    };
    expect(models.data.map((m) => m.id)).toContain('kokoro');
  });

  test('speech is a valid 24 kHz mono 16-bit WAV whose length follows the text', async () => {
    const short = await speech(kokoro, {
      input: 'Hello there, cluster.',
      voice: 'af_heart',
      response_format: 'wav',
    });
    expect(short.status).toBe(200);
    expect(short.headers['content-type']).toBe('audio/wav');
    expect(short.headers['transfer-encoding']).toBe('chunked');
    const info = parseWavHeader(short.body);
    expect(info).toMatchObject({
      sampleRate: 24_000,
      channels: 1,
      bitsPerSample: 16,
      byteRate: 48_000,
      dataOffset: 44,
    });
    expect(short.body.toString('ascii', 0, 4)).toBe('RIFF');
    expect(short.body.readUInt32LE(4)).toBe(short.body.length - 8);
    expect(info?.declaredDataBytes).toBe(short.body.length - 44);

    const again = await speech(kokoro, {
      input: 'Hello there, cluster.',
      voice: 'af_heart',
      response_format: 'wav',
    });
    expect(again.body.equals(short.body)).toBe(true);
    const long = await speech(kokoro, { input: 'Hello there, cluster. '.repeat(10), voice: 'af_heart' });
    expect(long.body.length).toBeGreaterThan(short.body.length * 5);
    expect(parseWavHeader(long.body)?.sampleRate).toBe(24_000);

    const whole = await speech(kokoro, { input: 'Hello there, cluster.', voice: 'alloy', stream: false });
    expect(Number(whole.headers['content-length'])).toBe(whole.body.length);
  });

  test('pcm is the raw samples without a header', async () => {
    const wav = await speech(kokoro, { input: 'Some words.', voice: 'bf_emma', response_format: 'wav' });
    const pcm = await speech(kokoro, { input: 'Some words.', voice: 'bf_emma', response_format: 'pcm' });
    expect(pcm.headers['content-type']).toBe('audio/pcm');
    expect(pcm.body.equals(wav.body.subarray(44))).toBe(true);
  });

  test('validation errors use the Kokoro envelope', async () => {
    const voice = await speech(kokoro, { input: 'Hi', voice: 'zz_nobody' });
    expect(voice.status).toBe(400);
    expect(JSON.parse(voice.body.toString())).toEqual({
      detail: {
        error: 'validation_error',
        message: expect.stringContaining('zz_nobody'),
        type: 'invalid_request_error',
      },
    });
    const empty = await speech(kokoro, { input: '   ', voice: 'af_heart' });
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.body.toString()).detail.error).toBe('validation_error');
    expect((await speech(kokoro, { input: 'Hi', response_format: 'mp3' })).status).toBe(400);
    expect((await speech(kokoro, { input: 'Hi', model: 'whisper-1' })).status).toBe(400);
    expect((await speech(kokoro, { voice: 'af_heart' })).status).toBe(422);
  });
});
