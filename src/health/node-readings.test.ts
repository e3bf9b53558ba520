import { GB10_MEM_TOTAL_KIB, meminfo } from '../emulator/system-commands';
import type { CommandResult, NodeShell } from '../ssh/node-shell';
import { parseMeminfo, parseNvidiaSmi, readNode } from './node-readings';

describe('parseMeminfo', () => {
  it('reads MemTotal and MemAvailable in GiB', () => {
    const reading = parseMeminfo(meminfo(10 * 1024 * 1024));
    expect(reading!.total_gib).toBeCloseTo(GB10_MEM_TOTAL_KIB / 1024 / 1024, 1);
    expect(reading!.available_gib).toBeGreaterThan(100);
    expect(reading!.available_gib).toBeLessThan(reading!.total_gib - 10 + 0.1);
  });

  it('is null without MemAvailable', () => {
    expect(parseMeminfo('MemTotal:       127612108 kB\nMemFree:        1000 kB\n')).toBeNull();
  });
});

describe('parseNvidiaSmi', () => {
  it('reads name, utilisation, temperature and power', () => {
    expect(parseNvidiaSmi('NVIDIA GB10, 62, 58, 71.50\n')).toEqual({
      name: 'NVIDIA GB10',
      utilization_pct: 62,
      temperature_c: 58,
      power_w: 71.5,
    });
  });

  it('turns the GB10 `[N/A]` fields into null', () => {
    expect(parseNvidiaSmi('NVIDIA GB10, 3, 44, [N/A]\n')).toEqual({
      name: 'NVIDIA GB10',
      utilization_pct: 3,
      temperature_c: 44,
      power_w: null,
    });
    expect(parseNvidiaSmi('[Not Supported], [Not Supported], [N/A], [N/A]')).toEqual({
      name: null,
      utilization_pct: null,
      temperature_c: null,
      power_w: null,
    });
  });

  it('is null on empty output', () => {
    expect(parseNvidiaSmi('\n')).toBeNull();
  });
});

describe('readNode', () => {
  const shell = (answers: Record<string, CommandResult>): NodeShell => ({
    nodeId: 'spark1',
    run: async (argv) =>
      answers[argv[0]!] ?? { exitCode: 127, signal: null, stdout: '', stderr: 'not found' },
  });

  it('reads memory and leaves the GPU null where nvidia-smi is missing', async () => {
    const reading = await readNode(
      shell({ cat: { exitCode: 0, signal: null, stdout: meminfo(0), stderr: '' } }),
      1_000,
    );
    expect(reading.memory!.total_gib).toBeGreaterThan(100);
    expect(reading.gpu).toBeNull();
  });

  it('keeps well-formed output whose exit status went unknown, and refuses a failed command', async () => {
    const unknown = await readNode(
      shell({
        cat: { exitCode: null, signal: null, stdout: meminfo(0), stderr: '' },
        'nvidia-smi': { exitCode: null, signal: null, stdout: 'NVIDIA GB10, 5, 40, [N/A]\n', stderr: '' },
      }),
      1_000,
    );
    expect(unknown.memory).not.toBeNull();
    expect(unknown.gpu).toMatchObject({ utilization_pct: 5 });
    const failed = await readNode(
      shell({ cat: { exitCode: 1, signal: null, stdout: meminfo(0), stderr: 'denied' } }),
      1_000,
    );
    expect(failed.memory).toBeNull();
  });
});
