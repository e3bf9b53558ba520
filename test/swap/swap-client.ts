import type { components } from '../../generated/control';
import { call, postJson } from '../helpers/http';
import { waitFor } from '../helpers/wait';

export type SwapJob = components['schemas']['SwapJob'];
export type SwapEvent = components['schemas']['SwapEvent'];
export type SwapAccepted = components['schemas']['SwapAccepted'];

/** Both catalog models of the test fixture have their weights on the head node. */
export const MODELS_ON_DISK = { spark1: ['org/test-model', 'org/other-model'] };

/** Starts a swap and expects 202. */
export async function startSwap(
  baseUrl: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<SwapAccepted> {
  const response = await postJson(baseUrl, '/api/swap', body, headers);
  if (response.status !== 202) throw new Error(`swap refused: ${response.status} ${response.text}`);
  return response.json as SwapAccepted;
}

export async function getJob(baseUrl: string, jobId: string): Promise<SwapJob> {
  const response = await call(baseUrl, `/api/swap/${jobId}`, { signal: AbortSignal.timeout(5_000) });
  if (response.status !== 200) throw new Error(`job ${jobId}: ${response.status} ${response.text}`);
  return response.json as SwapJob;
}

/** Polls the job until `predicate` holds. */
export async function waitForJob(
  baseUrl: string,
  jobId: string,
  predicate: (job: SwapJob) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<SwapJob> {
  let last: SwapJob | null = null;
  let pending = false;
  let failure: unknown = null;
  const poll = () => {
    if (pending) return;
    pending = true;
    void getJob(baseUrl, jobId)
      .then((job) => (last = job))
      .catch((error: unknown) => (failure = error))
      .finally(() => (pending = false));
  };
  await waitFor(
    () => {
      if (last && predicate(last)) return true;
      poll();
      return false;
    },
    `${what} (last seen: ${last ? `${(last as SwapJob).state}/${(last as SwapJob).phase}` : String(failure)})`,
    timeoutMs,
  );
  return last!;
}

export const finished = (job: SwapJob) => job.state !== 'running';

/** Reads the job's SSE stream to its end (it ends after `done` or `failed`). */
export async function readEvents(
  baseUrl: string,
  jobId: string,
  lastEventId?: number,
): Promise<{ events: SwapEvent[]; raw: string }> {
  const response = await fetch(`${baseUrl}/api/swap/${jobId}/events`, {
    headers: lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) },
  });
  if (response.status !== 200) throw new Error(`events: ${response.status}`);
  const raw = await response.text();
  const events = raw
    .split('\n\n')
    .map((block) => block.split('\n').find((line) => line.startsWith('data: ')))
    .filter((line): line is string => line !== undefined)
    .map((line) => JSON.parse(line.slice('data: '.length)) as SwapEvent);
  return { events, raw };
}
