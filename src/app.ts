import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import path from 'node:path';
import type { AppContext } from './app-context';
import { openCatalog } from './catalog/catalog-store';
import type { GatewayConfig } from './config/config';
import type { InProcessHandler } from './contract/handler';
import { operationIdOf, requestPath } from './contract/http';
import { createContractRouter } from './contract/router';
import { loadSpecs, projectRoot } from './contract/specs';
import { GatewayError } from './errors/catalogue';
import { sendError } from './errors/envelope';
import { allHandlers } from './handlers';
import { rewriteModelAlias } from './llm/rewrite-model-alias';
import { createLogger, type Logger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import type { Counter, Histogram } from 'prom-client';
import { createLanes } from './upstream/lane';
import { Upstreams } from './upstream/upstreams';
import { openDatabase } from './state/database';
import { startRedaction, stopRedaction } from './redaction/service';
import { createSshLayer } from './ssh/ssh-layer';
import { HealthMonitor } from './health/monitor';
import { SwapManager } from './swap/manager';
import { SettingsStore } from './swap/settings';

export interface CreateAppOptions {
  config: GatewayConfig;
  logger?: Logger;
  /** Replaces the handler map (binding tests). */
  handlers?: Record<string, InProcessHandler | undefined>;
}

export interface GatewayApp {
  /** The request listener to serve: the contract first, then the Express app for everything else. */
  listener: RequestListener;
  app: Express;
  context: AppContext;
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the gateway from a configuration: its request listener (the contract's routes, then an
 * Express app for the pages around them). It does not listen; `server.ts` does.
 */
export async function createApp(options: CreateAppOptions): Promise<GatewayApp> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const db = openDatabase(config.dataDir);
  const catalog = openCatalog(config.modelsYaml, db);
  for (const problem of catalog.problems) logger.warn({ catalog: catalog.file }, problem);
  const ssh = createSshLayer(config, db, logger);
  const context: AppContext = {
    config,
    logger,
    metrics,
    upstreams: new Upstreams(config.services),
    lanes: createLanes(config.lanes, metrics),
    catalog,
    specs: loadSpecs(),
    bodyRewriters: { vllm: rewriteModelAlias },
    startedAt: new Date(),
    db,
    shells: ssh.shells,
    ssh,
    health: new HealthMonitor(config, db, logger, metrics),
  };

  // Label sets are few (operation × method × status): their series are looked up once, not hashed per request.
  const requestCounters = new Map<string, Counter.Internal>();
  const requestSeries = (operationId: string, method: string, status: number) => {
    const key = `${operationId} ${method} ${status}`;
    let series = requestCounters.get(key);
    if (!series) {
      series = metrics.requests.labels({ operation_id: operationId, method, status: String(status) });
      requestCounters.set(key, series);
    }
    return series;
  };
  const durations = new Map<string, Histogram.Internal<'operation_id'>>();
  const durationSeries = (operationId: string) => {
    let series = durations.get(operationId);
    if (!series) {
      series = metrics.requestDuration.labels({ operation_id: operationId });
      durations.set(operationId, series);
    }
    return series;
  };

  // Every request: an id, then one metrics sample and one access-log line when it ends.
  const observe = (req: IncomingMessage, res: ServerResponse) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const started = performance.now();
    res.once('close', () => {
      const operationId = operationIdOf(res) ?? 'unmatched';
      const seconds = (performance.now() - started) / 1000;
      requestSeries(operationId, req.method ?? '', res.statusCode).inc();
      durationSeries(operationId).observe(seconds);
      logger.info(
        {
          requestId,
          method: req.method,
          path: requestPath(req),
          operationId,
          status: res.statusCode,
          ms: Math.round(seconds * 10_000) / 10,
          aborted: !res.writableFinished,
        },
        'request',
      );
    });
  };

  startRedaction(context);
  const contract = await createContractRouter(context, options.handlers ?? allHandlers());

  // Express serves what surrounds the contract: the dashboard page, the reference's script, 404s.
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  const root = projectRoot();
  app.get('/', (_req, res) => res.sendFile(path.join(root, 'ui', 'index.html')));
  app.get('/docs/redoc.standalone.js', (_req, res) =>
    res.sendFile(require.resolve('redoc/bundles/redoc.standalone.js')),
  );
  app.use((req: Request, res: Response) => {
    req.resume();
    sendError(res, new GatewayError('not_found', { detail: `no route ${req.method} ${req.path}` }));
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    logger.error({ err: error, requestId: res.getHeader('x-request-id'), path: req.path }, 'unhandled error');
    sendError(res, new GatewayError('internal_error'));
  });

  // The contract's routes are the hot path: they are served on Node's own objects, ahead of Express.
  const listener: RequestListener = (req, res) => {
    observe(req, res);
    if (!contract.handle(req, res)) app(req, res);
  };

  context.onUpstreamOutcome = (service, outcome) => context.health.observeTraffic(service, outcome);
  context.health.start(context);
  context.settings = new SettingsStore(db, config);
  context.swaps = new SwapManager(context, context.settings);
  context.swaps.begin();

  return {
    app,
    listener,
    context,
    close: async () => {
      await context.swaps?.close();
      context.health.stop();
      stopRedaction(context);
      await context.upstreams.close();
      context.ssh.close();
      context.db.close();
    },
  };
}
