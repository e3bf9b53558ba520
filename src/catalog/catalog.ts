import { existsSync, readFileSync } from 'node:fs';
import YAML from 'yaml';

/** What the gateway needs from a catalog entry to route LLM requests; the control plane reads the rest. */
export interface CatalogEntry {
  id: string;
  displayName: string;
  servedModelName: string;
  hfRepo: string | null;
  aliases: string[];
}

export interface Catalog {
  file: string;
  entries: CatalogEntry[];
  /** Bad entries, each named by file, entry and field; they are skipped, the rest still loads. */
  problems: string[];
  /** The served name a request's `model` stands for, when it is a catalog id or alias. */
  servedNameFor(model: string): string | null;
}

const ID = /^[a-z0-9][a-z0-9._-]{0,127}$/;
const NAME = /^[^\s]{1,256}$/;

function entryFrom(file: string, raw: unknown, index: number, problems: string[]): CatalogEntry | null {
  const where = `${file}: models[${index}]`;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${where} must be a mapping`);
    return null;
  }
  const value = raw as Record<string, unknown>;
  const id = value.id;
  if (typeof id !== 'string' || !ID.test(id)) {
    problems.push(`${where}.id must be a lower-case slug (got ${JSON.stringify(id)})`);
    return null;
  }
  const at = `${file}: model ${id}`;
  const served = value.served_model_name ?? id;
  if (typeof served !== 'string' || !NAME.test(served)) {
    problems.push(`${at}: served_model_name must be a name without spaces`);
    return null;
  }
  const aliases = value.aliases ?? [];
  if (!Array.isArray(aliases) || aliases.some((alias) => typeof alias !== 'string' || !NAME.test(alias))) {
    problems.push(`${at}: aliases must be a list of names without spaces`);
    return null;
  }
  const repo = value.hf_repo;
  if (repo !== undefined && (typeof repo !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(repo))) {
    problems.push(`${at}: hf_repo must look like org/name`);
    return null;
  }
  const displayName = typeof value.display_name === 'string' ? value.display_name : id;
  return {
    id,
    displayName,
    servedModelName: served,
    hfRepo: typeof repo === 'string' ? repo : null,
    aliases: aliases as string[],
  };
}

export function buildCatalog(file: string, entries: CatalogEntry[], problems: string[]): Catalog {
  const lookup = new Map<string, string>();
  for (const entry of entries) {
    for (const name of [entry.id, entry.servedModelName, ...entry.aliases]) {
      const existing = lookup.get(name);
      if (existing && existing !== entry.servedModelName) {
        problems.push(
          `${file}: name ${JSON.stringify(name)} stands for both ${existing} and ${entry.servedModelName}; it is not rewritten`,
        );
        lookup.set(name, '');
      } else if (existing === undefined) {
        lookup.set(name, entry.servedModelName);
      }
    }
  }
  return {
    file,
    entries,
    problems,
    servedNameFor: (model) => lookup.get(model) || null,
  };
}

/** Loads `models.yaml`; a missing file is an empty catalog, bad entries are reported and skipped. */
export function loadCatalog(file: string): Catalog {
  const problems: string[] = [];
  if (!existsSync(file))
    return buildCatalog(file, [], [`${file} does not exist; the model catalog is empty`]);
  let doc: unknown;
  try {
    doc = YAML.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return buildCatalog(file, [], [`${file} is not valid YAML: ${(error as Error).message}`]);
  }
  const models = (doc as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) return buildCatalog(file, [], [`${file}: models must be a list`]);
  const entries: CatalogEntry[] = [];
  const seen = new Set<string>();
  models.forEach((raw, index) => {
    const entry = entryFrom(file, raw, index, problems);
    if (!entry) return;
    if (seen.has(entry.id)) {
      problems.push(`${file}: model ${entry.id} is defined twice; the second is skipped`);
      return;
    }
    seen.add(entry.id);
    entries.push(entry);
  });
  return buildCatalog(file, entries, problems);
}
