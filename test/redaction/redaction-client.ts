import type { TestGateway } from '../helpers/gateway';
import { postJson, type CheckedResponse } from '../helpers/http';

/** Small helpers shared by the redaction route tests. */

export interface ScrubBody {
  task_id: string;
  items: { id: string; text: string }[];
  [key: string]: unknown;
}

export function scrub(gateway: TestGateway, body: ScrubBody): Promise<CheckedResponse> {
  return postJson(gateway.baseUrl, '/scrub', { ner: 'rules_only', ...body });
}

export function rehydrate(
  gateway: TestGateway,
  body: { task_id: string; map_handle: string; items: { id: string; text: string }[]; on_unknown?: string },
): Promise<CheckedResponse> {
  return postJson(gateway.baseUrl, '/rehydrate', body);
}

export interface ScrubAnswer {
  task_id: string;
  map_handle: string;
  items: { id: string; scrubbed_text: string; tokens_used: string[] }[];
  stats: { tier1_dropped: number; tier2_tokenized: number; distinct_entities: number };
  expires_at: string;
}

export interface RehydrateAnswer {
  items: { id: string; text: string; replaced: number }[];
  unknown_tokens: { item: string; token: string }[];
}

/** Rows in the map tables: proves a failed call wrote nothing. */
export function mapRows(gateway: TestGateway): { maps: number; entries: number } {
  const db = gateway.gateway.context.db;
  const count = (table: string) =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { maps: count('redaction_maps'), entries: count('redaction_entries') };
}

/** A vLLM chat completion whose message is `content`, as the NER backstop reads it. */
export function completion(content: string): object {
  return {
    id: 'chatcmpl-ner',
    object: 'chat.completion',
    created: 1,
    model: 'test-model',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

/** Makes the emulated vLLM answer its next chat completions with `content` (models list unaffected). */
export function answerNerWith(gateway: TestGateway, content: string, times = 1): void {
  const faults = gateway.cluster.services.vllm.faults;
  faults.scope = '/v1/chat/completions';
  faults.failNext(times, 200, completion(content));
}
