import type { NodeShell } from '../ssh/node-shell';

const KIB_PER_GIB = 1024 * 1024;

export interface MemoryReading {
  total_gib: number;
  available_gib: number;
}

export interface GpuReading {
  name: string | null;
  utilization_pct: number | null;
  temperature_c: number | null;
  power_w: number | null;
}

export interface NodeReading {
  memory: MemoryReading | null;
  gpu: GpuReading | null;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** `MemTotal` and `MemAvailable` of `/proc/meminfo`, in GiB; null when either is missing. */
export function parseMeminfo(text: string): MemoryReading | null {
  const kib = (key: string) => {
    const match = new RegExp(`^${key}:\\s+(\\d+)\\s*kB`, 'm').exec(text);
    return match ? Number(match[1]) : null;
  };
  const total = kib('MemTotal');
  const available = kib('MemAvailable');
  if (total === null || available === null) return null;
  return { total_gib: round1(total / KIB_PER_GIB), available_gib: round1(available / KIB_PER_GIB) };
}

export const NVIDIA_SMI_QUERY = [
  'nvidia-smi',
  '--query-gpu=name,utilization.gpu,temperature.gpu,power.draw',
  '--format=csv,noheader,nounits',
];

/**
 * The first GPU's line of `nvidia-smi --query-gpu=name,utilization.gpu,temperature.gpu,power.draw`.
 * The GB10 answers `[N/A]` or `[Not Supported]` for some fields: those become null.
 */
export function parseNvidiaSmi(text: string): GpuReading | null {
  const line = text.split('\n').find((candidate) => candidate.trim() !== '');
  if (!line) return null;
  const [name, utilization, temperature, power] = line.split(',').map((field) => field.trim());
  const number = (field: string | undefined, min: number, max: number) => {
    const value = Number(field);
    return field !== undefined && field !== '' && Number.isFinite(value) && value >= min && value <= max
      ? value
      : null;
  };
  return {
    name: name && !name.startsWith('[') ? name.slice(0, 128) : null,
    utilization_pct: number(utilization, 0, 100),
    temperature_c: number(temperature, -50, 200),
    power_w: number(power, 0, 10_000),
  };
}

/** Reads memory (the kernel's view) and the GPU (where `nvidia-smi` answers) over the node's shell. */
export async function readNode(shell: NodeShell, timeoutMs: number): Promise<NodeReading> {
  const meminfo = await shell.run(['cat', '/proc/meminfo'], { timeoutMs });
  // An unknown exit status (null) with well-formed output is still a reading: the parsers check the text.
  const memory = meminfo.exitCode === 0 || meminfo.exitCode === null ? parseMeminfo(meminfo.stdout) : null;
  let gpu: GpuReading | null = null;
  try {
    const smi = await shell.run(NVIDIA_SMI_QUERY, { timeoutMs });
    gpu = smi.exitCode === 0 || smi.exitCode === null ? parseNvidiaSmi(smi.stdout) : null;
  } catch {
    gpu = null;
  }
  return { memory, gpu };
}
