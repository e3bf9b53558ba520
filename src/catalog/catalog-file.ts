import { existsSync, readFileSync } from 'node:fs';
import YAML from 'yaml';
import type { CandidateEntry, CatalogProblem } from './catalog';

/** File-wide values an entry falls back to. */
export interface CatalogDefaults {
  image?: string;
  load_timeout_s?: number;
}

export interface CatalogFileContents {
  defaults: CatalogDefaults;
  candidates: CandidateEntry[];
  /** Problems of the file as a whole (missing, not YAML, bad defaults). */
  problems: CatalogProblem[];
}

const SCHEMA_VERSION = 1;

function readDefaults(file: string, raw: unknown, problems: CatalogProblem[]): CatalogDefaults {
  if (raw === undefined || raw === null) return {};
  const problem = (field: string | null, message: string) =>
    problems.push({ file, entry: null, field, message });
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problem('defaults', 'must be a mapping');
    return {};
  }
  const defaults: CatalogDefaults = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'image' && typeof value === 'string' && /^[a-z0-9][a-z0-9._/:@-]{0,255}$/.test(value)) {
      defaults.image = value;
    } else if (key === 'load_timeout_s' && Number.isInteger(value) && value >= 60 && value <= 7200) {
      defaults.load_timeout_s = value as number;
    } else if (key === 'image' || key === 'load_timeout_s') {
      problem(
        `defaults.${key}`,
        key === 'image' ? 'must be an image name' : 'must be whole seconds in [60, 7200]',
      );
    } else {
      problem(`defaults.${key}`, 'is not a known field');
    }
  }
  return defaults;
}

/**
 * Reads `models.yaml`: `schema_version`, `defaults` and the raw `models` list. Validation of each
 * entry happens in `buildCatalog`; here only the file's own shape is checked.
 */
export function readCatalogFile(file: string): CatalogFileContents {
  const problems: CatalogProblem[] = [];
  const empty = (message: string): CatalogFileContents => ({
    defaults: {},
    candidates: [],
    problems: [{ file, entry: null, field: null, message }],
  });
  if (!existsSync(file)) return empty('does not exist; the model catalog is empty');
  let doc: unknown;
  try {
    doc = YAML.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return empty(`is not valid YAML: ${(error as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    return empty('must be a mapping with a models list');
  const { schema_version: version, defaults, models } = doc as Record<string, unknown>;
  if (version !== undefined && version !== SCHEMA_VERSION) {
    return empty(
      `schema_version ${JSON.stringify(version)} is not supported (this build reads ${SCHEMA_VERSION})`,
    );
  }
  if (!Array.isArray(models)) return empty('models must be a list');
  return {
    defaults: readDefaults(file, defaults, problems),
    candidates: models.map((raw, index) => ({ raw, source: 'catalog', file, position: `models[${index}]` })),
    problems,
  };
}
