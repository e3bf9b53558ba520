import type { AppContext } from '../app-context';
import type { ServiceName } from '../config/config';
import type { components } from '../../generated/llm';
import { getFromService } from '../upstream/fetch-json';

type Model = components['schemas']['Model'];

const MODEL_SOURCES: ServiceName[] = ['vllm', 'parakeet', 'kokoro', 'embed'];
const LIST_TIMEOUT_MS = 2_000;

interface UpstreamModel {
  id?: unknown;
  created?: unknown;
  root?: unknown;
  max_model_len?: unknown;
}

function toModel(service: ServiceName, raw: UpstreamModel, now: number): Model | null {
  if (typeof raw?.id !== 'string' || raw.id.length === 0 || raw.id.length > 256) return null;
  return {
    id: raw.id,
    object: 'model',
    created: typeof raw.created === 'number' ? Math.trunc(raw.created) : now,
    owned_by: service,
    ...(typeof raw.root === 'string' ? { root: raw.root.slice(0, 512) } : {}),
    ...(typeof raw.max_model_len === 'number' ? { max_model_len: Math.trunc(raw.max_model_len) } : {}),
  };
}

/** The models every model-serving service reports right now, and the services that did not answer. */
export async function servedModels(app: AppContext): Promise<{ models: Model[]; missing: ServiceName[] }> {
  const now = Math.trunc(Date.now() / 1000);
  const configured = MODEL_SOURCES.filter(
    (service) => app.upstreams.origin(service) && !app.upstreams.service(service).disabled,
  );
  const answers = await Promise.all(
    configured.map((service) => getFromService(app, service, '/v1/models', LIST_TIMEOUT_MS)),
  );
  const models: Model[] = [];
  const missing: ServiceName[] = [];
  const seen = new Set<string>();
  answers.forEach((answer, index) => {
    const service = configured[index]!;
    if (answer.status === 404) return; // the service does not list models
    // vLLM refusing connections means no model is loaded (idle or loading), which is not a failure.
    if (!answer.ok) {
      if (!(service === 'vllm' && answer.error === 'connection refused')) missing.push(service);
      return;
    }
    const data = (answer.body as { data?: unknown } | null)?.data;
    if (!Array.isArray(data)) {
      missing.push(service);
      return;
    }
    for (const raw of data) {
      const model = toModel(service, raw as UpstreamModel, now);
      if (model && !seen.has(model.id)) {
        seen.add(model.id);
        models.push(model);
      }
    }
  });
  return { models, missing };
}
