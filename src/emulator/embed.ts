import { randomUUID } from 'node:crypto';
import { fnv1a, seededRandom } from './deterministic';
import { BodyTooLargeError, InvalidJsonError, isRecord, readJson, sendEmpty, sendJson } from './http-io';
import { HttpService, type HttpServiceOptions, type RequestContext } from './http-service';

export const EMBED_MODEL = 'BAAI/bge-m3';
export const RERANK_MODEL = 'BAAI/bge-reranker-v2-m3';
export const EMBED_DIMENSIONS = 1024;

const MAX_BATCH = 2048;
const BODY_LIMIT_BYTES = 16 * 1024 * 1024;

class TeiError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: 'Empty' | 'Validation',
    message: string,
  ) {
    super(message);
  }
}

/**
 * spark-embed (bge-m3 + bge-reranker-v2-m3). Embeddings are bags of hashed word vectors, so texts that
 * share words are close; rerank scores are raw logits from query-word coverage. Errors use TEI's body
 * `{error, error_type}` and status mapping, which the container mirrors.
 */
export class EmbedEmulator extends HttpService {
  constructor(options: HttpServiceOptions = {}) {
    super('embed', options);
  }

  protected async handle(ctx: RequestContext): Promise<void> {
    const { method, path, res } = ctx;
    const route = `${method} ${path}`;
    if (route === 'GET /health') return sendEmpty(res, 200);
    if (route === 'GET /v1/models') {
      const created = Math.floor(Date.now() / 1000);
      return sendJson(res, 200, {
        object: 'list',
        data: [EMBED_MODEL, RERANK_MODEL].map((id) => ({
          id,
          object: 'model',
          created,
          owned_by: 'spark-embed',
        })),
      });
    }
    if (route !== 'POST /v1/embeddings' && route !== 'POST /v1/rerank')
      return sendJson(res, 404, { detail: 'Not Found' });
    try {
      const body = await readJson(ctx.req, BODY_LIMIT_BYTES);
      if (!isRecord(body)) throw new TeiError(422, 'Validation', 'the body must be a JSON object');
      sendJson(res, 200, path === '/v1/embeddings' ? embeddings(body) : rerank(body));
    } catch (error) {
      if (error instanceof TeiError)
        return sendJson(res, error.status, { error: error.message, error_type: error.errorType });
      if (error instanceof BodyTooLargeError)
        return sendJson(res, 413, { error: error.message, error_type: 'Validation' });
      if (error instanceof InvalidJsonError)
        return sendJson(res, 422, { error: error.message, error_type: 'Validation' });
      throw error;
    }
  }
}

function embeddings(body: Record<string, unknown>): unknown {
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(inputs) || !inputs.every((input): input is string => typeof input === 'string')) {
    throw new TeiError(422, 'Validation', '`input` must be a string or an array of strings');
  }
  if (inputs.length === 0 || inputs.some((input) => input === ''))
    throw new TeiError(400, 'Empty', 'Input cannot be empty');
  if (inputs.length > MAX_BATCH) {
    throw new TeiError(
      422,
      'Validation',
      `batch size ${inputs.length} > maximum allowed batch size ${MAX_BATCH}`,
    );
  }
  if (body.dimensions !== undefined && body.dimensions !== null && body.dimensions !== EMBED_DIMENSIONS) {
    throw new TeiError(422, 'Validation', `bge-m3 only produces ${EMBED_DIMENSIONS} dimensions`);
  }
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64')
    throw new TeiError(422, 'Validation', '`encoding_format` must be float or base64');
  const tokens = inputs.reduce((sum, input) => sum + words(input).length + 2, 0);
  return {
    object: 'list',
    data: inputs.map((input, index) => {
      const vector = embed(input);
      const embedding =
        format === 'float' ? Array.from(vector) : Buffer.from(vector.buffer).toString('base64');
      return { object: 'embedding', index, embedding };
    }),
    model: EMBED_MODEL,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

function rerank(body: Record<string, unknown>): unknown {
  const queryText = body.query;
  if (typeof queryText !== 'string') throw new TeiError(422, 'Validation', '`query` must be a string');
  if (queryText === '') throw new TeiError(400, 'Empty', 'the query cannot be empty');
  const raw = body.documents ?? body.texts;
  if (!Array.isArray(raw)) throw new TeiError(422, 'Validation', '`documents` must be an array');
  const documents = raw.map((doc) =>
    typeof doc === 'string' ? doc : isRecord(doc) && typeof doc.text === 'string' ? doc.text : null,
  );
  if (documents.some((doc) => doc === null))
    throw new TeiError(422, 'Validation', 'each document must be a string or {text}');
  if (documents.length === 0) throw new TeiError(400, 'Empty', '`documents` cannot be empty');
  const topN = body.top_n ?? documents.length;
  if (typeof topN !== 'number' || !Number.isInteger(topN) || topN < 1) {
    throw new TeiError(422, 'Validation', '`top_n` must be a positive integer');
  }
  const returnDocuments = body.return_documents === true || body.return_text === true;
  const query = new Set(words(queryText));
  const results = documents
    .map((doc, index) => ({
      index,
      relevance_score: relevance(queryText, query, doc ?? ''),
      doc: doc ?? '',
    }))
    .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
    .slice(0, topN)
    .map(({ index, relevance_score, doc }) =>
      returnDocuments ? { index, relevance_score, document: { text: doc } } : { index, relevance_score },
    );
  const tokens = documents.reduce((sum, doc) => sum + query.size + words(doc ?? '').length + 3, 0);
  return {
    id: randomUUID(),
    object: 'rerank.result',
    model: RERANK_MODEL,
    results,
    usage: { total_tokens: tokens },
  };
}

/** A raw cross-encoder-like logit: about -6 for no shared words up to +6 when every query word appears. */
function relevance(queryText: string, query: Set<string>, doc: string): number {
  const docWords = new Set(words(doc));
  const shared = [...query].filter((word) => docWords.has(word)).length;
  const coverage = query.size === 0 ? 0 : shared / query.size;
  const jitter = (fnv1a(`${queryText}\u0000${doc}`) / 0xffffffff - 0.5) * 0.5;
  return Number((-6 + 12 * coverage + jitter).toFixed(4));
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** L2-normalised sum of one pseudo-random vector per word (per text when it has no words). */
function embed(text: string): Float32Array {
  const sum = new Float64Array(EMBED_DIMENSIONS);
  const tokens = words(text);
  for (const token of tokens.length > 0 ? tokens : [text]) {
    const random = seededRandom(fnv1a(token));
    for (let i = 0; i < EMBED_DIMENSIONS; i++) sum[i] = (sum[i] ?? 0) + random() * 2 - 1;
  }
  const norm = Math.hypot(...sum) || 1;
  return Float32Array.from(sum, (value) => value / norm);
}
