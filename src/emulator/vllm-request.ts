import { isRecord } from './http-io';
import { countChatTokens, countTokens } from './vllm-generation';
import { maxModelLenOf, type ModelSpec } from './vllm-load';

/** Validation and reading of `/v1/chat/completions` and `/v1/completions` bodies, as vLLM does it. */

export type Kind = 'chat' | 'completion';

export interface ParsedRequest {
  kind: Kind;
  /** One entry per prompt (chat has exactly one). */
  seeds: string[];
  promptTokens: number;
  maxTokens: number | undefined;
  n: number;
  stream: boolean;
  includeUsage: boolean;
}

/** A request vLLM would reject before generating: answered 400 or 404 with this message. */
export class RequestError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

export function servedNamesOf(spec: ModelSpec | null): string[] {
  return spec ? [spec.servedName, ...(spec.aliases ?? [])] : [];
}

export function parseRequest(body: unknown, kind: Kind, served: ModelSpec | null): ParsedRequest {
  if (!isRecord(body)) throw new RequestError(400, 'The request body must be a JSON object.');
  let prompts: string[];
  let promptTokens: number;
  if (kind === 'chat') {
    const texts = messageTexts(body.messages);
    prompts = [`chat\n${texts.join('\n')}`];
    promptTokens = countChatTokens(texts);
  } else {
    const texts = promptTexts(body.prompt);
    prompts = texts.map((text) => `completion\n${text}`);
    promptTokens = texts.reduce((sum, text) => sum + countTokens(text), 0);
  }
  const maxTokens = positiveInt(
    kind === 'chat' ? (body.max_completion_tokens ?? body.max_tokens) : body.max_tokens,
    kind === 'chat' && body.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens',
  );
  const n = positiveInt(body.n, 'n') ?? 1;
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    throw new RequestError(400, 'stream: Input should be a valid boolean', 'stream');
  }
  const stream = body.stream === true;
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null) {
    if (!stream)
      throw new RequestError(400, 'Stream options can only be defined when `stream=True`.', 'stream_options');
    if (!isRecord(streamOptions))
      throw new RequestError(400, 'stream_options: Input should be an object', 'stream_options');
  }
  const includeUsage = isRecord(streamOptions) && streamOptions.include_usage === true;

  const requested = body.model;
  if (requested !== undefined && requested !== null && typeof requested !== 'string') {
    throw new RequestError(400, 'model: Input should be a valid string', 'model');
  }
  if (typeof requested === 'string' && !servedNamesOf(served).includes(requested)) {
    throw new RequestError(404, `The model \`${requested}\` does not exist.`, 'model');
  }

  const maxLen = served ? maxModelLenOf(served) : 0;
  const perPrompt = Math.ceil(promptTokens / prompts.length);
  const requestedTotal = perPrompt + (maxTokens ?? 0);
  if (requestedTotal > maxLen) {
    throw new RequestError(
      400,
      `This model's maximum context length is ${maxLen} tokens. However, you requested ${requestedTotal} tokens ` +
        `(${perPrompt} in the messages, ${maxTokens ?? 0} in the completion). Please reduce the length of the messages or completion.`,
    );
  }
  return { kind, seeds: prompts, promptTokens, maxTokens, n, stream, includeUsage };
}

function positiveInt(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new RequestError(400, `${field}: Input should be a valid integer`, field);
  }
  if (value < 1) throw new RequestError(400, `${field} must be at least 1, got ${value}.`, field);
  return value;
}

/** The text of every chat message, prefixed by its role (what the chat template would see). */
function messageTexts(messages: unknown): string[] {
  if (messages === undefined) throw new RequestError(400, 'messages: Field required', 'messages');
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new RequestError(400, 'messages: Input should be a non-empty list', 'messages');
  }
  return messages.map((message, i) => {
    if (!isRecord(message) || typeof message.role !== 'string') {
      throw new RequestError(400, `messages.${i}: each message needs a string \`role\``, 'messages');
    }
    return `${message.role}: ${contentText(message.content, i)}`;
  });
}

function contentText(content: unknown, i: number): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) =>
        isRecord(part) && part.type === 'text' && typeof part.text === 'string' ? part.text : '',
      )
      .join('');
  }
  throw new RequestError(
    400,
    `messages.${i}.content: Input should be a string or a list of content parts`,
    'messages',
  );
}

function promptTexts(prompt: unknown): string[] {
  if (prompt === undefined) throw new RequestError(400, 'prompt: Field required', 'prompt');
  if (typeof prompt === 'string') return [prompt];
  if (Array.isArray(prompt) && prompt.length > 0 && prompt.every((p) => typeof p === 'string')) return prompt;
  throw new RequestError(
    400,
    'prompt: the emulator accepts a string or a non-empty list of strings',
    'prompt',
  );
}
