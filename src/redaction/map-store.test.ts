import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GatewayError } from '../errors/catalogue';
import { openDatabase, type StateDatabase } from '../state/database';
import { KEY_FILE, loadOrCreateMasterKey } from './map-keys';
import { MapStore } from './map-store';

const HOUR = 3_600_000;

describe('MapStore', () => {
  let dir: string;
  let db: StateDatabase;
  let now: number;
  let store: MapStore;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'map-store-'));
    db = openDatabase(dir);
    now = Date.parse('2026-01-01T00:00:00Z');
    store = new MapStore(db, loadOrCreateMasterKey(dir), { ttlMs: 24 * HOUR, now: () => now });
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return (error as GatewayError).code;
    }
    return null;
  };

  it('numbers placeholders per type and reuses them for the same canonical value', () => {
    const session = store.session(null, 'task-1');
    expect(session.placeholderFor('PERSON', 'Maria Okafor', 'maria okafor')).toBe('[PERSON_1]');
    expect(session.placeholderFor('ORG', 'Orangepeak', 'orangepeak')).toBe('[ORG_1]');
    expect(session.placeholderFor('PERSON', 'MARIA OKAFOR', 'maria okafor')).toBe('[PERSON_1]');
    expect(session.placeholderFor('PERSON', 'Jon Bell', 'jon bell')).toBe('[PERSON_2]');
    expect(session.issued('[PERSON_2]')).toBe(true);
    expect(session.issued('[PERSON_3]')).toBe(false);
    const { handle, expiresAt } = store.commit(session);
    expect(handle).toMatch(/^mh_[0-9A-Za-z]{24}$/);
    expect(expiresAt.getTime()).toBe(now + 24 * HOUR);

    const reader = store.reader(handle, 'task-1');
    expect(reader.valueOf('[PERSON_1]')).toBe('Maria Okafor');
    expect(reader.valueOf('[PERSON_2]')).toBe('Jon Bell');
    expect(reader.valueOf('[PERSON_3]')).toBeNull();

    const extension = store.session(handle, 'task-1');
    expect(extension.placeholderFor('PERSON', 'maria okafor', 'maria okafor')).toBe('[PERSON_1]');
    expect(extension.placeholderFor('PERSON', 'Ada Lane', 'ada lane')).toBe('[PERSON_3]');
    store.commit(extension);
    expect(store.reader(handle, 'task-1').valueOf('[PERSON_3]')).toBe('Ada Lane');
  });

  it('writes nothing for a session that is not committed', () => {
    const session = store.session(null, 'task-1');
    session.placeholderFor('PERSON', 'Maria Okafor', 'maria okafor');
    expect(db.prepare('SELECT count(*) AS n FROM redaction_maps').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM redaction_entries').get()).toEqual({ n: 0 });
  });

  it('answers 404 for another task or an unknown handle, 410 once expired, and sweeps values away', () => {
    const session = store.session(null, 'task-1');
    session.placeholderFor('PERSON', 'Maria Okafor', 'maria okafor');
    const { handle } = store.commit(session);
    expect(codeOf(() => store.reader(handle, 'task-2'))).toBe('map_not_found');
    expect(codeOf(() => store.reader('mh_nothing', 'task-1'))).toBe('map_not_found');
    now += 24 * HOUR;
    expect(codeOf(() => store.reader(handle, 'task-1'))).toBe('map_expired');
    expect(codeOf(() => store.session(handle, 'task-1'))).toBe('map_expired');
    expect(store.sweep()).toBe(1);
    expect(db.prepare('SELECT count(*) AS n FROM redaction_entries').get()).toEqual({ n: 0 });
    expect(codeOf(() => store.reader(handle, 'task-1'))).toBe('map_expired');
    now += 31 * 24 * HOUR;
    store.sweep();
    expect(codeOf(() => store.reader(handle, 'task-1'))).toBe('map_not_found');
  });

  it('stores no value, canonical form or handle in the clear', () => {
    const session = store.session(null, 'task-1');
    session.placeholderFor('PERSON', 'Zebulon Quartermaine', 'zebulon quartermaine');
    const { handle } = store.commit(session);
    db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of fs.readdirSync(dir)) {
      const bytes = fs.readFileSync(path.join(dir, file));
      for (const secret of ['Zebulon', 'zebulon', 'Quartermaine', handle]) {
        expect(bytes.includes(Buffer.from(secret))).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
      }
    }
  });

  it('refuses a value moved to another placeholder (authenticated encryption)', () => {
    const session = store.session(null, 'task-1');
    session.placeholderFor('PERSON', 'Maria Okafor', 'maria okafor');
    session.placeholderFor('PERSON', 'Jon Bell', 'jon bell');
    const { handle } = store.commit(session);
    db.exec(
      `UPDATE redaction_entries SET sealed = (SELECT sealed FROM redaction_entries WHERE number = 2) WHERE number = 1`,
    );
    expect(() => store.reader(handle, 'task-1').valueOf('[PERSON_1]')).toThrow();
  });

  it('keeps its key private and stable', () => {
    const file = path.join(dir, KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(loadOrCreateMasterKey(dir)).toEqual(fs.readFileSync(file));
  });

  it('audits counts only', () => {
    store.audit({
      operation: 'scrub',
      outcome: 'ok',
      taskId: 'task-1',
      actor: 'analyst',
      items: 2,
      tokenized: 5,
    });
    expect(
      db.prepare('SELECT operation, outcome, task_id, actor, items, tokenized FROM redaction_audit').all(),
    ).toEqual([
      { operation: 'scrub', outcome: 'ok', task_id: 'task-1', actor: 'analyst', items: 2, tokenized: 5 },
    ]);
  });
});
