import { migrate, type StateDatabase } from '../state/database';
import type { JobInternals, JobRecord, SwapEvent, SwapJobView } from './types';

const MIGRATIONS = [
  `CREATE TABLE swap_jobs (
     job_id TEXT PRIMARY KEY,
     state TEXT NOT NULL,
     started_at TEXT NOT NULL,
     view TEXT NOT NULL,
     internals TEXT NOT NULL
   );
   CREATE INDEX swap_jobs_started ON swap_jobs (started_at);
   CREATE TABLE swap_events (
     job_id TEXT NOT NULL REFERENCES swap_jobs (job_id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     event TEXT NOT NULL,
     PRIMARY KEY (job_id, seq)
   );
   CREATE TABLE swap_load_history (
     model TEXT NOT NULL,
     load_s REAL NOT NULL,
     recorded_at TEXT NOT NULL
   );
   CREATE INDEX swap_load_history_model ON swap_load_history (model, recorded_at);
   CREATE TABLE swap_lock (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     holder TEXT NOT NULL,
     token TEXT NOT NULL,
     acquired_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     note TEXT
   );`,
  `CREATE TABLE swap_services_held_off (
     service TEXT PRIMARY KEY,
     since TEXT NOT NULL
   );`,
];

/** Load times kept per model for the ETA. */
const LOAD_HISTORY_KEPT = 20;

/** The swap jobs, their events and the measured load times, in the gateway's SQLite database. */
export class SwapStore {
  constructor(readonly db: StateDatabase) {
    migrate(db, 'swap', MIGRATIONS);
  }

  /** Support services a swap stopped because the loaded model needs their memory. */
  servicesHeldOff(): string[] {
    const rows = this.db.prepare('SELECT service FROM swap_services_held_off ORDER BY service').all() as {
      service: string;
    }[];
    return rows.map((row) => row.service);
  }

  setServicesHeldOff(services: readonly string[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM swap_services_held_off').run();
      const insert = this.db.prepare('INSERT INTO swap_services_held_off (service, since) VALUES (?, ?)');
      const now = new Date().toISOString();
      for (const service of services) insert.run(service, now);
    })();
  }

  insertJob(record: JobRecord): void {
    this.db
      .prepare('INSERT INTO swap_jobs (job_id, state, started_at, view, internals) VALUES (?, ?, ?, ?, ?)')
      .run(
        record.view.job_id,
        record.view.state,
        record.view.started_at,
        JSON.stringify(record.view),
        JSON.stringify(record.internals),
      );
  }

  saveJob(record: JobRecord): void {
    this.db
      .prepare('UPDATE swap_jobs SET state = ?, view = ?, internals = ? WHERE job_id = ?')
      .run(
        record.view.state,
        JSON.stringify(record.view),
        JSON.stringify(record.internals),
        record.view.job_id,
      );
  }

  job(jobId: string): JobRecord | null {
    const row = this.db.prepare('SELECT view, internals FROM swap_jobs WHERE job_id = ?').get(jobId) as
      { view: string; internals: string } | undefined;
    return row ? toRecord(row) : null;
  }

  /** Jobs newest first. */
  jobs(limit: number, state?: string): SwapJobView[] {
    const rows = (
      state
        ? this.db
            .prepare(
              'SELECT view, internals FROM swap_jobs WHERE state = ? ORDER BY started_at DESC, rowid DESC LIMIT ?',
            )
            .all(state, limit)
        : this.db
            .prepare('SELECT view, internals FROM swap_jobs ORDER BY started_at DESC, rowid DESC LIMIT ?')
            .all(limit)
    ) as { view: string; internals: string }[];
    return rows.map((row) => toRecord(row).view);
  }

  unfinishedJobs(): JobRecord[] {
    const rows = this.db
      .prepare(`SELECT view, internals FROM swap_jobs WHERE state = 'running' ORDER BY started_at`)
      .all() as { view: string; internals: string }[];
    return rows.map(toRecord);
  }

  /** The newest finished job (what the cluster should be running). */
  lastFinished(): SwapJobView | null {
    const row = this.db
      .prepare(
        `SELECT view, internals FROM swap_jobs WHERE state != 'running' ORDER BY started_at DESC, rowid DESC LIMIT 1`,
      )
      .get() as { view: string; internals: string } | undefined;
    return row ? toRecord(row).view : null;
  }

  appendEvents(events: SwapEvent[]): void {
    if (events.length === 0) return;
    const insert = this.db.prepare('INSERT OR IGNORE INTO swap_events (job_id, seq, event) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const event of events) insert.run(event.job_id, event.seq, JSON.stringify(event));
    })();
  }

  events(jobId: string, afterSeq: number): SwapEvent[] {
    const rows = this.db
      .prepare('SELECT event FROM swap_events WHERE job_id = ? AND seq > ? ORDER BY seq')
      .all(jobId, afterSeq) as { event: string }[];
    return rows.map((row) => JSON.parse(row.event) as SwapEvent);
  }

  lastSeq(jobId: string): number {
    const row = this.db.prepare('SELECT MAX(seq) AS seq FROM swap_events WHERE job_id = ?').get(jobId) as {
      seq: number | null;
    };
    return row.seq ?? 0;
  }

  recordLoad(model: string, loadS: number, at: Date): void {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO swap_load_history (model, load_s, recorded_at) VALUES (?, ?, ?)')
        .run(model, loadS, at.toISOString());
      this.db
        .prepare(
          `DELETE FROM swap_load_history WHERE model = ? AND rowid NOT IN (
             SELECT rowid FROM swap_load_history WHERE model = ? ORDER BY recorded_at DESC LIMIT ?)`,
        )
        .run(model, model, LOAD_HISTORY_KEPT);
    })();
  }

  /** The median of the model's last five measured loads, in seconds, or null before its first. */
  measuredLoadS(model: string): number | null {
    const rows = this.db
      .prepare('SELECT load_s FROM swap_load_history WHERE model = ? ORDER BY recorded_at DESC LIMIT 5')
      .all(model) as { load_s: number }[];
    if (rows.length === 0) return null;
    const sorted = rows.map((r) => r.load_s).sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }
}

function toRecord(row: { view: string; internals: string }): JobRecord {
  return { view: JSON.parse(row.view) as SwapJobView, internals: JSON.parse(row.internals) as JobInternals };
}
