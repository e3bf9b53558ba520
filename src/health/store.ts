import { migrate, type StateDatabase } from '../state/database';
import { isoAt } from './clock';

export type UpDown = 'up' | 'down';

/** One connectivity event, in the previous product's `connectivity.json` fields. */
export interface ConnectivityEvent {
  subject: string;
  at: string;
  transition: UpDown;
  down_seconds?: number;
  kind: 'transition' | 'report';
  source?: string;
  detail?: string;
  latency_ms?: number | null;
}

export interface Observation {
  subject: string;
  state: UpDown;
  atMs: number;
  /** `poll`, `traffic`, `deep-health`. */
  source: string;
  detail?: string | null;
  latencyMs?: number | null;
}

export interface Report {
  service: string;
  ok: boolean;
  atMs: number;
  source?: string;
  error?: string;
  ms?: number | null;
}

export interface RestartRecord {
  service: string;
  atMs: number;
  reason: string;
  outcome: string;
}

/** The rolling limit of stored events (the previous file kept 200; the API serves up to 1000). */
const MAX_EVENTS = 5_000;

const MIGRATIONS = [
  `CREATE TABLE health_events (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     subject TEXT NOT NULL,
     at_ms INTEGER NOT NULL,
     transition TEXT NOT NULL CHECK (transition IN ('up', 'down')),
     kind TEXT NOT NULL CHECK (kind IN ('transition', 'report')),
     source TEXT,
     detail TEXT,
     latency_ms REAL,
     down_since_ms INTEGER,
     down_seconds REAL
   );
   CREATE INDEX health_events_by_subject ON health_events (subject, id);
   CREATE TABLE health_subjects (
     subject TEXT PRIMARY KEY,
     state TEXT NOT NULL CHECK (state IN ('up', 'down')),
     since_ms INTEGER NOT NULL
   );
   CREATE TABLE health_restarts (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     service TEXT NOT NULL,
     at_ms INTEGER NOT NULL,
     reason TEXT NOT NULL,
     outcome TEXT NOT NULL
   );`,
];

interface EventRow {
  subject: string;
  at_ms: number;
  transition: UpDown;
  kind: 'transition' | 'report';
  source: string | null;
  detail: string | null;
  latency_ms: number | null;
  down_seconds: number | null;
}

function toEvent(row: EventRow): ConnectivityEvent {
  const event: ConnectivityEvent = {
    subject: row.subject,
    at: isoAt(row.at_ms),
    transition: row.transition,
    kind: row.kind,
  };
  if (row.down_seconds !== null) event.down_seconds = row.down_seconds;
  if (row.source !== null) event.source = row.source;
  if (row.detail !== null) event.detail = row.detail;
  if (row.latency_ms !== null) event.latency_ms = row.latency_ms;
  return event;
}

/**
 * The connectivity history in SQLite: observed transitions of nodes and services (with the outage
 * duration on the `up` that ends it), apps' reports (which never change the current state), and
 * the automatic restarts of wedged services.
 */
export class HealthStore {
  constructor(private readonly db: StateDatabase) {
    migrate(db, 'health', MIGRATIONS);
  }

  /** Applies an observation; returns the event it recorded, or null when the state did not change. */
  observe(observation: Observation): ConnectivityEvent | null {
    return this.db.transaction((): ConnectivityEvent | null => {
      const { subject, state, atMs } = observation;
      const previous = this.db
        .prepare('SELECT state, since_ms FROM health_subjects WHERE subject = ?')
        .get(subject) as { state: UpDown; since_ms: number } | undefined;
      if (previous?.state === state) return null;
      const downSinceMs = previous?.state === 'down' && state === 'up' ? previous.since_ms : null;
      const downSeconds = downSinceMs === null ? null : Math.max(0, (atMs - downSinceMs) / 1000);
      const row: EventRow = {
        subject,
        at_ms: atMs,
        transition: state,
        kind: 'transition',
        source: observation.source,
        detail: observation.detail ? observation.detail.slice(0, 1024) : null,
        latency_ms: observation.latencyMs ?? null,
        down_seconds: downSeconds === null ? null : Math.round(downSeconds * 1000) / 1000,
      };
      this.insert(row, downSinceMs);
      this.db
        .prepare(
          `INSERT INTO health_subjects (subject, state, since_ms) VALUES (?, ?, ?)
           ON CONFLICT(subject) DO UPDATE SET state = excluded.state, since_ms = excluded.since_ms`,
        )
        .run(subject, state, atMs);
      return toEvent(row);
    })();
  }

  /** Records an app's report as a `report` event; the current state is left alone. */
  report(report: Report): ConnectivityEvent {
    const row: EventRow = {
      subject: report.service,
      at_ms: report.atMs,
      transition: report.ok ? 'up' : 'down',
      kind: 'report',
      source: report.source ?? null,
      detail: report.error ?? null,
      latency_ms: report.ms ?? null,
      down_seconds: null,
    };
    this.insert(row, null);
    return toEvent(row);
  }

  current(): Map<string, { state: UpDown; sinceMs: number }> {
    const rows = this.db.prepare('SELECT subject, state, since_ms FROM health_subjects').all() as {
      subject: string;
      state: UpDown;
      since_ms: number;
    }[];
    return new Map(rows.map((row) => [row.subject, { state: row.state, sinceMs: row.since_ms }]));
  }

  /** The newest `limit` events (of one subject when given), oldest first. */
  events(limit: number, subject?: string): ConnectivityEvent[] {
    const rows = (
      subject === undefined
        ? this.db.prepare('SELECT * FROM health_events ORDER BY id DESC LIMIT ?').all(limit)
        : this.db
            .prepare('SELECT * FROM health_events WHERE subject = ? ORDER BY id DESC LIMIT ?')
            .all(subject, limit)
    ) as EventRow[];
    return rows.reverse().map(toEvent);
  }

  recordRestart(record: RestartRecord): void {
    this.db
      .prepare('INSERT INTO health_restarts (service, at_ms, reason, outcome) VALUES (?, ?, ?, ?)')
      .run(record.service, record.atMs, record.reason.slice(0, 1024), record.outcome.slice(0, 1024));
  }

  /** A service's automatic restarts since `sinceMs`, oldest first. */
  restarts(service: string, sinceMs: number): RestartRecord[] {
    const rows = this.db
      .prepare(
        'SELECT service, at_ms, reason, outcome FROM health_restarts WHERE service = ? AND at_ms >= ? ORDER BY at_ms',
      )
      .all(service, sinceMs) as { service: string; at_ms: number; reason: string; outcome: string }[];
    return rows.map((row) => ({
      service: row.service,
      atMs: row.at_ms,
      reason: row.reason,
      outcome: row.outcome,
    }));
  }

  private insert(row: EventRow, downSinceMs: number | null): void {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO health_events
           (subject, at_ms, transition, kind, source, detail, latency_ms, down_since_ms, down_seconds)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.subject,
        row.at_ms,
        row.transition,
        row.kind,
        row.source,
        row.detail,
        row.latency_ms,
        downSinceMs,
        row.down_seconds,
      );
    if (Number(lastInsertRowid) % 100 === 0) {
      this.db.prepare('DELETE FROM health_events WHERE id <= ?').run(Number(lastInsertRowid) - MAX_EVENTS);
    }
  }
}
