import { migrate, type StateDatabase } from '../state/database';
import { GatewayError } from '../errors/catalogue';
import {
  buildCatalog,
  type CandidateEntry,
  type Catalog,
  type CatalogEntry,
  type CatalogModel,
  type CatalogProblem,
} from './catalog';
import { readCatalogFile, type CatalogFileContents } from './catalog-file';
import { failInterruptedDownloads } from './download-jobs';
import { entryProblems } from './entry-validation';

/** Where overrides come from, as named in problems. */
export const OVERRIDES_SOURCE = 'catalog overrides (POST /api/models)';

const MIGRATIONS = [
  `CREATE TABLE catalog_overrides (
     id TEXT PRIMARY KEY,
     entry TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE catalog_downloads (
     job_id TEXT PRIMARY KEY,
     model_id TEXT NOT NULL,
     state TEXT NOT NULL,
     job TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );`,
];

/** Tables of the catalog component; idempotent. */
export function migrateCatalog(db: StateDatabase): void {
  migrate(db, 'catalog', MIGRATIONS);
}

interface OverrideRow {
  id: string;
  entry: string;
}

/**
 * The live catalog: `models.yaml` (read once at start) with the overrides stored in SQLite layered
 * over it. Changes through the API take effect at once for everything that reads `app.catalog`
 * (alias rewriting, swaps) because this object itself is `app.catalog`.
 */
export class CatalogStore implements Catalog {
  private current: Catalog;
  private readonly contents: CatalogFileContents;

  constructor(
    readonly file: string,
    private readonly db: StateDatabase,
  ) {
    migrateCatalog(db);
    failInterruptedDownloads(db);
    this.contents = readCatalogFile(file);
    this.current = this.rebuild(this.overrides());
  }

  get entries(): CatalogEntry[] {
    return this.current.entries;
  }
  get problems(): string[] {
    return this.current.problems;
  }
  get issues(): CatalogProblem[] {
    return this.current.issues;
  }
  servedNameFor(model: string): string | null {
    return this.current.servedNameFor(model);
  }
  entry(id: string): CatalogEntry | undefined {
    return this.current.entry(id);
  }

  hasOverride(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM catalog_overrides WHERE id = ?').get(id) !== undefined;
  }

  /**
   * Adds or replaces the entry with `raw.id` after validating it completely; nothing invalid is
   * persisted. Returns whether it is new.
   */
  save(raw: unknown): { created: boolean; model: CatalogModel } {
    const problems = entryProblems(raw);
    if (problems.length === 0) problems.push(...this.nameClashes(raw as CatalogModel));
    if (problems.length > 0) {
      throw new GatewayError('validation_failed', {
        detail: `the catalog entry is invalid: ${problems.map((p) => `${p.field ?? 'entry'} ${p.message}`).join('; ')}`,
        errors: problems.map((p) => ({
          location: `body${p.field ? '.' + p.field : ''}`,
          message: p.message,
        })),
      });
    }
    const model = raw as CatalogModel;
    const created = this.current.entry(model.id) === undefined;
    this.db
      .prepare(
        `INSERT INTO catalog_overrides (id, entry, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET entry = excluded.entry, updated_at = excluded.updated_at`,
      )
      .run(model.id, JSON.stringify(model), new Date().toISOString());
    this.current = this.rebuild(this.overrides());
    return { created, model };
  }

  /** Removes an override; a models.yaml entry with the same id shows again. */
  removeOverride(id: string): boolean {
    const removed = this.db.prepare('DELETE FROM catalog_overrides WHERE id = ?').run(id).changes > 0;
    if (removed) this.current = this.rebuild(this.overrides());
    return removed;
  }

  private nameClashes(model: CatalogModel): { field: string; message: string }[] {
    const problems: { field: string; message: string }[] = [];
    const own: [string, string][] = [
      ['id', model.id],
      ['served_model_name', model.served_model_name],
      ...(model.aliases ?? []).map((alias, index): [string, string] => [`aliases[${index}]`, alias]),
    ];
    for (const other of this.current.entries) {
      if (other.id === model.id) continue;
      const taken = new Set([other.id, other.servedModelName, ...other.aliases]);
      for (const [field, name] of own) {
        if (taken.has(name))
          problems.push({ field, message: `${JSON.stringify(name)} already names model ${other.id}` });
      }
    }
    return problems;
  }

  private overrides(): CandidateEntry[] {
    const rows = this.db
      .prepare('SELECT id, entry FROM catalog_overrides ORDER BY updated_at, id')
      .all() as OverrideRow[];
    return rows.map((row) => {
      let raw: unknown;
      try {
        raw = JSON.parse(row.entry);
      } catch {
        raw = { id: row.id };
      }
      return { raw, source: 'override', file: OVERRIDES_SOURCE, position: row.id };
    });
  }

  private rebuild(overrides: CandidateEntry[]): Catalog {
    const byId = new Map(overrides.map((candidate) => [(candidate.raw as { id?: unknown }).id, candidate]));
    const used = new Set<unknown>();
    const candidates = this.contents.candidates.map((candidate) => {
      const id = (candidate.raw as { id?: unknown } | null)?.id;
      const override = byId.get(id);
      if (!override) return candidate;
      used.add(id);
      return override;
    });
    for (const override of overrides) {
      if (!used.has((override.raw as { id?: unknown }).id)) candidates.push(override);
    }
    return buildCatalog(this.file, candidates, this.contents.defaults, this.contents.problems);
  }
}

/** Opens the live catalog over `models.yaml` and the overrides in the database. */
export function openCatalog(file: string, db: StateDatabase): CatalogStore {
  return new CatalogStore(file, db);
}
