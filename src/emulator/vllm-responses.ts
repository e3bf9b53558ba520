import { randomUUID } from 'node:crypto';
import type { FinishReason, Generation } from './vllm-generation';
import type { Kind } from './vllm-request';

/** The JSON vLLM's OpenAI server sends: completions, SSE chunks, errors. */

export interface Usage {
  prompt_tokens: number;
  total_tokens: number;
  completion_tokens: number;
}

/** What every chunk and the final body of one response share. */
export interface ResponseIdentity {
  kind: Kind;
  id: string;
  created: number;
  model: string;
}

export const DONE_EVENT = 'data: [DONE]\n\n';

export function responseIdentity(kind: Kind, model: string): ResponseIdentity {
  const prefix = kind === 'chat' ? 'chatcmpl' : 'cmpl';
  return {
    kind,
    id: `${prefix}-${randomUUID().replaceAll('-', '')}`,
    created: Math.floor(Date.now() / 1000),
    model,
  };
}

export function openAiError(message: string, type: string, param: string | null, code: number) {
  return { error: { message, type, param, code } };
}

function event(identity: ResponseIdentity, choices: unknown[], extra: object = {}): string {
  const { kind, id, created, model } = identity;
  const object = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  return `data: ${JSON.stringify({ id, object, created, model, choices, ...extra })}\n\n`;
}

/** The first chat chunk: the assistant role for every choice, no content yet. */
export function roleEvent(identity: ResponseIdentity, choices: number): string {
  const deltas = Array.from({ length: choices }, (_, index) => ({
    index,
    delta: { role: 'assistant', content: '' },
    logprobs: null,
    finish_reason: null,
  }));
  return event(identity, deltas);
}

/** One token of one choice; the last token carries the finish reason. */
export function tokenEvent(
  identity: ResponseIdentity,
  index: number,
  token: string,
  finish: FinishReason | null,
): string {
  const choice =
    identity.kind === 'chat'
      ? {
          index,
          delta: { content: token },
          logprobs: null,
          finish_reason: finish,
          ...(finish ? { stop_reason: null } : {}),
        }
      : { index, text: token, logprobs: null, finish_reason: finish, stop_reason: null };
  return event(identity, [choice]);
}

/** `stream_options.include_usage`: a last chunk with the usage and no choices. */
export function usageEvent(identity: ResponseIdentity, usage: Usage): string {
  return event(identity, [], { usage });
}

export function completionBody(identity: ResponseIdentity, generations: Generation[], usage: Usage): object {
  const choices = generations.map((g, index) =>
    identity.kind === 'chat'
      ? {
          index,
          message: {
            role: 'assistant',
            content: g.tokens.join(''),
            refusal: null,
            annotations: null,
            audio: null,
            function_call: null,
            tool_calls: [],
            reasoning_content: null,
          },
          logprobs: null,
          finish_reason: g.finishReason,
          stop_reason: null,
        }
      : {
          index,
          text: g.tokens.join(''),
          logprobs: null,
          finish_reason: g.finishReason,
          stop_reason: null,
          prompt_logprobs: null,
        },
  );
  return {
    id: identity.id,
    object: identity.kind === 'chat' ? 'chat.completion' : 'text_completion',
    created: identity.created,
    model: identity.model,
    choices,
    service_tier: null,
    system_fingerprint: null,
    usage: { ...usage, prompt_tokens_details: null },
    prompt_logprobs: null,
    kv_transfer_params: null,
  };
}
