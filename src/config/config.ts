export const SERVICE_NAMES = ['vllm', 'parakeet', 'kokoro', 'embed', 'qdrant'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface NodeConfig {
  id: string;
  host: string;
  user: string;
  sshPort: number;
  roles: string[];
}

export interface ServiceConfig {
  name: ServiceName;
  /** Id of the node the service runs on. */
  node: string;
  /** IPv4 address or host name the gateway connects to (never a `.local` name). */
  host: string;
  port: number;
  container: string;
  disabled: boolean;
  /** Admission lane every call to this service goes through. */
  lane: string;
  connectTimeoutMs: number;
  /** Longest wait for the response headers, and the longest silence between body chunks. */
  responseTimeoutMs: number;
}

export interface LaneConfig {
  concurrency: number;
  queueLimit: number;
  /** `Retry-After` seconds when the queue is full. */
  retryAfterS: number;
}

export interface GatewayConfig {
  /** `emulated`: no nodes configured, the embedded emulated cluster stands in for them. */
  mode: 'emulated' | 'cluster';
  version: string;
  bindHost: string;
  bindPort: number;
  dataDir: string;
  uploadDir: string;
  sshKeyPath: string;
  modelsYaml: string;
  nodes: NodeConfig[];
  services: Record<ServiceName, ServiceConfig>;
  lanes: Record<string, LaneConfig>;
  logLevel: string;
  /** Answer 500 when an in-process handler's response breaks the contract (tests); otherwise log it. */
  strictResponses: boolean;
  redaction: RedactionConfig;
  health: HealthConfig;
  serviceControl: ServiceControlConfig;
}

export interface ServiceControlConfig {
  /** The parakeet-asr patch overlay copied into the container (SPEECH_PATCHES_DIR). */
  speechPatchesDir: string;
  /** Longest wait for parakeet's health after a patch reapply (SPEECH_PATCH_HEALTH_WAIT_S, default 300). */
  patchHealthWaitMs: number;
  /** Memory caps applied with `docker update --memory` when a service is started (`<NAME>_MEMORY_LIMIT`, e.g. `24g`). */
  memoryLimits: Partial<Record<ServiceName, string>>;
}

export interface HealthConfig {
  /** Cheap probes of every node and service, every this many ms (HEALTH_POLL_MS, 250–2000). */
  pollIntervalMs: number;
  /** Node memory/GPU readings and vLLM metrics, every this many ms. */
  resourcesIntervalMs: number;
  /** Real inference probes (DEEP_HEALTH=0 turns them off). */
  deepEnabled: boolean;
  /** Between deep probe rounds (DEEP_HEALTH_INTERVAL_S, 30–86400). */
  deepIntervalS: number;
  /** Automatic restarts of wedged services. */
  restartLimits: { maxRestarts: number; windowMs: number; cooldownMs: number; startupGraceMs: number };
}

export interface RedactionConfig {
  /** How long a placeholder map lives after its creation (REDACTION_MAP_TTL_HOURS, at most 7 days). */
  mapTtlMs: number;
  /** How often expired maps are swept. */
  sweepIntervalMs: number;
  /** Longest wait for the local LLM's NER answers of one scrub call (REDACTION_NER_TIMEOUT_S). */
  nerTimeoutMs: number;
  /** Silence after which a rehydrated stream releases the tail it holds back. */
  streamIdleFlushMs: number;
}
