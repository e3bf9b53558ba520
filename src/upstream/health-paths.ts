import type { ServiceName } from '../config/config';

/** The cheapest "are you serving" route of each service (qdrant: ready, not merely alive); every probe uses it. */
export const HEALTH_PATHS: Record<ServiceName, string> = {
  vllm: '/health',
  parakeet: '/health',
  kokoro: '/health',
  embed: '/health',
  qdrant: '/readyz',
};
