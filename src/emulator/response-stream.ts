import type { ServerResponse } from 'node:http';

/**
 * A streamed response body written chunk by chunk, honouring back-pressure and an injected
 * mid-stream drop (the socket is destroyed after `dropAfter` chunks, with no terminating chunk).
 */
export class ResponseStream {
  private sent = 0;
  private dropped = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly dropAfter: number | null,
  ) {
    if (dropAfter === 0) this.drop();
  }

  /** True once the client is gone, the stream was dropped, or it ended. */
  get closed(): boolean {
    return this.dropped || this.res.destroyed || this.res.writableEnded;
  }

  /** True when an injected fault (not the client) cut the stream. */
  get droppedByFault(): boolean {
    return this.dropped;
  }

  /** Writes one chunk; resolves false when nothing more should be written. */
  async write(chunk: string | Buffer): Promise<boolean> {
    if (this.closed) return false;
    this.sent++;
    if (this.dropAfter !== null && this.sent >= this.dropAfter) {
      // Destroy only once the chunk reached the socket, so the client sees exactly `dropAfter` chunks.
      this.dropped = true;
      this.res.write(chunk, () => this.res.destroy());
      return false;
    }
    if (!this.res.write(chunk)) await this.drained();
    return !this.closed;
  }

  end(chunk?: string | Buffer): void {
    if (this.closed) return;
    if (chunk === undefined) this.res.end();
    else this.res.end(chunk);
  }

  private drop(): void {
    this.dropped = true;
    this.res.flushHeaders();
    this.res.destroy();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }
}
