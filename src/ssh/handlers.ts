import type { operations } from '../../generated/control';
import { notBuilt, type DomainHandlers } from '../contract/handler';

/** Control-plane handlers for the controller's SSH key and pinned host keys. */
export const sshHandlers: DomainHandlers<operations> = {
  getSshPublicKey: notBuilt('SSH key management'),
  repinHostKey: notBuilt('SSH key management'),
};
