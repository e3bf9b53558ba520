import { entryProblems, type CatalogModel } from './entry-validation';
import { readCatalogFile, type CatalogDefaults } from './catalog-file';

export type { CatalogModel } from './entry-validation';

/** One usable catalog entry: the fields the gateway routes by, and the whole entry for the control plane. */
export interface CatalogEntry {
  id: string;
  displayName: string;
  servedModelName: string;
  hfRepo: string | null;
  localPath: string | null;
  aliases: string[];
  /** `catalog`: from models.yaml; `override`: added or replaced through `POST /api/models`. */
  source: 'catalog' | 'override';
  /** The entry as the contract shapes it, with the file's defaults applied (image, load timeout). */
  model: CatalogModel;
}

/** A skipped entry, named by file, entry (id or `models[i]`) and field. */
export interface CatalogProblem {
  file: string;
  entry: string | null;
  field: string | null;
  message: string;
}

export interface Catalog {
  file: string;
  entries: CatalogEntry[];
  /** Bad entries, each named by file, entry and field; they are skipped, the rest still loads. */
  problems: string[];
  /** The same problems, structured. */
  issues: CatalogProblem[];
  /** The served name a request's `model` stands for, when it is a catalog id, served name or alias. */
  servedNameFor(model: string): string | null;
  entry(id: string): CatalogEntry | undefined;
}

/** A raw entry and where it came from, before validation. */
export interface CandidateEntry {
  raw: unknown;
  source: CatalogEntry['source'];
  /** The file (or store) it was read from. */
  file: string;
  /** `models[i]` in a file, used when the entry has no usable id. */
  position: string;
}

export function describeProblem(problem: CatalogProblem): string {
  const entry =
    problem.entry === null
      ? ''
      : /^models\[/.test(problem.entry)
        ? `${problem.entry}: `
        : `model ${problem.entry}: `;
  const field = problem.field === null ? '' : `${problem.field} `;
  return `${problem.file}: ${entry}${field}${problem.message}`;
}

/** The entry with the catalog's and the schema's defaults filled in, so consumers never look them up. */
export function withDefaults(model: CatalogModel, defaults: CatalogDefaults): CatalogModel {
  const resolved: CatalogModel = structuredClone(model);
  resolved.placement = { ...resolved.placement, backend: resolved.placement.backend ?? 'no-ray' };
  resolved.readiness = { ...resolved.readiness, probe: resolved.readiness?.probe ?? 'chat' };
  if (defaults.image && !resolved.runtime?.image)
    resolved.runtime = { ...resolved.runtime, image: defaults.image };
  if (defaults.load_timeout_s && !resolved.timing?.load_timeout_s) {
    resolved.timing = { ...resolved.timing, load_timeout_s: defaults.load_timeout_s };
  }
  return resolved;
}

function namesOf(model: CatalogModel): string[] {
  return [...new Set([model.id, model.served_model_name, ...(model.aliases ?? [])])];
}

function usableId(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' && /^[a-z0-9][a-z0-9._-]{0,127}$/.test(id) ? id : null;
}

/**
 * Validates candidates in order and keeps the usable ones: each must be a valid `CatalogModel`, and
 * its id, served name and aliases may not stand for another entry (the later one is skipped).
 */
export function buildCatalog(
  file: string,
  candidates: CandidateEntry[],
  defaults: CatalogDefaults,
  earlierProblems: CatalogProblem[] = [],
): Catalog {
  const issues = [...earlierProblems];
  const entries: CatalogEntry[] = [];
  const owner = new Map<string, string>();
  for (const candidate of candidates) {
    const id = usableId(candidate.raw);
    const label = id ?? candidate.position;
    const found = entryProblems(candidate.raw);
    if (found.length > 0) {
      for (const problem of found) issues.push({ file: candidate.file, entry: label, ...problem });
      continue;
    }
    const model = candidate.raw as CatalogModel;
    const clash = namesOf(model).find((name) => owner.has(name));
    if (clash !== undefined) {
      const field =
        clash === model.id ? 'id' : clash === model.served_model_name ? 'served_model_name' : 'aliases';
      issues.push({
        file: candidate.file,
        entry: label,
        field,
        message: `${JSON.stringify(clash)} already names model ${owner.get(clash)}; the entry is skipped`,
      });
      continue;
    }
    for (const name of namesOf(model)) owner.set(name, model.id);
    entries.push({
      id: model.id,
      displayName: model.display_name,
      servedModelName: model.served_model_name,
      hfRepo: model.hf_repo ?? null,
      localPath: model.local_path ?? null,
      aliases: model.aliases ?? [],
      source: candidate.source,
      model: withDefaults(model, defaults),
    });
  }
  const served = new Map<string, string>();
  const byId = new Map<string, CatalogEntry>();
  for (const entry of entries) {
    byId.set(entry.id, entry);
    for (const name of namesOf(entry.model)) served.set(name, entry.servedModelName);
  }
  return {
    file,
    entries,
    issues,
    problems: issues.map(describeProblem),
    servedNameFor: (model) => served.get(model) ?? null,
    entry: (id) => byId.get(id),
  };
}

/** Loads `models.yaml` alone; a missing file is an empty catalog, bad entries are reported and skipped. */
export function loadCatalog(file: string): Catalog {
  const read = readCatalogFile(file);
  return buildCatalog(file, read.candidates, read.defaults, read.problems);
}
