import { GatewayError } from '../errors/catalogue';

export type LeaveGate = () => void;

/**
 * The door in front of vLLM: counts the LLM requests in flight (so a swap can let them finish) and,
 * while a swap runs, turns new ones away with 503 + `Retry-After` or holds them until the swap ends
 * (up to `holdS`).
 */
export class LlmGate {
  private inFlight = 0;
  private closed = false;
  private retryAfterS = 30;
  private holdS = 0;
  private readonly opened = new Set<() => void>();
  private readonly idle = new Set<() => void>();

  get requestsInFlight(): number {
    return this.inFlight;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Admits a request at once when no swap runs; null when it must go through `enter`. */
  tryEnter(): LeaveGate | null {
    if (this.closed) return null;
    return this.admit();
  }

  /** Waits for the swap to end up to the hold time, else throws 503 `model_swapping`. */
  async enter(signal: AbortSignal): Promise<LeaveGate> {
    if (!this.closed) return this.admit();
    if (this.holdS > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.opened.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, this.holdS * 1000);
        this.opened.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
      if (!this.closed) return this.admit();
    }
    throw new GatewayError('model_swapping', {
      detail: 'a model swap is in progress; the LLM is back when it ends',
      retryAfterS: this.retryAfterS,
    });
  }

  /** A swap begins: new requests are turned away (or held). */
  close(holdS: number): void {
    this.closed = true;
    this.holdS = holdS;
  }

  /** What `Retry-After` says: the swap's estimate of its remaining time. */
  setRetryAfter(seconds: number | null): void {
    this.retryAfterS = Math.min(600, Math.max(5, Math.round(seconds ?? 30)));
  }

  /** The swap ended: requests flow again, held ones go through. */
  open(): void {
    this.closed = false;
    for (const wake of [...this.opened]) wake();
  }

  /** Resolves with the requests still running when they all finished or `timeoutMs` passed. */
  async drained(timeoutMs: number, signal?: AbortSignal): Promise<number> {
    if (this.inFlight === 0) return 0;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.idle.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.idle.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
    return this.inFlight;
  }

  private admit(): LeaveGate {
    this.inFlight++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of [...this.idle]) wake();
    };
  }
}
