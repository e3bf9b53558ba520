import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Script = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

const MONITORING_PATHS = new Set(['/health', '/readyz', '/metrics']);

/** A loopback HTTP server whose behaviour each test scripts, for proxy tests the emulator cannot express. */
export class ScriptedUpstream {
  script: Script = (_req, res) => res.end('{}');
  readonly requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }[] = [];
  private server = http.createServer((req, res) => {
    // The gateway's health monitor polls every service (and scrapes vLLM's metrics): no test scripts those.
    if (req.method === 'GET' && MONITORING_PATHS.has(req.url ?? '')) {
      req.resume();
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      this.script(req, res, body);
    });
  });

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => this.server.once('listening', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
