import type { SettingsPatch } from './settings';

/** The previous product's settings file, in the data directory. */
export const LEGACY_SETTINGS_FILE = 'app_settings.json';

type Kind =
  | { type: 'port' }
  | { type: 'container' }
  | { type: 'number'; min: number; max: number; integer: boolean }
  | { type: 'boolean' }
  | { type: 'services' }
  | { type: 'url' }
  | { type: 'secret' };

const CONTAINER = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const SERVICES = ['vllm', 'parakeet', 'kokoro', 'embed', 'qdrant'];

const KNOBS: Record<string, Kind> = {
  VLLM_PORT: { type: 'port' },
  VLLM_CONTAINER: { type: 'container' },
  PARAKEET_PORT: { type: 'port' },
  PARAKEET_CONTAINER: { type: 'container' },
  KOKORO_PORT: { type: 'port' },
  KOKORO_CONTAINER: { type: 'container' },
  EMBED_PORT: { type: 'port' },
  EMBED_CONTAINER: { type: 'container' },
  QDRANT_PORT: { type: 'port' },
  QDRANT_CONTAINER: { type: 'container' },
  DISABLED_SERVICES: { type: 'services' },
  HEALTH_POLL_INTERVAL_S: { type: 'number', min: 0.5, max: 60, integer: false },
  NODE_POLL_INTERVAL_S: { type: 'number', min: 1, max: 300, integer: false },
  DEEP_HEALTH_ENABLED: { type: 'boolean' },
  DEEP_HEALTH_INTERVAL_S: { type: 'number', min: 30, max: 86_400, integer: true },
  WEDGE_AUTO_RESTART: { type: 'boolean' },
  REQUIRE_API_KEYS: { type: 'boolean' },
  SWAP_DRAIN_TIMEOUT_S: { type: 'number', min: 0, max: 3600, integer: true },
  LLM_SWAP_HOLD_S: { type: 'number', min: 0, max: 1800, integer: true },
  auto_rollback: { type: 'boolean' },
  swap_webhook_url: { type: 'url' },
  swap_webhook_secret: { type: 'secret' },
  HF_TOKEN: { type: 'secret' },
};

/**
 * The knobs of the previous product's `app_settings.json` (keyed by environment variable names,
 * values often strings, as environment variables are) as a settings patch. Keys this version does
 * not know, empty values and values out of range are left out and named in `skipped`.
 */
export function legacySettingsPatch(raw: unknown): { patch: SettingsPatch; skipped: string[] } {
  const patch: Record<string, unknown> = {};
  const skipped: string[] = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return { patch: {}, skipped: ['the file is not a JSON object'] };
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const name = key in KNOBS ? key : key.toUpperCase() in KNOBS ? key.toUpperCase() : key.toLowerCase();
    const kind = KNOBS[name];
    if (!kind) {
      skipped.push(`${key}: not a setting of this version`);
      continue;
    }
    if (value === null || value === '') continue;
    const converted = convert(kind, value);
    if (converted === undefined) skipped.push(`${key}: ${JSON.stringify(value)} is not a valid value`);
    else patch[name] = converted;
  }
  return { patch: patch as SettingsPatch, skipped };
}

function convert(kind: Kind, value: unknown): unknown {
  const text = typeof value === 'string' ? value.trim() : value;
  switch (kind.type) {
    case 'port': {
      const port = Number(text);
      return Number.isInteger(port) && port >= 1 && port <= 65_535 ? port : undefined;
    }
    case 'container':
      return typeof text === 'string' && CONTAINER.test(text) ? text : undefined;
    case 'number': {
      const number = Number(text);
      if (!Number.isFinite(number) || number < kind.min || number > kind.max) return undefined;
      return kind.integer && !Number.isInteger(number) ? undefined : number;
    }
    case 'boolean':
      if (typeof text === 'boolean') return text;
      if (typeof text !== 'string') return undefined;
      if (['1', 'true', 'yes', 'on'].includes(text.toLowerCase())) return true;
      if (['0', 'false', 'no', 'off'].includes(text.toLowerCase())) return false;
      return undefined;
    case 'services': {
      const list = Array.isArray(text) ? text : typeof text === 'string' ? text.split(',') : null;
      if (!list) return undefined;
      const names = [...new Set(list.map((item) => String(item).trim().toLowerCase()).filter(Boolean))];
      return names.every((name) => SERVICES.includes(name)) ? names : undefined;
    }
    case 'url':
      if (typeof text !== 'string' || text.length > 2048) return undefined;
      try {
        const url = new URL(text);
        return url.protocol === 'http:' || url.protocol === 'https:' ? text : undefined;
      } catch {
        return undefined;
      }
    case 'secret':
      return typeof text === 'string' && text.length <= 512 ? text : undefined;
  }
}
