import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export type StateDatabase = Database.Database;

/** The file every piece of durable state lives in, inside the data directory. */
export const DATABASE_FILE = 'spark-control.db';

/**
 * Opens (creating if needed) the gateway's one SQLite database. The data directory is made 0700 and
 * the file 0600: it holds redaction maps, keys and webhook secrets. WAL with `synchronous=FULL` makes
 * every committed write durable before the API answers.
 */
export function openDatabase(dataDir: string): StateDatabase {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
  const file = path.join(dataDir, DATABASE_FILE);
  const db = new Database(file);
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.chmodSync(file + suffix, 0o600);
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS schema_versions (
    component TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  return db;
}

/**
 * Brings one component's tables up to date. `steps[i]` upgrades the component from version i to
 * i + 1; steps already applied are skipped, each new one runs in its own transaction. Components
 * (swap history, connectivity, redaction maps…) version their schemas independently.
 */
export function migrate(db: StateDatabase, component: string, steps: readonly string[]): void {
  const row = db.prepare('SELECT version FROM schema_versions WHERE component = ?').get(component) as
    { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > steps.length) {
    throw new Error(
      `the database's ${component} schema is version ${current}, newer than this build knows (${steps.length})`,
    );
  }
  for (let version = current; version < steps.length; version++) {
    db.transaction(() => {
      db.exec(steps[version]!);
      db.prepare(
        `INSERT INTO schema_versions (component, version, applied_at) VALUES (?, ?, ?)
         ON CONFLICT(component) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at`,
      ).run(component, version + 1, new Date().toISOString());
    })();
  }
}
