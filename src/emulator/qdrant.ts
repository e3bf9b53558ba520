import { sendEmpty, sendJson, sendText } from './http-io';
import { HttpService, type HttpServiceOptions, type RequestContext } from './http-service';

export const QDRANT_VERSION = '1.19.0';

/** What the emulator stores per collection; the collection and point routes grow it (later work). */
export interface QdrantCollection {
  name: string;
}

/**
 * Qdrant's REST API (v1.19.0, /work/shared/upstream-specs/qdrant-openapi.json), in memory. Only the
 * service routes and the collection list exist so far.
 */
export class QdrantEmulator extends HttpService {
  readonly collections = new Map<string, QdrantCollection>();

  constructor(options: HttpServiceOptions = {}) {
    super('qdrant', options);
  }

  protected override onUp(): void {
    this.log.write(`INFO actix_server::builder: starting service: "actix-web-service-0.0.0.0:${this.port}"`);
  }

  protected handle(ctx: RequestContext): void {
    const { method, path, res } = ctx;
    const startedAt = performance.now();
    const ok = (result: unknown) =>
      sendJson(res, 200, { result, status: 'ok', time: (performance.now() - startedAt) / 1000 });
    if (method !== 'GET') return sendEmpty(res, 404);
    switch (path) {
      case '/':
        return sendJson(res, 200, {
          title: 'qdrant - vector search engine',
          version: QDRANT_VERSION,
          commit: null,
        });
      case '/healthz':
      case '/livez':
        return sendText(res, 200, 'healthz check passed');
      case '/readyz':
        return sendText(res, 200, 'all shards are ready');
      case '/collections':
        return ok({ collections: [...this.collections.keys()].map((name) => ({ name })) });
    }
    sendEmpty(res, 404);
  }
}
