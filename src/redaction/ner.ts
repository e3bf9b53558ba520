import { request } from 'undici';
import type { AppContext } from '../app-context';
import { GatewayError } from '../errors/catalogue';
import { getFromService } from '../upstream/fetch-json';
import type { NerEntities } from './engine/types';

/**
 * The NER backstop: the local LLM (vLLM on the cluster, through the gateway's own lane) is asked
 * for the person, organisation and place names in the text. It is load-bearing, so it fails
 * closed: anything but a well-formed answer for every piece of text is `ner_unavailable`.
 */

const SYSTEM_PROMPT = [
  'You find names in text for a privacy filter.',
  'Return ONLY a JSON object of the form {"persons": [...], "orgs": [...], "locations": [...]}.',
  'persons: names of people (full names, surnames, first names, nicknames).',
  'orgs: names of companies, funds, banks, institutions and other organisations.',
  'locations: names of cities, regions, countries, streets, buildings and other places.',
  'Copy each name exactly as it is written in the text. Do not explain. Do not add other keys.',
  'When there are no names, return {"persons": [], "orgs": [], "locations": []}.',
].join('\n');

/** Text per LLM call; longer items are split with an overlap so a name on a cut is still seen whole. */
const PIECE_CHARS = 8_000;
const OVERLAP_CHARS = 200;
const PARALLEL_CALLS = 4;
const MAX_NAME_CHARS = 512;
const MAX_NAMES_PER_ANSWER = 2_000;
const MODEL_LIST_TIMEOUT_MS = 2_000;

export function splitIntoPieces(texts: readonly string[]): string[] {
  const pieces: string[] = [];
  let batch = '';
  const pushBatch = () => {
    if (batch.trim() !== '') pieces.push(batch);
    batch = '';
  };
  for (const text of texts) {
    if (text.length > PIECE_CHARS) {
      pushBatch();
      for (let start = 0; start < text.length; start += PIECE_CHARS - OVERLAP_CHARS) {
        pieces.push(text.slice(start, start + PIECE_CHARS));
        if (start + PIECE_CHARS >= text.length) break;
      }
      continue;
    }
    if (batch.length + text.length + 2 > PIECE_CHARS) pushBatch();
    batch += (batch ? '\n\n' : '') + text;
  }
  pushBatch();
  return pieces;
}

function unavailable(detail: string): GatewayError {
  return new GatewayError('ner_unavailable', { detail: `${detail}; nothing was scrubbed` });
}

/** Strips what chat models wrap JSON in: reasoning blocks and Markdown fences. */
function unwrap(content: string): string {
  return content
    .replace(/<think>[\s\S]*?<\/think>/g, '')
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '')
    .trim();
}

function nameList(value: unknown): string[] | null {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return null;
  const names: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') return null;
    const name = item.trim();
    if (name !== '' && name.length <= MAX_NAME_CHARS) names.push(name);
  }
  return names;
}

/** The names in one answer, or null when the answer is not the JSON object the prompt asks for. */
export function parseNerAnswer(
  content: unknown,
): { persons: string[]; orgs: string[]; locations: string[] } | null {
  if (typeof content !== 'string' || content.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(unwrap(content));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const answer = parsed as Record<string, unknown>;
  if (!('persons' in answer) && !('orgs' in answer) && !('locations' in answer)) return null;
  const persons = nameList(answer.persons);
  const orgs = nameList(answer.orgs);
  const locations = nameList(answer.locations);
  if (!persons || !orgs || !locations) return null;
  if (persons.length + orgs.length + locations.length > MAX_NAMES_PER_ANSWER) return null;
  return { persons, orgs, locations };
}

/** The model to ask: the catalog's default when it is served, else whatever vLLM serves. */
async function servedModel(app: AppContext): Promise<string> {
  const answer = await getFromService(app, 'vllm', '/v1/models', MODEL_LIST_TIMEOUT_MS);
  const data = (answer.body as { data?: unknown } | null)?.data;
  if (!answer.ok || !Array.isArray(data)) throw unavailable('the local LLM is not reachable');
  const served = data
    .map((entry) => (entry as { id?: unknown })?.id)
    .filter((id): id is string => typeof id === 'string' && id !== '');
  if (served.length === 0) throw unavailable('no model is loaded on the local LLM');
  const preferred = app.catalog.servedNameFor('default');
  return preferred && served.includes(preferred) ? preferred : served[0]!;
}

async function askOnce(
  app: AppContext,
  origin: string,
  model: string,
  text: string,
  signal: AbortSignal,
): Promise<{ persons: string[]; orgs: string[]; locations: string[] }> {
  let response;
  try {
    response = await request(`${origin}/v1/chat/completions`, {
      method: 'POST',
      dispatcher: app.upstreams.dispatcher('vllm'),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model,
        temperature: 0,
        max_tokens: 2_048,
        response_format: { type: 'json_object' },
        chat_template_kwargs: { enable_thinking: false },
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: text },
        ],
      }),
      signal,
    });
  } catch {
    throw unavailable(
      signal.aborted ? 'the local LLM did not answer in time' : 'the local LLM is not reachable',
    );
  }
  let body: unknown;
  try {
    body = await response.body.json();
  } catch {
    throw unavailable('the local LLM answered with something that is not JSON');
  }
  if (response.statusCode !== 200) throw unavailable(`the local LLM answered HTTP ${response.statusCode}`);
  const content = (body as { choices?: { message?: { content?: unknown } }[] })?.choices?.[0]?.message
    ?.content;
  const names = parseNerAnswer(content);
  if (!names) throw unavailable('the local LLM answered with a malformed or empty result');
  return names;
}

/**
 * Asks the local LLM for the names in `texts`. Throws `ner_unavailable` when it is disabled,
 * unreachable, busy (its lane is full), too slow or answers garbage for any piece.
 */
export async function findNames(
  app: AppContext,
  texts: readonly string[],
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<NerEntities> {
  const service = app.upstreams.service('vllm');
  const origin = app.upstreams.origin('vllm');
  if (service.disabled || !origin) throw unavailable('the local LLM is disabled or not configured');
  const lane = app.lanes.get(service.lane);
  if (!lane) throw new Error(`no lane named ${service.lane}`);
  const pieces = splitIntoPieces(texts);
  if (pieces.length === 0) return { persons: [], orgs: [], locations: [] };
  // The first failure stops the other calls: the whole scrub fails anyway.
  const failed = new AbortController();
  const signal = AbortSignal.any([
    AbortSignal.timeout(options.timeoutMs),
    failed.signal,
    ...(options.signal ? [options.signal] : []),
  ]);
  const model = await servedModel(app);
  const persons = new Set<string>();
  const orgs = new Set<string>();
  const locations = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < pieces.length) {
      const piece = pieces[next++]!;
      let release;
      try {
        release = lane.tryAcquire() ?? (await lane.acquire(signal));
      } catch {
        throw unavailable('the local LLM is busy');
      }
      try {
        const names = await askOnce(app, origin, model, piece, signal);
        names.persons.forEach((name) => persons.add(name));
        names.orgs.forEach((name) => orgs.add(name));
        names.locations.forEach((name) => locations.add(name));
      } finally {
        release();
      }
    }
  };
  const guarded = async () => {
    try {
      await worker();
    } catch (error) {
      failed.abort();
      throw error;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_CALLS, pieces.length) }, guarded));
  return { persons: [...persons], orgs: [...orgs], locations: [...locations] };
}
