import { request } from 'undici';
import type { AppContext } from '../app-context';
import { HEALTH_PATHS } from '../upstream/health-paths';
import { MODEL_LISTING, type SupportServiceName } from './support-services';

export interface ServiceProbe {
  ok: boolean;
  latencyMs: number | null;
  model: string | null;
  /** Why it is not ok, in plain words. */
  problem: string | null;
}

/** One health call (and, for model servers, a `/v1/models` call) to a support service. Never throws. */
export async function probeService(
  app: AppContext,
  name: SupportServiceName,
  timeoutMs = 2_000,
): Promise<ServiceProbe> {
  const origin = app.upstreams.origin(name);
  if (!origin) return { ok: false, latencyMs: null, model: null, problem: 'no address is configured' };
  const started = performance.now();
  try {
    const health = await request(origin + HEALTH_PATHS[name], {
      dispatcher: app.upstreams.dispatcher(name),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await health.body.dump();
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    if (health.statusCode >= 400) {
      return {
        ok: false,
        latencyMs,
        model: null,
        problem: `its health check answered HTTP ${health.statusCode}`,
      };
    }
    return {
      ok: true,
      latencyMs,
      model: MODEL_LISTING[name] ? await servedModel(app, name, origin, timeoutMs) : null,
      problem: null,
    };
  } catch (error) {
    return { ok: false, latencyMs: null, model: null, problem: describe(error) };
  }
}

async function servedModel(
  app: AppContext,
  name: SupportServiceName,
  origin: string,
  timeoutMs: number,
): Promise<string | null> {
  try {
    const response = await request(`${origin}/v1/models`, {
      dispatcher: app.upstreams.dispatcher(name),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      return null;
    }
    const listing = (await response.body.json()) as { data?: { id?: unknown }[] };
    const id = listing.data?.[0]?.id;
    return typeof id === 'string' ? id.slice(0, 256) : null;
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === 'ECONNREFUSED') return 'nothing listens on its port (connection refused)';
    if (typeof code === 'string') return `it could not be reached (${code})`;
    current = (current as { cause?: unknown }).cause;
  }
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'it did not answer its health check in time';
  return `it could not be reached (${(error as Error)?.message ?? String(error)})`;
}
