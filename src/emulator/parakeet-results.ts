import { fnv1a, pick, seededRandom, WORDS } from './deterministic';
import type { UploadSummary } from './multipart-upload';
import { parseWavHeader, wavDurationS } from './wav';

/** What the emulated speech models "hear" in an upload: all of it derived from the bytes. */
export interface AudioFacts {
  durationS: number;
  /** Digital silence (every sample zero): real ASR answers an empty transcript. */
  silent: boolean;
  seed: number;
}

/** Bytes per second assumed for a non-WAV upload (a compressed stream of about 128 kbit/s). */
const COMPRESSED_BYTES_PER_S = 16_000;
const WORDS_PER_S = 2.5;
/** Parakeet's encoder frame: timestamps are multiples of 80 ms. */
const FRAME_S = 0.08;

export const ASR_MODEL = 'nvidia/parakeet-tdt-0.6b-v3';
export const DIARIZATION_MODEL = 'nvidia/diar_sortformer_4spk-v1';
export const EMBEDDING_MODEL = 'nvidia/speakerverification_en_titanet_large';

export function audioFacts(upload: UploadSummary): AudioFacts {
  const wav = parseWavHeader(upload.head);
  if (!wav)
    return { durationS: upload.bytes / COMPRESSED_BYTES_PER_S, silent: false, seed: upload.contentHash };
  const samplesInHead = upload.head.subarray(wav.dataOffset);
  const silent = upload.zeroBeyondHead && samplesInHead.every((byte) => byte === 0);
  return { durationS: wavDurationS(wav, upload.bytes), silent, seed: upload.contentHash };
}

interface Word {
  word: string;
  start: number;
  end: number;
}

function words(facts: AudioFacts): Word[] {
  if (facts.silent) return [];
  const count = Math.max(1, Math.round(facts.durationS * WORDS_PER_S));
  const random = seededRandom(facts.seed);
  const slot = facts.durationS / count;
  return Array.from({ length: count }, (_, i) => ({
    word: pick(WORDS, random),
    start: frame(i * slot),
    end: frame((i + 0.8) * slot),
  }));
}

export const TRANSCRIPTION_FORMATS = ['json', 'text', 'verbose_json'];

export function transcription(
  facts: AudioFacts,
  responseFormat: string,
): { contentType: string; body: string } {
  const heard = words(facts);
  const text = heard.map((w) => w.word).join(' ');
  if (responseFormat === 'text') return { contentType: 'text/plain; charset=utf-8', body: text };
  if (responseFormat !== 'verbose_json')
    return { contentType: 'application/json', body: JSON.stringify({ text }) };
  const segments = [];
  for (let i = 0; i < heard.length; i += 12) {
    const part = heard.slice(i, i + 12);
    segments.push({
      id: segments.length,
      start: part[0]?.start ?? 0,
      end: part.at(-1)?.end ?? 0,
      text: part.map((w) => w.word).join(' '),
    });
  }
  const verbose = {
    task: 'transcribe',
    language: 'en',
    duration: round(facts.durationS),
    text,
    segments,
    words: heard,
  };
  return { contentType: 'application/json', body: JSON.stringify(verbose) };
}

interface SpeakerTurn {
  start_s: number;
  end_s: number;
  speaker: string;
  confidence: number;
}

/** Sortformer-like turns (at most 4 speakers) and, for diarize-chunk, one 192-d TitaNet fingerprint per speaker. */
export function diarization(facts: AudioFacts, withFingerprints: boolean): Record<string, unknown> {
  const random = seededRandom(facts.seed ^ 0x5eed);
  const speakerCount = facts.silent
    ? 0
    : 1 + Math.floor(random() * Math.min(4, Math.ceil(facts.durationS / 10)));
  const segments: SpeakerTurn[] = [];
  for (let start = 0; speakerCount > 0 && start < facts.durationS;) {
    const end = Math.min(facts.durationS, start + 1.5 + random() * 4.5);
    const speaker = `Speaker_${Math.floor(random() * speakerCount)}`;
    segments.push({
      start_s: round(start),
      end_s: round(end),
      speaker,
      confidence: round(0.6 + random() * 0.39),
    });
    start = end + 0.2;
  }
  const speakers = [...new Set(segments.map((s) => s.speaker))].sort();
  const result: Record<string, unknown> = {
    duration: round(facts.durationS),
    segments: withFingerprints ? segments : segments.map(({ confidence: _, ...turn }) => turn),
    speakers_detected: speakers,
  };
  if (!withFingerprints) return { ...result, models: { diarization: DIARIZATION_MODEL } };
  const fingerprints = Object.fromEntries(
    speakers.map((speaker) => [speaker, fingerprint(facts.seed, speaker)]),
  );
  return { ...result, fingerprints, models: { diarization: DIARIZATION_MODEL, embedding: EMBEDDING_MODEL } };
}

/** A unit-length 192-d vector, stable for the same upload and speaker label. */
function fingerprint(seed: number, speaker: string): number[] {
  const random = seededRandom(fnv1a(speaker, seed));
  const vector = Array.from({ length: 192 }, () => random() * 2 - 1);
  const norm = Math.hypot(...vector);
  return vector.map((v) => Number((v / norm).toFixed(6)));
}

function frame(seconds: number): number {
  return round(Math.round(seconds / FRAME_S) * FRAME_S);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
