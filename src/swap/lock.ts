import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { StateDatabase } from '../state/database';
import type { components } from '../../generated/control';
import type { SwapLockState } from './types';

type SwapLockGrant = components['schemas']['SwapLockGrant'];

export const DEFAULT_LOCK_TTL_S = 900;
export const MIN_LOCK_TTL_S = 1;
export const MAX_LOCK_TTL_S = 86_400;

interface LockRow {
  holder: string;
  token: string;
  acquired_at: string;
  expires_at: string;
  note: string | null;
}

export type AcquireOutcome =
  | { ok: true; grant: SwapLockGrant }
  | { ok: false; reason: 'other_holder' | 'bad_token'; lock: SwapLockState };

export type ReleaseOutcome =
  | { ok: true; released: boolean; forced: boolean; previousHolder: string | null; lock: SwapLockState }
  | { ok: false; lock: SwapLockState };

/** `ttl_seconds` as the previous product took it: default 900 when absent, else clamped to [1, 86400]. */
export function clampTtl(ttlSeconds: number | null | undefined): number {
  if (ttlSeconds === null || ttlSeconds === undefined) return DEFAULT_LOCK_TTL_S;
  return Math.min(MAX_LOCK_TTL_S, Math.max(MIN_LOCK_TTL_S, Math.trunc(ttlSeconds)));
}

const UNLOCKED: SwapLockState = {
  held: false,
  holder: null,
  acquired_at: null,
  expires_at: null,
  seconds_remaining: null,
  note: null,
};

/**
 * The swap reservation lock of the previous product, kept in the database so it survives restarts:
 * one holder at a time, a secret token, an expiry.
 */
export class SwapLock {
  constructor(
    private readonly db: StateDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  state(): SwapLockState {
    const row = this.current();
    return row ? this.view(row) : UNLOCKED;
  }

  /** Whether a lock is held, by whom, and whether `token` opens it. */
  check(token: string | undefined): { held: false } | { held: true; holder: string; ok: boolean } {
    const row = this.current();
    if (!row) return { held: false };
    return { held: true, holder: row.holder, ok: token !== undefined && sameSecret(token, row.token) };
  }

  acquire(
    holder: string,
    ttlSeconds: number | null | undefined,
    note: string | null | undefined,
    token: string | null | undefined,
  ): AcquireOutcome {
    const ttl = clampTtl(ttlSeconds);
    const now = this.now();
    const expiresAt = new Date(now.getTime() + ttl * 1000).toISOString();
    return this.db.transaction((): AcquireOutcome => {
      const row = this.current();
      if (row && row.holder !== holder) return { ok: false, reason: 'other_holder', lock: this.view(row) };
      if (row) {
        if (!token || !sameSecret(token, row.token))
          return { ok: false, reason: 'bad_token', lock: this.view(row) };
        const extended: LockRow = { ...row, expires_at: expiresAt, note: note ?? row.note };
        this.write(extended);
        return { ok: true, grant: this.grant(extended) };
      }
      const fresh: LockRow = {
        holder,
        token: `lk_${randomBytes(18).toString('base64url')}`,
        acquired_at: now.toISOString(),
        expires_at: expiresAt,
        note: note ?? null,
      };
      this.write(fresh);
      return { ok: true, grant: this.grant(fresh) };
    })();
  }

  release(token: string | undefined, force: boolean): ReleaseOutcome {
    return this.db.transaction((): ReleaseOutcome => {
      const row = this.current();
      if (!row) return { ok: true, released: false, forced: force, previousHolder: null, lock: UNLOCKED };
      if (!force && (!token || !sameSecret(token, row.token))) return { ok: false, lock: this.view(row) };
      this.db.prepare('DELETE FROM swap_lock').run();
      return { ok: true, released: true, forced: force, previousHolder: row.holder, lock: UNLOCKED };
    })();
  }

  /** The unexpired lock row; an expired one is removed. */
  private current(): LockRow | null {
    const row = this.db
      .prepare('SELECT holder, token, acquired_at, expires_at, note FROM swap_lock WHERE id = 1')
      .get() as LockRow | undefined;
    if (!row) return null;
    if (Date.parse(row.expires_at) <= this.now().getTime()) {
      this.db.prepare('DELETE FROM swap_lock WHERE id = 1').run();
      return null;
    }
    return row;
  }

  private write(row: LockRow): void {
    this.db
      .prepare(
        `INSERT INTO swap_lock (id, holder, token, acquired_at, expires_at, note) VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET holder = excluded.holder, token = excluded.token,
           acquired_at = excluded.acquired_at, expires_at = excluded.expires_at, note = excluded.note`,
      )
      .run(row.holder, row.token, row.acquired_at, row.expires_at, row.note);
  }

  private grant(row: LockRow): SwapLockGrant {
    const view = this.view(row);
    return {
      held: true,
      holder: row.holder,
      acquired_at: row.acquired_at,
      expires_at: row.expires_at,
      seconds_remaining: view.seconds_remaining ?? 0,
      note: row.note,
      token: row.token,
    };
  }

  private view(row: LockRow): SwapLockState {
    const remaining = Math.ceil((Date.parse(row.expires_at) - this.now().getTime()) / 1000);
    return {
      held: true,
      holder: row.holder,
      acquired_at: row.acquired_at,
      expires_at: row.expires_at,
      seconds_remaining: Math.min(MAX_LOCK_TTL_S, Math.max(0, remaining)),
      note: row.note,
    };
  }
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
