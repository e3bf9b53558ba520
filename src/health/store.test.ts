import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type StateDatabase } from '../state/database';
import { HealthStore } from './store';

describe('HealthStore', () => {
  let dir: string;
  let db: StateDatabase;
  let store: HealthStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'health-store-'));
    db = openDatabase(dir);
    store = new HealthStore(db);
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records changes only, with the outage duration on the up that ends it', () => {
    expect(store.observe({ subject: 'parakeet', state: 'up', atMs: 0, source: 'poll' })).toMatchObject({
      transition: 'up',
    });
    expect(store.observe({ subject: 'parakeet', state: 'up', atMs: 1_000, source: 'poll' })).toBeNull();
    store.observe({ subject: 'parakeet', state: 'down', atMs: 10_000, source: 'traffic', detail: 'reset' });
    expect(store.observe({ subject: 'parakeet', state: 'down', atMs: 11_000, source: 'poll' })).toBeNull();
    const up = store.observe({
      subject: 'parakeet',
      state: 'up',
      atMs: 12_500,
      source: 'poll',
      latencyMs: 4,
    });
    expect(up).toEqual({
      subject: 'parakeet',
      at: new Date(12_500).toISOString(),
      transition: 'up',
      down_seconds: 2.5,
      kind: 'transition',
      source: 'poll',
      latency_ms: 4,
    });
    expect(store.current().get('parakeet')).toEqual({ state: 'up', sinceMs: 12_500 });
  });

  it('keeps reports apart from the observed state', () => {
    store.observe({ subject: 'vllm', state: 'up', atMs: 0, source: 'poll' });
    const report = store.report({ service: 'vllm', ok: false, atMs: 5, source: 'crm', error: 'timeout' });
    expect(report).toMatchObject({ kind: 'report', transition: 'down', detail: 'timeout', source: 'crm' });
    expect(store.current().get('vllm')!.state).toBe('up');
    expect(store.events(10).map((event) => event.kind)).toEqual(['transition', 'report']);
  });

  it('answers the newest events of a subject, oldest first', () => {
    for (let i = 0; i < 6; i++) {
      store.observe({
        subject: i % 2 ? 'a' : 'b',
        state: i % 4 < 2 ? 'up' : 'down',
        atMs: i,
        source: 'poll',
      });
    }
    const events = store.events(2, 'a');
    expect(events.map((event) => event.at)).toEqual([new Date(3).toISOString(), new Date(5).toISOString()]);
  });

  it('persists restarts and answers those inside a window', () => {
    store.recordRestart({ service: 'parakeet', atMs: 100, reason: 'wedge', outcome: 'restarted' });
    store.recordRestart({ service: 'parakeet', atMs: 900, reason: 'wedge', outcome: 'restarted' });
    const again = new HealthStore(db);
    expect(again.restarts('parakeet', 500).map((restart) => restart.atMs)).toEqual([900]);
    expect(again.restarts('kokoro', 0)).toEqual([]);
  });
});
