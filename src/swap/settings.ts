import type { components } from '../../generated/control';
import type { GatewayConfig, ServiceName } from '../config/config';
import { DEFAULT_SERVICES } from '../config/defaults';
import fs from 'node:fs';
import path from 'node:path';
import { migrate, type StateDatabase } from '../state/database';
import { LEGACY_SETTINGS_FILE, legacySettingsPatch } from './legacy-settings';

export type SettingsValues = components['schemas']['SettingsValues'];
export type SettingsView = components['schemas']['SettingsView'];
export type SettingsPatch = components['schemas']['SettingsPatch'];
type Knob = keyof SettingsValues;
type Secret = keyof SettingsView['secrets_set'];
type Source = 'default' | 'environment' | 'settings';

const MIGRATIONS = [
  `CREATE TABLE settings (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );`,
];

const SECRETS: readonly Secret[] = ['swap_webhook_secret', 'HF_TOKEN'];

const SERVICE_KNOBS: Record<string, [ServiceName, 'port' | 'container']> = {
  VLLM_PORT: ['vllm', 'port'],
  VLLM_CONTAINER: ['vllm', 'container'],
  PARAKEET_PORT: ['parakeet', 'port'],
  PARAKEET_CONTAINER: ['parakeet', 'container'],
  KOKORO_PORT: ['kokoro', 'port'],
  KOKORO_CONTAINER: ['kokoro', 'container'],
  EMBED_PORT: ['embed', 'port'],
  EMBED_CONTAINER: ['embed', 'container'],
  QDRANT_PORT: ['qdrant', 'port'],
  QDRANT_CONTAINER: ['qdrant', 'container'],
};

/** Knobs that are not part of the service inventory, with their defaults. */
const PLAIN_DEFAULTS = {
  HEALTH_POLL_INTERVAL_S: 1,
  NODE_POLL_INTERVAL_S: 2,
  DEEP_HEALTH_ENABLED: true,
  DEEP_HEALTH_INTERVAL_S: 300,
  WEDGE_AUTO_RESTART: true,
  REQUIRE_API_KEYS: false,
  SWAP_DRAIN_TIMEOUT_S: 120,
  LLM_SWAP_HOLD_S: 0,
  auto_rollback: false,
  swap_webhook_url: null,
} satisfies Partial<SettingsValues>;

/**
 * The live settings: defaults, then what the environment set, then what was changed through the API
 * (stored in SQLite, so a restart keeps it). Service ports, containers and the disabled list are
 * applied to the running configuration at once; other components read the rest with `values()`.
 */
export class SettingsStore {
  private readonly environment: Partial<SettingsValues>;
  /** The inventory as configured at start, before any stored setting changed it. */
  private readonly initialServices: GatewayConfig['services'];
  private readonly listeners = new Set<(values: SettingsValues) => void>();

  constructor(
    private readonly db: StateDatabase,
    private readonly config: GatewayConfig,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    migrate(db, 'settings', MIGRATIONS);
    this.initialServices = structuredClone(config.services);
    this.environment = this.fromEnvironment(env);
    this.importLegacyFile();
    this.apply();
  }

  /** What the first boot took over from the previous product's settings file, and what it skipped. */
  legacyImport: { imported: string[]; skipped: string[] } | null = null;

  /** On the first boot after the previous product, its `app_settings.json` becomes stored settings (once). */
  private importLegacyFile(): void {
    const file = path.join(this.config.dataDir, LEGACY_SETTINGS_FILE);
    const done = this.db.prepare(`SELECT 1 FROM settings WHERE key = '_legacy_imported'`).get();
    if (done || !fs.existsSync(file)) return;
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      raw = null;
    }
    const { patch, skipped } = legacySettingsPatch(raw);
    if (Object.keys(patch).length > 0) this.update(patch);
    this.db
      .prepare(
        `INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES ('_legacy_imported', 'true', ?)`,
      )
      .run(new Date().toISOString());
    this.legacyImport = { imported: Object.keys(patch), skipped };
  }

  values(): SettingsValues {
    const stored = this.stored();
    const values = { ...this.baseValues(), ...this.environment } as Record<string, unknown>;
    for (const [key, value] of stored) if (!SECRETS.includes(key as Secret)) values[key] = value;
    return values as SettingsValues;
  }

  secret(name: Secret): string | null {
    const value = this.stored().get(name);
    if (typeof value === 'string' && value.length > 0) return value;
    const fromEnv = process.env[name === 'HF_TOKEN' ? 'HF_TOKEN' : 'SWAP_WEBHOOK_SECRET'];
    return fromEnv && fromEnv.length > 0 ? fromEnv : null;
  }

  view(): SettingsView {
    const stored = this.stored();
    const sources: Record<string, Source> = {};
    for (const key of Object.keys(this.values())) {
      const source: Source = stored.has(key)
        ? 'settings'
        : key in this.environment
          ? 'environment'
          : 'default';
      if (source !== 'default') sources[key] = source;
    }
    const row = this.db
      .prepare(`SELECT MAX(updated_at) AS at FROM settings WHERE key != '_legacy_imported'`)
      .get() as {
      at: string | null;
    };
    return {
      settings: this.values(),
      secrets_set: {
        swap_webhook_secret: this.secret('swap_webhook_secret') !== null,
        HF_TOKEN: this.secret('HF_TOKEN') !== null,
      },
      sources,
      updated_at: row.at,
    };
  }

  /** Writes the knobs sent (null removes a stored value), durably, then applies them. */
  update(patch: SettingsPatch): SettingsView {
    const now = new Date().toISOString();
    const upsert = this.db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    const remove = this.db.prepare('DELETE FROM settings WHERE key = ?');
    const touch = this.db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES ('_updated', 'null', ?)
       ON CONFLICT(key) DO UPDATE SET updated_at = excluded.updated_at`,
    );
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value === null || value === undefined) remove.run(key);
        else upsert.run(key, JSON.stringify(value), now);
      }
      touch.run(now);
    })();
    this.apply();
    const values = this.values();
    for (const listener of this.listeners) listener(values);
    return this.view();
  }

  onChange(listener: (values: SettingsValues) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private stored(): Map<string, unknown> {
    const rows = this.db
      .prepare(`SELECT key, value FROM settings WHERE key NOT IN ('_updated', '_legacy_imported')`)
      .all() as {
      key: string;
      value: string;
    }[];
    return new Map(rows.map((row) => [row.key, JSON.parse(row.value) as unknown]));
  }

  /** The inventory's own values (which already include its environment variables) and the defaults. */
  private baseValues(): SettingsValues {
    const values: Record<string, unknown> = { ...PLAIN_DEFAULTS };
    for (const [knob, [service, field]] of Object.entries(SERVICE_KNOBS)) {
      values[knob] = this.initialServices[service][field];
    }
    values.DISABLED_SERVICES = (Object.keys(this.initialServices) as ServiceName[]).filter(
      (name) => this.initialServices[name].disabled,
    );
    return values as SettingsValues;
  }

  private fromEnvironment(env: NodeJS.ProcessEnv): Partial<SettingsValues> {
    const found: Record<string, unknown> = {};
    for (const [knob, [service, field]] of Object.entries(SERVICE_KNOBS)) {
      if (this.initialServices[service][field] !== DEFAULT_SERVICES[service][field])
        found[knob] = this.initialServices[service][field];
    }
    for (const [knob, fallback] of Object.entries(PLAIN_DEFAULTS)) {
      const raw = env[knob] ?? env[knob.toUpperCase()];
      if (raw === undefined || raw.trim() === '') continue;
      if (typeof fallback === 'boolean')
        found[knob] = ['1', 'true', 'yes', 'on'].includes(raw.trim().toLowerCase());
      else if (typeof fallback === 'number' && Number.isFinite(Number(raw))) found[knob] = Number(raw);
      else if (fallback === null) found[knob] = raw.trim();
    }
    return found as Partial<SettingsValues>;
  }

  private apply(): void {
    const values = this.values();
    for (const [knob, [service, field]] of Object.entries(SERVICE_KNOBS)) {
      const value = values[knob as Knob];
      if (field === 'port') this.config.services[service].port = value as number;
      else this.config.services[service].container = value as string;
    }
    for (const service of Object.keys(this.config.services) as ServiceName[]) {
      this.config.services[service].disabled = values.DISABLED_SERVICES.includes(service);
    }
  }
}
