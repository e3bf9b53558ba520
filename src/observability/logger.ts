import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Request and response bodies are never logged anywhere in the gateway, and
 * these paths are redacted as a second line of defence should a body ever reach a log call.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'spark-control' },
      redact: {
        // Top-level keys only: wildcard paths would be checked on every access-log line.
        paths: ['body', 'text', 'items', 'known_entities', 'authorization', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination ?? stdoutDestination(),
  );
}

/**
 * Asynchronous writes to stdout: under load the lines of many requests go out in one write
 * instead of one blocking write per request. Whatever is still buffered is flushed on exit.
 */
function stdoutDestination(): DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false });
  process.once('exit', () => {
    try {
      stream.flushSync();
    } catch {
      // stdout already closed
    }
  });
  return stream;
}
