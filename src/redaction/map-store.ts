import { createHash, randomBytes } from 'node:crypto';
import { GatewayError } from '../errors/catalogue';
import { migrate, type StateDatabase } from '../state/database';
import type { PlaceholderType, TokenMinter } from './engine/types';
import { MapKeys, slotOf } from './map-keys';
import { formatPlaceholder, parsePlaceholder } from './placeholder';

const SCHEMA = [
  `CREATE TABLE redaction_maps (
     id INTEGER PRIMARY KEY,
     handle_hash BLOB NOT NULL UNIQUE,
     task_id TEXT NOT NULL,
     salt BLOB NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     swept INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX redaction_maps_expiry ON redaction_maps (swept, expires_at);
   CREATE TABLE redaction_entries (
     map_id INTEGER NOT NULL REFERENCES redaction_maps (id) ON DELETE CASCADE,
     type TEXT NOT NULL,
     number INTEGER NOT NULL,
     lookup BLOB NOT NULL,
     sealed BLOB NOT NULL,
     PRIMARY KEY (map_id, type, number),
     UNIQUE (map_id, type, lookup)
   );
   CREATE TABLE redaction_audit (
     id INTEGER PRIMARY KEY,
     at TEXT NOT NULL,
     operation TEXT NOT NULL,
     outcome TEXT NOT NULL,
     task_id TEXT NOT NULL,
     actor TEXT,
     items INTEGER NOT NULL,
     tier1_dropped INTEGER NOT NULL DEFAULT 0,
     tokenized INTEGER NOT NULL DEFAULT 0,
     distinct_entities INTEGER NOT NULL DEFAULT 0,
     replaced INTEGER NOT NULL DEFAULT 0,
     unknown INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX redaction_audit_at ON redaction_audit (at);`,
];

/** How long the tombstone of a swept map answers 410 before its handle becomes unknown (404). */
const TOMBSTONE_MS = 30 * 24 * 3_600_000;
/** How long audit rows are kept. */
const AUDIT_RETENTION_MS = 90 * 24 * 3_600_000;

interface MapRow {
  id: number;
  task_id: string;
  salt: Buffer;
  expires_at: number;
  swept: number;
}

interface PendingEntry {
  type: PlaceholderType;
  number: number;
  lookup: Buffer;
  value: string;
}

/** Counts only: never values, never placeholders. */
export interface AuditRecord {
  operation: 'scrub' | 'rehydrate' | 'rehydrate_stream';
  outcome: string;
  taskId: string;
  actor?: string | null;
  items: number;
  tier1Dropped?: number;
  tokenized?: number;
  distinctEntities?: number;
  replaced?: number;
  unknown?: number;
}

function handleHash(handle: string): Buffer {
  return createHash('sha256').update(handle, 'utf8').digest();
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function newHandle(): string {
  // 24 characters of base62: about 142 bits, unguessable.
  const bytes = randomBytes(24);
  let handle = 'mh_';
  for (const byte of bytes) handle += BASE62[byte % 62];
  return handle;
}

/**
 * The placeholder → value maps, in the gateway's SQLite database. Values are sealed with
 * AES-256-GCM; a value's placeholder is found by an HMAC of its canonical form, so no value is ever
 * stored in the clear. Handles are stored as SHA-256 digests.
 */
export class MapStore {
  private readonly db: StateDatabase;
  private readonly keys: MapKeys;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly statements;

  constructor(db: StateDatabase, masterKey: Buffer, options: { ttlMs: number; now?: () => number }) {
    this.db = db;
    this.keys = new MapKeys(masterKey);
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
    migrate(db, 'redaction', SCHEMA);
    // Deleted rows are overwritten, so a swept map leaves no sealed value behind in free pages.
    db.pragma('secure_delete = ON');
    this.statements = {
      mapByHandle: db.prepare(
        'SELECT id, task_id, salt, expires_at, swept FROM redaction_maps WHERE handle_hash = ?',
      ),
      insertMap: db.prepare(
        'INSERT INTO redaction_maps (handle_hash, task_id, salt, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      ),
      entriesOf: db.prepare('SELECT type, number, lookup FROM redaction_entries WHERE map_id = ?'),
      insertEntry: db.prepare(
        'INSERT INTO redaction_entries (map_id, type, number, lookup, sealed) VALUES (?, ?, ?, ?, ?)',
      ),
      sealedValue: db.prepare(
        'SELECT sealed FROM redaction_entries WHERE map_id = ? AND type = ? AND number = ?',
      ),
      expiredMaps: db.prepare('SELECT id FROM redaction_maps WHERE swept = 0 AND expires_at <= ?'),
      deleteEntries: db.prepare('DELETE FROM redaction_entries WHERE map_id = ?'),
      markSwept: db.prepare('UPDATE redaction_maps SET swept = 1 WHERE id = ?'),
      dropTombstones: db.prepare('DELETE FROM redaction_maps WHERE swept = 1 AND expires_at <= ?'),
      dropAudit: db.prepare('DELETE FROM redaction_audit WHERE at < ?'),
      insertAudit: db.prepare(
        `INSERT INTO redaction_audit (at, operation, outcome, task_id, actor, items, tier1_dropped,
           tokenized, distinct_entities, replaced, unknown) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  /**
   * The map a handle names for this task: 404 when unknown or another task's (not told apart),
   * 410 when expired.
   */
  private findMap(handle: string, taskId: string): MapRow {
    const row = this.statements.mapByHandle.get(handleHash(handle)) as MapRow | undefined;
    if (!row || row.task_id !== taskId) throw new GatewayError('map_not_found');
    if (row.swept || row.expires_at <= this.now()) {
      throw new GatewayError('map_expired', {
        detail: `the map expired at ${new Date(row.expires_at).toISOString()}; scrub again`,
      });
    }
    return row;
  }

  /** Throws 404/410 when the handle cannot be used by this task. */
  check(handle: string, taskId: string): void {
    this.findMap(handle, taskId);
  }

  /**
   * A minting session: a new map (`handle` null) or an existing one to extend. Nothing is written
   * until `commit`; an abandoned session leaves no trace.
   */
  session(handle: string | null, taskId: string): MintingSession {
    if (handle === null) {
      return new MintingSession(this.keys, {
        id: null,
        handle: newHandle(),
        taskId,
        salt: randomBytes(16),
        expiresAt: this.now() + this.ttlMs,
        existing: [],
      });
    }
    const row = this.findMap(handle, taskId);
    const existing = this.statements.entriesOf.all(row.id) as {
      type: PlaceholderType;
      number: number;
      lookup: Buffer;
    }[];
    return new MintingSession(this.keys, {
      id: row.id,
      handle,
      taskId,
      salt: row.salt,
      expiresAt: row.expires_at,
      existing,
    });
  }

  /** Writes a session's new map and placeholders in one transaction (durable before it returns). */
  commit(session: MintingSession): { handle: string; expiresAt: Date } {
    const { map, pending } = session.drain();
    this.db.transaction(() => {
      let mapId = map.id;
      if (mapId === null) {
        const result = this.statements.insertMap.run(
          handleHash(map.handle),
          map.taskId,
          map.salt,
          this.now(),
          map.expiresAt,
        );
        mapId = Number(result.lastInsertRowid);
      }
      for (const entry of pending) {
        const placeholder = formatPlaceholder(entry.type, entry.number);
        this.statements.insertEntry.run(
          mapId,
          entry.type,
          entry.number,
          entry.lookup,
          this.keys.encrypt(slotOf(map.salt, placeholder), entry.value),
        );
      }
    })();
    return { handle: map.handle, expiresAt: new Date(map.expiresAt) };
  }

  /** A reader of one map's values for rehydration (404/410 as for `check`). */
  reader(handle: string, taskId: string): MapReader {
    const row = this.findMap(handle, taskId);
    const cache = new Map<string, string | null>();
    return {
      valueOf: (placeholder) => {
        let value = cache.get(placeholder);
        if (value === undefined) {
          const parsed = parsePlaceholder(placeholder);
          const sealed = parsed
            ? (this.statements.sealedValue.get(row.id, parsed.type, parsed.number) as
                { sealed: Buffer } | undefined)
            : undefined;
          value = sealed ? this.keys.decrypt(slotOf(row.salt, placeholder), sealed.sealed) : null;
          cache.set(placeholder, value);
        }
        return value;
      },
    };
  }

  /**
   * Deletes the values of every expired map, keeping a tombstone (no values, no keys) so its handle
   * answers 410 for a while; old tombstones and audit rows go too. Returns the maps swept.
   */
  sweep(): number {
    const now = this.now();
    const expired = this.statements.expiredMaps.all(now) as { id: number }[];
    this.db.transaction(() => {
      for (const { id } of expired) {
        this.statements.deleteEntries.run(id);
        this.statements.markSwept.run(id);
      }
      this.statements.dropTombstones.run(now - TOMBSTONE_MS);
      this.statements.dropAudit.run(new Date(now - AUDIT_RETENTION_MS).toISOString());
    })();
    // The write-ahead log still holds the deleted pages until it is checkpointed.
    if (expired.length > 0) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return expired.length;
  }

  audit(record: AuditRecord): void {
    this.statements.insertAudit.run(
      new Date(this.now()).toISOString(),
      record.operation,
      record.outcome,
      record.taskId,
      record.actor ?? null,
      record.items,
      record.tier1Dropped ?? 0,
      record.tokenized ?? 0,
      record.distinctEntities ?? 0,
      record.replaced ?? 0,
      record.unknown ?? 0,
    );
  }
}

export interface MapReader {
  /** The value behind an exactly formatted placeholder, or null when the map never issued it. */
  valueOf(placeholder: string): string | null;
}

interface SessionMap {
  id: number | null;
  handle: string;
  taskId: string;
  salt: Buffer;
  expiresAt: number;
  existing: { type: PlaceholderType; number: number; lookup: Buffer }[];
}

/** The engine's TokenMinter for one scrub call: existing placeholders are reused, new ones numbered on. */
export class MintingSession implements TokenMinter {
  private readonly keys: MapKeys;
  private readonly map: SessionMap;
  private readonly byLookup = new Map<string, string>();
  private readonly issuedSet = new Set<string>();
  private readonly counters = new Map<PlaceholderType, number>();
  private pending: PendingEntry[] = [];

  constructor(keys: MapKeys, map: SessionMap) {
    this.keys = keys;
    this.map = map;
    for (const entry of map.existing) {
      const placeholder = formatPlaceholder(entry.type, entry.number);
      this.byLookup.set(entry.type + entry.lookup.toString('hex'), placeholder);
      this.issuedSet.add(placeholder);
      this.counters.set(entry.type, Math.max(this.counters.get(entry.type) ?? 0, entry.number));
    }
  }

  placeholderFor(type: PlaceholderType, value: string, canonical: string): string {
    const lookup = this.keys.lookup(this.map.salt, type, canonical);
    const key = type + lookup.toString('hex');
    const known = this.byLookup.get(key);
    if (known) return known;
    const number = (this.counters.get(type) ?? 0) + 1;
    this.counters.set(type, number);
    const placeholder = formatPlaceholder(type, number);
    this.byLookup.set(key, placeholder);
    this.issuedSet.add(placeholder);
    this.pending.push({ type, number, lookup, value });
    return placeholder;
  }

  issued(placeholder: string): boolean {
    return this.issuedSet.has(placeholder);
  }

  /** Hands the new entries to the store once; the session cannot be committed twice. */
  drain(): { map: SessionMap; pending: PendingEntry[] } {
    const pending = this.pending;
    this.pending = [];
    return { map: this.map, pending };
  }
}
