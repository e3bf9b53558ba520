import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { FaultInjector } from './faults';
import { sendJson } from './http-io';
import { LogRing } from './log-ring';
import { ResponseStream } from './response-stream';
import { listen } from './listen';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Path without the query string. */
  path: string;
  url: URL;
  /** Aborted when the client goes away (or the service goes down) before the response finished. */
  signal: AbortSignal;
}

export interface HttpServiceOptions {
  /** Fixed port; 0 or absent picks a free loopback port on first start and keeps it afterwards. */
  port?: number;
}

/** What every emulated service exposes, whatever it emulates. */
export interface EmulatedService {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly baseUrl: string;
  readonly faults: FaultInjector;
  readonly isUp: boolean;
}

/**
 * Base of an emulated HTTP service on loopback. `down()` stops listening so connections are refused,
 * as when the real process is not running; `up()` comes back on the same port. `stop()` is final.
 */
export abstract class HttpService implements EmulatedService {
  readonly host = '127.0.0.1';
  readonly faults = new FaultInjector();
  readonly log = new LogRing(500);

  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private assignedPort: number;
  private stopped = false;

  protected constructor(
    readonly name: string,
    options: HttpServiceOptions = {},
  ) {
    this.assignedPort = options.port ?? 0;
  }

  get port(): number {
    if (this.assignedPort === 0) throw new Error(`emulated ${this.name} has not been started yet`);
    return this.assignedPort;
  }

  get baseUrl(): string {
    return `http://${this.host}:${this.port}`;
  }

  get isUp(): boolean {
    return this.server !== null;
  }

  /** Starts listening (first start allocates the port). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.up();
  }

  /** Final shutdown: stops listening, destroys open connections, and refuses later `up()` calls. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.down();
  }

  /** Listens again on the same port (no-op when already up or stopped). */
  async up(): Promise<void> {
    if (this.server || this.stopped) return;
    const server = createServer((req, res) => void this.dispatch(req, res));
    server.keepAliveTimeout = 5_000;
    server.headersTimeout = 60_000;
    server.requestTimeout = 15 * 60_000;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.assignedPort = await listen(server, this.assignedPort, this.host);
    this.server = server;
    this.onUp();
  }

  /** Stops listening and destroys every open connection, so clients see refused connections. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
    this.onDown();
  }

  /** A process restart: down, then up on the same port. */
  async restart(): Promise<void> {
    await this.down();
    await this.up();
  }

  protected abstract handle(ctx: RequestContext): void | Promise<void>;

  protected onUp(): void {
    this.log.write(`INFO:     Uvicorn running on http://0.0.0.0:${this.port} (Press CTRL+C to quit)`);
  }

  protected onDown(): void {
    this.log.write('INFO:     Shutting down');
  }

  /** Opens a streamed response, applying a pending mid-stream drop fault. */
  protected openStream(ctx: RequestContext, status: number, headers: Record<string, string>): ResponseStream {
    ctx.res.writeHead(status, headers);
    const dropAfter = this.faults.appliesTo(ctx.path) ? this.faults.takeDropAfter() : null;
    return new ResponseStream(ctx.res, dropAfter);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${this.host}`);
    const aborter = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) aborter.abort();
    });
    const ctx: RequestContext = {
      req,
      res,
      method: req.method ?? 'GET',
      path: url.pathname,
      url,
      signal: aborter.signal,
    };
    try {
      if (this.faults.appliesTo(ctx.path)) {
        if (this.faults.hang) return;
        if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs, ctx.signal);
        if (ctx.signal.aborted) return;
        const failure = this.faults.takeFailure();
        if (failure) {
          req.resume();
          res.writeHead(failure.status, {
            'content-type': failure.contentType,
            'content-length': Buffer.byteLength(failure.body),
          });
          res.end(failure.body);
          return;
        }
      }
      await this.handle(ctx);
    } catch (error) {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      sendJson(res, 500, { detail: `emulated ${this.name} failed: ${message}` });
    }
  }
}

/** Resolves after `ms` (on the next turn of the event loop when 0), or early once `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      clearImmediate(immediate);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    // setTimeout(0) waits at least 1 ms; setImmediate keeps zero-delay token streams fast.
    const timer = ms > 0 ? setTimeout(done, ms) : undefined;
    const immediate = ms > 0 ? undefined : setImmediate(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
