import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, one registry per app so tests can run several apps side by side. */
export interface Metrics {
  registry: Registry;
  requests: Counter<'operation_id' | 'method' | 'status'>;
  requestDuration: Histogram<'operation_id'>;
  upstreamErrors: Counter<'service' | 'code'>;
  laneDepth: Gauge<'lane'>;
  laneInFlight: Gauge<'lane'>;
  laneWait: Histogram<'lane'>;
  laneRejected: Counter<'lane' | 'reason'>;
  serviceUp: Gauge<'service'>;
  nodeUp: Gauge<'node'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'spark_control_' });
  return {
    registry,
    requests: new Counter({
      name: 'spark_control_http_requests_total',
      help: 'HTTP requests answered, by contract operation and status.',
      labelNames: ['operation_id', 'method', 'status'],
      registers: [registry],
    }),
    requestDuration: new Histogram({
      name: 'spark_control_http_request_duration_seconds',
      help: 'Time from request arrival to the end of the response, by contract operation.',
      labelNames: ['operation_id'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600, 1800],
      registers: [registry],
    }),
    upstreamErrors: new Counter({
      name: 'spark_control_upstream_errors_total',
      help: 'Failed calls to upstream services, by service and catalogue code.',
      labelNames: ['service', 'code'],
      registers: [registry],
    }),
    laneDepth: new Gauge({
      name: 'spark_control_lane_queue_depth',
      help: 'Requests waiting for admission, by lane.',
      labelNames: ['lane'],
      registers: [registry],
    }),
    laneInFlight: new Gauge({
      name: 'spark_control_lane_in_flight',
      help: 'Requests admitted and not yet finished, by lane.',
      labelNames: ['lane'],
      registers: [registry],
    }),
    laneWait: new Histogram({
      name: 'spark_control_lane_wait_seconds',
      help: 'Time requests waited in the queue before admission, by lane.',
      labelNames: ['lane'],
      buckets: [0.001, 0.01, 0.1, 0.5, 1, 5, 30, 120, 600],
      registers: [registry],
    }),
    laneRejected: new Counter({
      name: 'spark_control_lane_rejected_total',
      help: 'Requests that left a lane without admission: queue_full or client_gone.',
      labelNames: ['lane', 'reason'],
      registers: [registry],
    }),
    serviceUp: new Gauge({
      name: 'spark_control_service_up',
      help: 'Whether a service answers its health probe (1) or not (0); an idle vLLM counts as up.',
      labelNames: ['service'],
      registers: [registry],
    }),
    nodeUp: new Gauge({
      name: 'spark_control_node_up',
      help: 'Whether a node answers on the network (1) or not (0), from the health polls.',
      labelNames: ['node'],
      registers: [registry],
    }),
  };
}
