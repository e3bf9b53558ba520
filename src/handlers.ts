import type { InProcessHandler } from './contract/handler';
import { audioHandlers } from './audio/handlers';
import { controlHandlers } from './control/handlers';
import { embeddingsHandlers } from './embeddings/handlers';
import { llmHandlers } from './llm/handlers';
import { redactionHandlers } from './redaction/handlers';

/** Every in-process handler, keyed by operationId. Proxied operations are bound by `x-upstream` instead. */
export function allHandlers(): Record<string, InProcessHandler | undefined> {
  return {
    ...(controlHandlers as Record<string, InProcessHandler>),
    ...(llmHandlers as Record<string, InProcessHandler>),
    ...(audioHandlers as Record<string, InProcessHandler>),
    ...(embeddingsHandlers as Record<string, InProcessHandler>),
    ...(redactionHandlers as Record<string, InProcessHandler>),
  };
}
