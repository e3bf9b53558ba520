import { GatewayError } from '../errors/catalogue';
import { SshError } from './node-shell';

/** The API answer for an SSH failure: the node's problem in plain words, with a stable code. */
export function gatewayErrorFromSsh(error: SshError): GatewayError {
  switch (error.kind) {
    case 'auth_refused':
      return new GatewayError('ssh_auth_refused', { detail: error.message, cause: error });
    case 'host_key_changed':
      return new GatewayError('host_key_changed', { detail: error.message, cause: error });
    case 'command_timeout':
      return new GatewayError('node_command_timeout', { detail: error.message, cause: error });
    case 'unreachable':
    case 'connect_timeout':
    case 'disconnected':
      return new GatewayError('node_unreachable', { detail: error.message, cause: error });
  }
}

/** Rethrows SSH failures as gateway errors; anything else passes through unchanged. */
export function asGatewayError(error: unknown): unknown {
  return error instanceof SshError ? gatewayErrorFromSsh(error) : error;
}
