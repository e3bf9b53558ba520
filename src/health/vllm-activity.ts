import type { AppContext } from '../app-context';
import type { UpDown } from './store';

/**
 * What the vLLM node is doing when its port does not answer: `idle` (no model container: nothing
 * is loaded, which is normal between swaps), `loading` (a swap is bringing a model up), or
 * `unknown` (a container runs but does not serve, or the node cannot be asked).
 */
export type VllmActivity = 'idle' | 'loading' | 'unknown';

export interface VllmHealth {
  state: UpDown;
  idle: boolean;
  detail: string | null;
}

/**
 * The one place that decides whether vLLM not answering is an outage. An idle cluster or a model
 * being loaded by a swap is not a failure; anything else is.
 */
export function classifyVllm(answering: boolean, activity: VllmActivity, error: string | null): VllmHealth {
  if (answering) return { state: 'up', idle: false, detail: null };
  if (activity === 'idle') return { state: 'up', idle: true, detail: 'No model is loaded (idle).' };
  if (activity === 'loading') return { state: 'up', idle: false, detail: 'A model is loading.' };
  return { state: 'down', idle: false, detail: error };
}

/** How long a "no model container" answer is trusted before asking the node again. */
const ACTIVITY_CACHE_MS = 3_000;

/** One question to the node at a time, and its answer reused for a few seconds by every caller. */
export class VllmActivityCheck {
  private last: { value: VllmActivity; atMs: number } | null = null;
  private pending: Promise<VllmActivity> | null = null;

  constructor(private readonly now: () => number) {}

  get(app: AppContext): Promise<VllmActivity> {
    // A swap stops the old model and loads the new one: vLLM is expected to be silent meanwhile.
    if (app.swaps?.runningJobId) return Promise.resolve('loading');
    if (this.last && this.now() - this.last.atMs < ACTIVITY_CACHE_MS) return Promise.resolve(this.last.value);
    this.pending ??= vllmActivity(app).then((value) => {
      this.last = { value, atMs: this.now() };
      this.pending = null;
      return value;
    });
    return this.pending;
  }
}

/**
 * Asks the vLLM node whether the model container exists at all (`docker ps`). Without a shell on
 * the node, or when the node does not answer, the answer is `unknown`.
 */
export async function vllmActivity(app: AppContext): Promise<VllmActivity> {
  const service = app.upstreams.service('vllm');
  const shell = app.shells.get(service.node);
  if (!shell) return 'unknown';
  try {
    const result = await shell.run(
      ['docker', 'ps', '--filter', `name=^${service.container}$`, '--format', '{{.Names}}'],
      { timeoutMs: 5_000 },
    );
    if (result.exitCode !== 0) return 'unknown';
    return result.stdout.trim() === '' ? 'idle' : 'unknown';
  } catch {
    return 'unknown';
  }
}
