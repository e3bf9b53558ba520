import type { AppContext } from '../app-context';
import type { NodeShell } from '../ssh/node-shell';
import { classifyVllm, VllmActivityCheck } from './vllm-activity';

describe('classifyVllm', () => {
  it('is up when vLLM answers, whatever the node says', () => {
    expect(classifyVllm(true, 'unknown', null)).toEqual({ state: 'up', idle: false, detail: null });
  });

  it('counts an idle node (no model container) as up and idle, not as an outage', () => {
    expect(classifyVllm(false, 'idle', 'connection refused')).toMatchObject({ state: 'up', idle: true });
  });

  it('counts a model being loaded as up', () => {
    expect(classifyVllm(false, 'loading', 'connection refused')).toMatchObject({ state: 'up', idle: false });
  });

  it('is down when a container runs but vLLM does not answer', () => {
    expect(classifyVllm(false, 'unknown', 'connection refused')).toEqual({
      state: 'down',
      idle: false,
      detail: 'connection refused',
    });
  });
});

describe('VllmActivityCheck', () => {
  const appWith = (docker: { stdout: string; exitCode: number | null }, swapping = false) => {
    const calls: string[][] = [];
    const shell: NodeShell = {
      nodeId: 'spark1',
      run: async (argv) => {
        calls.push([...argv]);
        return { ...docker, signal: null, stderr: '' };
      },
    };
    const app = {
      upstreams: { service: () => ({ node: 'spark1', container: 'vllm_node' }) },
      shells: new Map([['spark1', shell]]),
      swaps: swapping ? { runningJobId: 'swp_1' } : undefined,
    } as unknown as AppContext;
    return { app, calls };
  };

  it('is idle when the node runs no model container, and asks once per few seconds', async () => {
    let now = 0;
    const check = new VllmActivityCheck(() => now);
    const { app, calls } = appWith({ stdout: '', exitCode: 0 });
    expect(await Promise.all([check.get(app), check.get(app)])).toEqual(['idle', 'idle']);
    now = 2_000;
    expect(await check.get(app)).toBe('idle');
    expect(calls).toEqual([['docker', 'ps', '--filter', 'name=^vllm_node$', '--format', '{{.Names}}']]);
    now = 3_500;
    await check.get(app);
    expect(calls).toHaveLength(2);
  });

  it('is unknown when the container runs, or the answer is unknown', async () => {
    expect(
      await new VllmActivityCheck(() => 0).get(appWith({ stdout: 'vllm_node\n', exitCode: 0 }).app),
    ).toBe('unknown');
    expect(await new VllmActivityCheck(() => 0).get(appWith({ stdout: '', exitCode: null }).app)).toBe(
      'unknown',
    );
  });

  it('is loading while a swap runs, without asking the node', async () => {
    const { app, calls } = appWith({ stdout: '', exitCode: 0 }, true);
    expect(await new VllmActivityCheck(() => 0).get(app)).toBe('loading');
    expect(calls).toEqual([]);
  });
});
