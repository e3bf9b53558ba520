/** An HTTP answer a fault forces instead of the real one. */
export interface ForcedFailure {
  status: number;
  body: string;
  contentType: string;
}

/**
 * Faults a test can set on one emulated service. Everything is deterministic: a fault applies to
 * exactly the requests it names, in arrival order.
 */
export class FaultInjector {
  /** Added before every answer. */
  latencyMs = 0;
  /** Accept requests and never answer them (the socket stays open until the client gives up). */
  hang = false;
  /**
   * Path prefix the faults apply to; `null` means every request. Lets a test fail inference calls
   * while a health poller keeps seeing the service as up.
   */
  scope: string | null = null;

  private failures: ForcedFailure[] = [];
  private dropAfterChunks: number | null = null;

  /** The next `count` requests answer `status` with `body` (JSON-encoded unless a string). */
  failNext(count: number, status = 500, body?: string | object): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer`);
    if (status < 100 || status > 599) throw new RangeError(`status must be an HTTP status, got ${status}`);
    const failure = toFailure(status, body);
    for (let i = 0; i < count; i++) this.failures.push(failure);
  }

  /** The next streamed response is destroyed (no clean end) after `afterChunks` body chunks. */
  dropMidStream(afterChunks: number): void {
    if (!Number.isInteger(afterChunks) || afterChunks < 0) {
      throw new RangeError('afterChunks must be a non-negative integer');
    }
    this.dropAfterChunks = afterChunks;
  }

  reset(): void {
    this.latencyMs = 0;
    this.hang = false;
    this.scope = null;
    this.failures = [];
    this.dropAfterChunks = null;
  }

  appliesTo(path: string): boolean {
    return this.scope === null || path.startsWith(this.scope);
  }

  /** Consumes one queued failure, if any. */
  takeFailure(): ForcedFailure | undefined {
    return this.failures.shift();
  }

  /** Consumes the pending mid-stream drop, if any: the number of chunks to send before dropping. */
  takeDropAfter(): number | null {
    const after = this.dropAfterChunks;
    this.dropAfterChunks = null;
    return after;
  }

  get pendingFailures(): number {
    return this.failures.length;
  }
}

function toFailure(status: number, body: string | object | undefined): ForcedFailure {
  if (typeof body === 'string') return { status, body, contentType: 'text/plain; charset=utf-8' };
  const json = body ?? {
    error: { message: `injected fault: HTTP ${status}`, type: 'InjectedFault', code: status },
  };
  return { status, body: JSON.stringify(json), contentType: 'application/json' };
}
