import { ConfigError } from './errors';
import { loadConfig } from './load-config';
import { resolveMdnsHosts } from './resolve-hosts';

const base = () =>
  loadConfig({
    SPARK1_HOST: 'spark-one.local',
    SPARK1_USER: 'me',
    SPARK2_HOST: '192.168.1.11',
    SPARK2_USER: 'me',
    DATA_DIR: '/tmp/spark-control-resolve-test',
  });

describe('resolving .local hosts at start', () => {
  it('replaces every .local node and service host by its IPv4 address and leaves others alone', async () => {
    const asked: string[] = [];
    const config = await resolveMdnsHosts(base(), async (host) => {
      asked.push(host);
      return '192.168.1.10';
    });
    expect(asked).toEqual(['spark-one.local']);
    expect(config.nodes.map((node) => node.host)).toEqual(['192.168.1.10', '192.168.1.11']);
    expect(config.services.vllm.host).toBe('192.168.1.10');
    expect(config.services.parakeet.host).toBe('192.168.1.11');
  });

  it('stops the start naming the host that does not resolve', async () => {
    const failing = resolveMdnsHosts(base(), async () => {
      throw new Error('ENOTFOUND');
    });
    await expect(failing).rejects.toBeInstanceOf(ConfigError);
    await expect(failing).rejects.toThrow(/spark-one\.local does not resolve to an IPv4 address/);
  });

  it('does not look anything up when no host is a .local name', async () => {
    const config = loadConfig({ SPARK1_HOST: '10.0.0.5', SPARK1_USER: 'me', DATA_DIR: '/tmp/x' });
    const lookup = jest.fn();
    expect(await resolveMdnsHosts(config, lookup)).toBe(config);
    expect(lookup).not.toHaveBeenCalled();
  });
});
