import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATABASE_FILE, migrate, openDatabase } from './database';

describe('state database', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'state-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a private directory and file', () => {
    const dataDir = path.join(dir, 'data');
    const db = openDatabase(dataDir);
    db.close();
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dataDir, DATABASE_FILE)).mode & 0o777).toBe(0o600);
  });

  it('applies each migration step once, across reopenings', () => {
    let db = openDatabase(dir);
    migrate(db, 'things', ['CREATE TABLE things (id INTEGER PRIMARY KEY)']);
    db.prepare('INSERT INTO things (id) VALUES (1)').run();
    db.close();
    db = openDatabase(dir);
    migrate(db, 'things', [
      'CREATE TABLE things (id INTEGER PRIMARY KEY)',
      'ALTER TABLE things ADD name TEXT',
    ]);
    expect(db.prepare('SELECT id, name FROM things').all()).toEqual([{ id: 1, name: null }]);
    db.close();
  });

  it('refuses a schema newer than the build', () => {
    const db = openDatabase(dir);
    migrate(db, 'things', ['CREATE TABLE a (x)', 'CREATE TABLE b (x)']);
    expect(() => migrate(db, 'things', ['CREATE TABLE a (x)'])).toThrow(/newer than this build/);
    db.close();
  });

  it('rolls a failed step back and keeps the version', () => {
    const db = openDatabase(dir);
    expect(() => migrate(db, 'things', ['CREATE TABLE a (x); CREATE TABLE a (x)'])).toThrow();
    const version = db.prepare("SELECT version FROM schema_versions WHERE component = 'things'").get();
    expect(version).toBeUndefined();
    db.close();
  });
});
