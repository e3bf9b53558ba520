import type { SwapStore } from './store';
import {
  PHASES,
  type JobInternals,
  type JobRecord,
  type SwapEvent,
  type SwapEventDraft,
  type SwapJobView,
  type SwapPhaseName,
} from './types';

const LOG_TAIL_LINES = 500;
const EVENT_FLUSH_MS = 250;

export type EventListener = (event: SwapEvent) => void;

/**
 * A swap job while it runs: its view (what the API answers), its events (sequenced, sent to live
 * listeners at once and written to SQLite in small batches; phase changes are written at once).
 */
export class LiveJob {
  readonly view: SwapJobView;
  readonly internals: JobInternals;
  private seq: number;
  private pending: SwapEvent[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly store: SwapStore,
    record: JobRecord,
  ) {
    this.view = record.view;
    this.internals = record.internals;
    this.seq = store.lastSeq(record.view.job_id);
  }

  get id(): string {
    return this.view.job_id;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(draft: SwapEventDraft): SwapEvent {
    const event = { ...draft, job_id: this.id, seq: ++this.seq, at: new Date().toISOString() } as SwapEvent;
    this.pending.push(event);
    this.flushTimer ??= setTimeout(() => this.flush(), EVENT_FLUSH_MS);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  phaseRunning(name: SwapPhaseName): void {
    const phase = this.phase(name);
    phase.state = 'running';
    phase.started_at = new Date().toISOString();
    phase.finished_at = null;
    phase.detail = null;
    this.view.phase = name;
    this.emit({ type: 'phase', phase: name, state: 'running', detail: null });
    this.save();
  }

  phaseEnded(name: SwapPhaseName, state: 'done' | 'failed' | 'skipped', detail: string | null): void {
    const phase = this.phase(name);
    phase.state = state;
    phase.started_at ??= new Date().toISOString();
    phase.finished_at = new Date().toISOString();
    phase.detail = detail === null ? null : detail.slice(0, 1024);
    this.emit({ type: 'phase', phase: name, state, detail: phase.detail });
    this.save();
  }

  log(node: string, line: string): void {
    const text = line.slice(0, 4096);
    this.view.log_tail.push(text);
    if (this.view.log_tail.length > LOG_TAIL_LINES)
      this.view.log_tail.splice(0, this.view.log_tail.length - LOG_TAIL_LINES);
    this.emit({ type: 'log', node, line: text });
  }

  /** Writes the view and every pending event, in one go. */
  save(): void {
    this.flush();
    this.store.saveJob({ view: this.view, internals: this.internals });
  }

  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const events = this.pending;
    this.pending = [];
    this.store.appendEvents(events);
  }

  /** Stops the batching timer (the gateway is closing). */
  dispose(): void {
    this.flush();
    this.listeners.clear();
  }

  private phase(name: SwapPhaseName) {
    const phase = this.view.phases.find((p) => p.name === name);
    if (!phase) throw new Error(`unknown phase ${name}`);
    return phase;
  }
}

/** The view of a job that has just been created. */
export function newJobView(fields: {
  jobId: string;
  kind: 'swap' | 'rollback';
  rollbackOf: string | null;
  model: string;
  servedModelName: string;
  fromModel: string | null;
  rollbackOnFailure: boolean;
  lockHolder: string | null;
  expectedLoadS: number | null;
}): SwapJobView {
  return {
    job_id: fields.jobId,
    kind: fields.kind,
    rollback_of: fields.rollbackOf,
    model: fields.model,
    served_model_name: fields.servedModelName,
    from_model: fields.fromModel,
    state: 'running',
    phase: 'preflight',
    rollback_on_failure: fields.rollbackOnFailure,
    lock_holder: fields.lockHolder,
    started_at: new Date().toISOString(),
    finished_at: null,
    elapsed_s: 0,
    expected_load_s: fields.expectedLoadS,
    eta_s: fields.expectedLoadS,
    progress: { percent: 0, label: 'Checking the nodes', shards_loaded: null, shards_total: null },
    phases: PHASES.map((name) => ({
      name,
      state: 'pending',
      started_at: null,
      finished_at: null,
      detail: null,
    })),
    log_tail: [],
    result: null,
    failure: null,
    rollback: null,
  };
}
