import type { operations } from '../../generated/control';
import { SENT, type DomainHandlers } from '../contract/handler';
import { GatewayError } from '../errors/catalogue';
import { fingerprintOf, keyTypeOf } from './fingerprint';
import { asGatewayError } from './gateway-errors';
import { probeHostKey } from './probe-host-key';

/** Control-plane handlers for the controller's SSH key and pinned host keys. */
export const sshHandlers: DomainHandlers<operations> = {
  getSshPublicKey: ({ app, req, res }) => {
    const { key } = app.ssh;
    if (prefersText(req.headers.accept)) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${key.publicKey}\n`);
      return SENT;
    }
    return {
      status: 200,
      body: {
        public_key: key.publicKey,
        fingerprint: key.fingerprint,
        type: 'ssh-ed25519',
        comment: key.comment,
      },
    };
  },

  repinHostKey: async ({ app, params, body }) => {
    const node = app.config.nodes.find((n) => n.id === params.node_id);
    if (!node)
      throw new GatewayError('node_not_found', { detail: `no node "${params.node_id}" in the inventory` });
    let presented: Buffer;
    try {
      presented = await probeHostKey(node);
    } catch (error) {
      throw asGatewayError(error);
    }
    const fingerprint = fingerprintOf(presented);
    const expected = body?.expected_fingerprint;
    if (expected !== undefined && expected.replace(/=+$/, '') !== fingerprint) {
      throw new GatewayError('fingerprint_mismatch', {
        detail: `${node.id} presents ${keyTypeOf(presented)} ${fingerprint}, not the expected ${expected}; nothing was pinned`,
      });
    }
    const previous = app.ssh.hostKeys.get(node.id);
    const pinned = app.ssh.hostKeys.pin(node.id, node.host, presented);
    app.logger.warn(
      { node: node.id, previous: previous?.fingerprint ?? null, fingerprint },
      'SSH host key re-pinned by an operator',
    );
    // A connection made under the old pin must not outlive it.
    app.ssh.shells.get(node.id)?.disconnect();
    return {
      status: 200,
      body: {
        node_id: node.id,
        host: node.host,
        key_type: pinned.keyType,
        previous_fingerprint: previous?.fingerprint ?? null,
        fingerprint: pinned.fingerprint,
        pinned_at: pinned.pinnedAt,
      },
    };
  },
};

/** `Accept: text/plain` (ranked above JSON) asks for the bare `authorized_keys` line. */
function prefersText(accept: string | undefined): boolean {
  if (!accept) return false;
  const quality = (type: string) => {
    for (const part of accept.split(',')) {
      const [media, ...rest] = part.trim().split(';');
      if (media?.trim().toLowerCase() !== type) continue;
      const q = rest.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return q ? Number(q.slice(2)) || 0 : 1;
    }
    return 0;
  };
  const text = quality('text/plain');
  return text > 0 && text > quality('application/json');
}
