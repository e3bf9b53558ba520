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
}
