import type { components } from '../../generated/control';

export type SwapJobView = components['schemas']['SwapJob'];
export type SwapEvent = components['schemas']['SwapEvent'];
export type SwapPhaseName = components['schemas']['SwapPhaseName'];
export type SwapPhaseView = components['schemas']['SwapPhase'];
export type SwapFailure = components['schemas']['SwapFailure'];
export type SwapResult = components['schemas']['SwapResult'];
export type SwapSummary = components['schemas']['SwapSummary'];
export type SwapAccepted = components['schemas']['SwapAccepted'];
export type SwapLockState = components['schemas']['SwapLockState'];
export type CatalogModel = components['schemas']['CatalogModel'];
export type ClusterState = SwapFailure['cluster_state'];

/** Event payloads as the runner emits them; the job id, sequence number and time are added on publish. */
export type SwapEventDraft = SwapEvent extends infer E
  ? E extends { type: string }
    ? Omit<E, 'job_id' | 'seq' | 'at'>
    : never
  : never;

export const PHASES: readonly SwapPhaseName[] = [
  'preflight',
  'drain',
  'stop',
  'verify_stopped',
  'launch',
  'follow_logs',
  'wait_health',
  'confirm_model',
  'probe',
  'done',
];

/** What the runner needs beyond the API view to continue a job (also after a restart). */
export interface JobInternals {
  /** When the launcher was called (load time and the load deadline count from here). */
  launchedAt: string | null;
  loadTimeoutS: number;
  /** Nodes the model runs on, head first. */
  nodes: string[];
}

export interface JobRecord {
  view: SwapJobView;
  internals: JobInternals;
}

/** A failure the runner reports: a stable code and plain words. */
export class SwapFailedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SwapFailedError';
  }
}
