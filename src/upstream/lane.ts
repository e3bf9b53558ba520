import { GatewayError } from '../errors/catalogue';
import type { LaneConfig } from '../config/config';
import type { Metrics } from '../observability/metrics';

export type Release = () => void;

interface Waiter {
  admit: (release: Release) => void;
  reject: (error: Error) => void;
  enqueuedAt: number;
}

/** Raised when the client went away while its request waited for admission. */
export class ClientGoneError extends Error {
  constructor() {
    super('the client disconnected while waiting for admission');
    this.name = 'ClientGoneError';
  }
}

/**
 * Admission control for one upstream lane: at most `concurrency` requests in flight, a bounded
 * FIFO queue behind them, 429 + Retry-After when the queue is full. A request whose client
 * disconnects while queued leaves the queue.
 */
export class Lane {
  readonly name: string;
  private readonly config: LaneConfig;
  private readonly metrics: Metrics | undefined;
  private inFlight = 0;
  private readonly queue: Waiter[] = [];

  constructor(name: string, config: LaneConfig, metrics?: Metrics) {
    this.name = name;
    this.config = config;
    this.metrics = metrics;
    metrics?.laneDepth.set({ lane: name }, 0);
    metrics?.laneInFlight.set({ lane: name }, 0);
  }

  get depth(): number {
    return this.queue.length;
  }

  get active(): number {
    return this.inFlight;
  }

  /** Admits at once when there is room and nobody is waiting; otherwise null (then `acquire`). */
  tryAcquire(): Release | null {
    if (this.inFlight >= this.config.concurrency || this.queue.length > 0) return null;
    this.metrics?.laneWait.observe({ lane: this.name }, 0);
    return this.admit();
  }

  /** Resolves with a release function once admitted; rejects with queue_full or ClientGoneError. */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(new ClientGoneError());
    if (this.inFlight < this.config.concurrency && this.queue.length === 0) {
      this.metrics?.laneWait.observe({ lane: this.name }, 0);
      return Promise.resolve(this.admit());
    }
    if (this.queue.length >= this.config.queueLimit) {
      this.metrics?.laneRejected.inc({ lane: this.name, reason: 'queue_full' });
      return Promise.reject(
        new GatewayError('queue_full', {
          detail: `too many requests are waiting for the ${this.name} lane; retry later`,
          retryAfterS: this.config.retryAfterS,
        }),
      );
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        enqueuedAt: performance.now(),
        admit: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        reject,
      };
      const onAbort = () => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) {
          this.queue.splice(index, 1);
          this.updateDepth();
          this.metrics?.laneRejected.inc({ lane: this.name, reason: 'client_gone' });
          reject(new ClientGoneError());
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.updateDepth();
    });
  }

  private admit(): Release {
    this.inFlight += 1;
    this.metrics?.laneInFlight.set({ lane: this.name }, this.inFlight);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.metrics?.laneInFlight.set({ lane: this.name }, this.inFlight);
      this.next();
    };
  }

  private next(): void {
    while (this.inFlight < this.config.concurrency && this.queue.length > 0) {
      const waiter = this.queue.shift()!;
      this.updateDepth();
      this.metrics?.laneWait.observe({ lane: this.name }, (performance.now() - waiter.enqueuedAt) / 1000);
      waiter.admit(this.admit());
    }
  }

  private updateDepth(): void {
    this.metrics?.laneDepth.set({ lane: this.name }, this.queue.length);
  }
}

export function createLanes(configs: Record<string, LaneConfig>, metrics?: Metrics): Map<string, Lane> {
  return new Map(Object.entries(configs).map(([name, config]) => [name, new Lane(name, config, metrics)]));
}
