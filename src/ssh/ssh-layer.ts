import type { GatewayConfig } from '../config/config';
import type { Logger } from '../observability/logger';
import type { StateDatabase } from '../state/database';
import { loadOrCreateControllerKey, type ControllerKey } from './controller-key';
import { HostKeyStore } from './host-keys';
import { SshNodeShell } from './ssh-client';

/** The SSH side of the control plane: the controller's key, the pinned host keys and a shell per node. */
export interface SshLayer {
  key: ControllerKey;
  hostKeys: HostKeyStore;
  shells: ReadonlyMap<string, SshNodeShell>;
  close(): void;
}

export function createSshLayer(config: GatewayConfig, db: StateDatabase, logger: Logger): SshLayer {
  const key = loadOrCreateControllerKey(config.sshKeyPath);
  const hostKeys = new HostKeyStore(db);
  const shells = new Map<string, SshNodeShell>();
  for (const node of config.nodes) {
    shells.set(node.id, new SshNodeShell({ node, privateKey: key.privateKey, hostKeys, logger }));
  }
  return {
    key,
    hostKeys,
    shells,
    close: () => {
      for (const shell of shells.values()) shell.close();
    },
  };
}
