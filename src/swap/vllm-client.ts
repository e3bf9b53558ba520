import { request } from 'undici';
import type { AppContext } from '../app-context';
import { getFromService } from '../upstream/fetch-json';

/** vLLM's `/health`: 'up' (200), 'refused' (nothing listens: idle or loading), or 'error'. */
export async function vllmHealth(app: AppContext, timeoutMs = 1_000): Promise<'up' | 'refused' | 'error'> {
  const answer = await getFromService(app, 'vllm', '/health', timeoutMs);
  if (answer.ok) return 'up';
  return answer.error === 'connection refused' ? 'refused' : 'error';
}

/** The names vLLM serves now; null when it does not answer. */
export async function vllmServedNames(app: AppContext, timeoutMs = 2_000): Promise<string[] | null> {
  const answer = await getFromService(app, 'vllm', '/v1/models', timeoutMs);
  if (!answer.ok) return null;
  const data = (answer.body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return null;
  return data
    .map((model) => (model as { id?: unknown }).id)
    .filter((id): id is string => typeof id === 'string');
}

export type ProbeKind = 'chat' | 'completion' | 'embeddings';

/** One tiny real request; resolves with null when it answered 2xx, else what went wrong. */
export async function vllmProbe(
  app: AppContext,
  kind: ProbeKind,
  model: string,
  timeoutMs: number,
): Promise<string | null> {
  const origin = app.upstreams.origin('vllm');
  if (!origin) return 'vLLM is not configured';
  const [path, body] =
    kind === 'chat'
      ? ['/v1/chat/completions', { model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 1 }]
      : kind === 'completion'
        ? ['/v1/completions', { model, prompt: 'Hi', max_tokens: 1 }]
        : ['/v1/embeddings', { model, input: 'Hi' }];
  try {
    const response = await request(origin + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      dispatcher: app.upstreams.dispatcher('vllm'),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.body.text();
    if (response.statusCode >= 200 && response.statusCode < 300) return null;
    return `HTTP ${response.statusCode}: ${text.slice(0, 300)}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
