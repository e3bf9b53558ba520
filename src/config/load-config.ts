import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import {
  SERVICE_NAMES,
  type GatewayConfig,
  type NodeConfig,
  type ServiceConfig,
  type ServiceName,
} from './config';
import { DEFAULT_LANES, DEFAULT_SERVICES } from './defaults';
import { ConfigError } from './errors';

type Env = Record<string, string | undefined>;

const HOST_PATTERN =
  /^(?:\d{1,3}(?:\.\d{1,3}){3}|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*)$/;
const USER_PATTERN = /^[a-z_][a-z0-9_.-]{0,31}$/i;
const CONTAINER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const ID_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

interface FileNode {
  id?: unknown;
  host?: unknown;
  user?: unknown;
  ssh_port?: unknown;
  roles?: unknown;
}

interface FileService {
  node?: unknown;
  host?: unknown;
  port?: unknown;
  container?: unknown;
  disabled?: unknown;
  timeout_s?: unknown;
}

interface ConfigFile {
  bind_port?: unknown;
  data_dir?: unknown;
  ssh_key_path?: unknown;
  models_yaml?: unknown;
  nodes?: unknown;
  services?: unknown;
  disabled_services?: unknown;
}

/** Reads an integer setting; blank means "use the default", anything else must be a whole number in range. */
function readPort(
  problems: string[],
  name: string,
  raw: unknown,
  fallback: number,
  allowAny = false,
): number {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return fallback;
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (!Number.isInteger(value) || value < (allowAny ? 0 : 1) || value > 65535) {
    problems.push(`${name} must be a port number between 1 and 65535 (got ${JSON.stringify(raw)})`);
    return fallback;
  }
  return value;
}

function readString(
  problems: string[],
  name: string,
  raw: unknown,
  pattern: RegExp,
  hint: string,
): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const value = String(raw).trim();
  if (value === '') return undefined;
  if (!pattern.test(value)) {
    problems.push(`${name} ${hint} (got ${JSON.stringify(value)})`);
    return undefined;
  }
  return value;
}

function readHost(problems: string[], name: string, raw: unknown): string | undefined {
  return readString(problems, name, raw, HOST_PATTERN, 'must be an IPv4 address or host name');
}

function readContainer(problems: string[], name: string, raw: unknown): string | undefined {
  return readString(problems, name, raw, CONTAINER_PATTERN, 'must be a container name');
}

function readConfigFile(problems: string[], file: string | undefined): ConfigFile {
  if (!file) return {};
  if (!existsSync(file)) {
    problems.push(`CONFIG_FILE ${file} does not exist`);
    return {};
  }
  try {
    const parsed: unknown = YAML.parse(readFileSync(file, 'utf8'));
    if (parsed === null || parsed === undefined) return {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      problems.push(`${file} must hold a mapping of settings`);
      return {};
    }
    return parsed as ConfigFile;
  } catch (error) {
    problems.push(`${file} is not valid YAML or JSON: ${(error as Error).message}`);
    return {};
  }
}

function nodesFromFile(problems: string[], file: ConfigFile): NodeConfig[] {
  if (file.nodes === undefined) return [];
  if (!Array.isArray(file.nodes)) {
    problems.push('nodes must be a list of {id, host, user, roles}');
    return [];
  }
  const nodes: NodeConfig[] = [];
  file.nodes.forEach((raw: FileNode, index) => {
    const where = `nodes[${index}]`;
    const id = readString(
      problems,
      `${where}.id`,
      raw?.id,
      ID_PATTERN,
      'must be a short lower-case id like spark1',
    );
    const host = readHost(problems, `${where}.host`, raw?.host);
    const user = readString(problems, `${where}.user`, raw?.user, USER_PATTERN, 'must be a user name');
    if (!id || !host || !user) {
      if (!id && raw?.id === undefined) problems.push(`${where}.id is required`);
      if (!host && raw?.host === undefined) problems.push(`${where}.host is required`);
      if (!user && raw?.user === undefined) problems.push(`${where}.user is required`);
      return;
    }
    const roles = Array.isArray(raw.roles) ? raw.roles.map(String) : [];
    nodes.push({ id, host, user, sshPort: readPort(problems, `${where}.ssh_port`, raw.ssh_port, 22), roles });
  });
  return nodes;
}

/** The classic two-Spark variables of the previous product. */
function nodesFromEnv(problems: string[], env: Env): NodeConfig[] {
  const nodes: NodeConfig[] = [];
  for (const [id, prefix, roles] of [
    ['spark1', 'SPARK1', ['head', 'llm']],
    ['spark2', 'SPARK2', ['speech', 'worker']],
  ] as const) {
    const host = readHost(problems, `${prefix}_HOST`, env[`${prefix}_HOST`]);
    const user = readString(
      problems,
      `${prefix}_USER`,
      env[`${prefix}_USER`],
      USER_PATTERN,
      'must be a user name',
    );
    if (host && !user) problems.push(`${prefix}_USER is required when ${prefix}_HOST is set`);
    if (user && !host && env[`${prefix}_HOST`] === undefined)
      problems.push(`${prefix}_HOST is required when ${prefix}_USER is set`);
    if (host && user) {
      nodes.push({
        id,
        host,
        user,
        sshPort: readPort(problems, `${prefix}_SSH_PORT`, env[`${prefix}_SSH_PORT`], 22),
        roles: [...roles],
      });
    }
  }
  return nodes;
}

function disabledServices(problems: string[], raw: unknown): Set<ServiceName> {
  const names =
    typeof raw === 'string'
      ? raw.split(',')
      : Array.isArray(raw)
        ? raw.map(String)
        : raw === undefined || raw === null
          ? []
          : null;
  if (names === null) {
    problems.push('DISABLED_SERVICES must be a comma-separated list of service names');
    return new Set();
  }
  const disabled = new Set<ServiceName>();
  for (const name of names.map((n) => n.trim().toLowerCase()).filter(Boolean)) {
    // The previous product called the TTS service "magpie" before Kokoro replaced it.
    const canonical = name === 'magpie' ? 'kokoro' : name;
    if ((SERVICE_NAMES as readonly string[]).includes(canonical)) disabled.add(canonical as ServiceName);
    else
      problems.push(
        `DISABLED_SERVICES names an unknown service ${JSON.stringify(name)} (known: ${SERVICE_NAMES.join(', ')})`,
      );
  }
  return disabled;
}

function buildServices(
  problems: string[],
  env: Env,
  file: ConfigFile,
  nodes: NodeConfig[],
): Record<ServiceName, ServiceConfig> {
  const fileServices = (file.services ?? {}) as Record<string, FileService>;
  if (typeof fileServices !== 'object' || Array.isArray(fileServices))
    problems.push('services must be a mapping');
  for (const name of Object.keys(fileServices)) {
    if (!(SERVICE_NAMES as readonly string[]).includes(name))
      problems.push(`services.${name} is not a known service (known: ${SERVICE_NAMES.join(', ')})`);
  }
  const disabled = disabledServices(problems, env.DISABLED_SERVICES ?? file.disabled_services);
  const services = {} as Record<ServiceName, ServiceConfig>;
  for (const name of SERVICE_NAMES) {
    const defaults = DEFAULT_SERVICES[name];
    const fromFile = fileServices[name] ?? {};
    const envName = name.toUpperCase();
    const nodeId = String(fromFile.node ?? defaults.node);
    const node = nodes.find((n) => n.id === nodeId);
    if (fromFile.node !== undefined && nodes.length > 0 && !node)
      problems.push(`services.${name}.node names ${JSON.stringify(nodeId)}, which is not in nodes`);
    const host =
      readHost(problems, `${envName}_HOST`, env[`${envName}_HOST`]) ??
      readHost(problems, `services.${name}.host`, fromFile.host) ??
      node?.host ??
      '';
    const timeoutS = fromFile.timeout_s;
    if (timeoutS !== undefined && !(typeof timeoutS === 'number' && timeoutS > 0 && timeoutS <= 86_400)) {
      problems.push(`services.${name}.timeout_s must be a number of seconds between 1 and 86400`);
    }
    services[name] = {
      ...defaults,
      node: nodeId,
      host,
      port: readPort(
        problems,
        `${envName}_PORT`,
        env[`${envName}_PORT`],
        readPort(problems, `services.${name}.port`, fromFile.port, defaults.port),
      ),
      container:
        readContainer(problems, `${envName}_CONTAINER`, env[`${envName}_CONTAINER`]) ??
        readContainer(problems, `services.${name}.container`, fromFile.container) ??
        defaults.container,
      disabled: disabled.has(name) || fromFile.disabled === true || host === '',
      responseTimeoutMs:
        typeof timeoutS === 'number' && timeoutS > 0 ? timeoutS * 1000 : defaults.responseTimeoutMs,
    };
  }
  // The previous product's PARAKEET_HOST / MAGPIE_* names keep working.
  const magpieHost = readHost(problems, 'MAGPIE_HOST', env.MAGPIE_HOST);
  if (magpieHost && !env.KOKORO_HOST) services.kokoro.host = magpieHost;
  return services;
}

/**
 * Builds the gateway configuration from the config file (CONFIG_FILE) and environment variables
 * (the previous product's names keep working). Throws a ConfigError naming every problem.
 */
export function loadConfig(env: Env = process.env): GatewayConfig {
  const problems: string[] = [];
  const file = readConfigFile(problems, env.CONFIG_FILE?.trim() || undefined);
  const fileNodes = nodesFromFile(problems, file);
  const envNodes = nodesFromEnv(problems, env);
  const nodes = fileNodes.length > 0 ? fileNodes : envNodes;
  const ids = new Set<string>();
  for (const node of nodes) {
    if (ids.has(node.id)) problems.push(`node id ${node.id} is used twice`);
    ids.add(node.id);
  }
  const dataDir = path.resolve(
    env.DATA_DIR?.trim() || (typeof file.data_dir === 'string' ? file.data_dir : './data'),
  );
  const services = buildServices(problems, env, file, nodes);
  const config: GatewayConfig = {
    mode: nodes.length === 0 ? 'emulated' : 'cluster',
    version: env.npm_package_version ?? readPackageVersion(),
    bindHost: env.BIND_HOST?.trim() || '0.0.0.0',
    // 0 asks for any free port (tests); the log names the port actually bound.
    bindPort: readPort(
      problems,
      'BIND_PORT',
      env.BIND_PORT,
      readPort(problems, 'bind_port', file.bind_port, 9999),
      true,
    ),
    dataDir,
    uploadDir: path.resolve(env.UPLOAD_DIR?.trim() || path.join(os.tmpdir(), 'spark-control-uploads')),
    sshKeyPath: path.resolve(
      env.SSH_KEY_PATH?.trim() ||
        (typeof file.ssh_key_path === 'string' ? file.ssh_key_path : path.join(dataDir, 'ssh', 'id_ed25519')),
    ),
    modelsYaml: path.resolve(
      env.MODELS_YAML?.trim() || (typeof file.models_yaml === 'string' ? file.models_yaml : 'models.yaml'),
    ),
    nodes,
    services,
    lanes: structuredClone(DEFAULT_LANES),
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    strictResponses: env.STRICT_RESPONSES === '1',
    redaction: {
      mapTtlMs: readMapTtlHours(problems, env.REDACTION_MAP_TTL_HOURS) * 3_600_000,
      sweepIntervalMs: 60_000,
      nerTimeoutMs: readNerTimeoutS(problems, env.REDACTION_NER_TIMEOUT_S) * 1000,
      streamIdleFlushMs: 60_000,
    },
    health: {
      pollIntervalMs: readRange(problems, 'HEALTH_POLL_MS', env.HEALTH_POLL_MS, 1_000, 250, 2_000),
      resourcesIntervalMs: 5_000,
      deepEnabled: env.DEEP_HEALTH?.trim() !== '0',
      deepIntervalS: readRange(
        problems,
        'DEEP_HEALTH_INTERVAL_S',
        env.DEEP_HEALTH_INTERVAL_S,
        60,
        30,
        86_400,
      ),
      restartLimits: { maxRestarts: 3, windowMs: 30 * 60_000, cooldownMs: 120_000, startupGraceMs: 60_000 },
    },
    serviceControl: {
      speechPatchesDir: path.resolve(env.SPEECH_PATCHES_DIR?.trim() || path.join('patches', 'parakeet-asr')),
      patchHealthWaitMs:
        readRange(problems, 'SPEECH_PATCH_HEALTH_WAIT_S', env.SPEECH_PATCH_HEALTH_WAIT_S, 300, 1, 3_600) *
        1000,
      memoryLimits: readMemoryLimits(problems, env),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** `PARAKEET_MEMORY_LIMIT=24g` and the like: docker memory sizes per support service. */
function readMemoryLimits(problems: string[], env: Env): Partial<Record<ServiceName, string>> {
  const limits: Partial<Record<ServiceName, string>> = {};
  for (const name of SERVICE_NAMES) {
    const variable = `${name.toUpperCase()}_MEMORY_LIMIT`;
    const raw = env[variable]?.trim();
    if (!raw) continue;
    if (/^[1-9]\d*[bkmg]?$/i.test(raw)) limits[name] = raw.toLowerCase();
    else
      problems.push(
        `${variable} must be a docker memory size such as 24g or 512m (got ${JSON.stringify(raw)})`,
      );
  }
  return limits;
}

/** A whole number setting within [min, max]; blank means the default. */
function readRange(
  problems: string[],
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be a whole number between ${min} and ${max} (got ${JSON.stringify(raw)})`);
    return fallback;
  }
  return value;
}

const MAX_MAP_TTL_HOURS = 7 * 24;

/** Lifetime of a redaction map in hours: blank means 24, otherwise a number above 0 and at most 7 days. */
function readMapTtlHours(problems: string[], raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 24;
  const hours = Number(raw.trim());
  if (!Number.isFinite(hours) || hours <= 0 || hours > MAX_MAP_TTL_HOURS) {
    problems.push(
      `REDACTION_MAP_TTL_HOURS must be a number of hours above 0 and at most ${MAX_MAP_TTL_HOURS} (got ${JSON.stringify(raw)})`,
    );
    return 24;
  }
  return hours;
}

/** Seconds the NER backstop may take per scrub call: blank means 120, otherwise 1 to 3600. */
function readNerTimeoutS(problems: string[], raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 120;
  const seconds = Number(raw.trim());
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3_600) {
    problems.push(
      `REDACTION_NER_TIMEOUT_S must be a number of seconds from 1 to 3600 (got ${JSON.stringify(raw)})`,
    );
    return 120;
  }
  return seconds;
}

function readPackageVersion(): string {
  for (const candidate of [
    path.join(__dirname, '..', '..', 'package.json'),
    path.join(__dirname, '..', '..', '..', 'package.json'),
  ]) {
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'spark-control' && pkg.version) return pkg.version;
    }
  }
  return '0.0.0';
}
