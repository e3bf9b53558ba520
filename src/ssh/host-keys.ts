import { migrate, type StateDatabase } from '../state/database';
import { fingerprintOf, keyTypeOf } from './fingerprint';

export interface PinnedHostKey {
  nodeId: string;
  host: string;
  keyType: string;
  /** The key blob, base64. */
  publicKey: string;
  fingerprint: string;
  pinnedAt: string;
}

export type HostKeyCheck =
  | { outcome: 'match' | 'pinned_now'; pinned: PinnedHostKey }
  | { outcome: 'changed'; pinned: PinnedHostKey; presentedFingerprint: string };

const MIGRATIONS = [
  `CREATE TABLE ssh_host_keys (
    node_id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    key_type TEXT NOT NULL,
    public_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    pinned_at TEXT NOT NULL
  )`,
];

interface Row {
  node_id: string;
  host: string;
  key_type: string;
  public_key: string;
  fingerprint: string;
  pinned_at: string;
}

/**
 * Host keys pinned on first use, one per node id, in SQLite. A node presenting another key is
 * refused until an operator re-pins it.
 */
export class HostKeyStore {
  constructor(private readonly db: StateDatabase) {
    migrate(db, 'ssh', MIGRATIONS);
  }

  get(nodeId: string): PinnedHostKey | null {
    const row = this.db.prepare('SELECT * FROM ssh_host_keys WHERE node_id = ?').get(nodeId) as
      Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Accepts the key a node presents if it is the pinned one, pinning it when the node has none yet. */
  check(nodeId: string, host: string, keyBlob: Buffer): HostKeyCheck {
    const pinned = this.get(nodeId);
    if (!pinned) return { outcome: 'pinned_now', pinned: this.pin(nodeId, host, keyBlob) };
    if (pinned.publicKey === keyBlob.toString('base64')) return { outcome: 'match', pinned };
    return { outcome: 'changed', pinned, presentedFingerprint: fingerprintOf(keyBlob) };
  }

  /** Pins `keyBlob` for the node, replacing any earlier key; durable when it returns. */
  pin(nodeId: string, host: string, keyBlob: Buffer): PinnedHostKey {
    const pinned: PinnedHostKey = {
      nodeId,
      host,
      keyType: keyTypeOf(keyBlob),
      publicKey: keyBlob.toString('base64'),
      fingerprint: fingerprintOf(keyBlob),
      pinnedAt: new Date().toISOString(),
    };
    this.db
      .prepare(
        `INSERT INTO ssh_host_keys (node_id, host, key_type, public_key, fingerprint, pinned_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(node_id) DO UPDATE SET host = excluded.host, key_type = excluded.key_type,
           public_key = excluded.public_key, fingerprint = excluded.fingerprint, pinned_at = excluded.pinned_at`,
      )
      .run(pinned.nodeId, pinned.host, pinned.keyType, pinned.publicKey, pinned.fingerprint, pinned.pinnedAt);
    return pinned;
  }
}

function fromRow(row: Row): PinnedHostKey {
  return {
    nodeId: row.node_id,
    host: row.host,
    keyType: row.key_type,
    publicKey: row.public_key,
    fingerprint: row.fingerprint,
    pinnedAt: row.pinned_at,
  };
}
