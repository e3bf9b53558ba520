import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/observability/logger';

/** A trace-level logger whose lines a test can read back (to prove what is, and is not, logged). */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('trace', sink), lines };
}
