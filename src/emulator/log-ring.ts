export type LogListener = (line: string) => void;

/** The last `capacity` log lines of an emulated process, plus live listeners (what `docker logs -f` follows). */
export class LogRing {
  private readonly lines: string[] = [];
  private readonly listeners = new Set<LogListener>();

  constructor(private readonly capacity = 500) {}

  write(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    for (const listener of this.listeners) listener(line);
  }

  /** The last `tail` lines (all retained lines when omitted), oldest first. */
  tail(tail?: number): string[] {
    if (tail === undefined) return [...this.lines];
    return tail <= 0 ? [] : this.lines.slice(-tail);
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: LogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
