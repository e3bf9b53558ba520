import type { CommandRegistry } from './command-registry';

export interface HostFacts {
  hostname: string;
  /** Memory in use right now, in KiB (depends on what the node runs). */
  usedKiB: () => number;
}

/** GB10 unified memory as the kernel reports it: about 121.7 GiB of the 128 GB. */
export const GB10_MEM_TOTAL_KIB = 127_612_108;

/** Registers the plain system programs every emulated node has: hostname, true, false, echo, cat. */
export function registerSystemCommands(registry: CommandRegistry, facts: HostFacts): CommandRegistry {
  return registry
    .register('hostname', (io) => {
      io.stdout(`${facts.hostname}\n`);
      return 0;
    })
    .register('true', () => 0)
    .register('false', () => 1)
    .register('echo', (io) => {
      const args = io.argv.slice(1);
      const noNewline = args[0] === '-n';
      io.stdout(args.slice(noNewline ? 1 : 0).join(' ') + (noNewline ? '' : '\n'));
      return 0;
    })
    .register('cat', (io) => {
      let status = 0;
      for (const file of io.argv.slice(1)) {
        if (file === '/proc/meminfo') io.stdout(meminfo(facts.usedKiB()));
        else {
          io.stderr(`cat: ${file}: No such file or directory\n`);
          status = 1;
        }
      }
      return status;
    });
}

/** /proc/meminfo of a GB10 node with `usedKiB` taken by processes (the rest split into cache and free). */
export function meminfo(usedKiB: number): string {
  const total = GB10_MEM_TOTAL_KIB;
  const used = Math.min(Math.max(0, Math.round(usedKiB)), total - 1_048_576);
  const cached = Math.round((total - used) * 0.2);
  const free = total - used - cached;
  const available = free + Math.round(cached * 0.9);
  const rows: [string, number][] = [
    ['MemTotal', total],
    ['MemFree', free],
    ['MemAvailable', available],
    ['Buffers', 412_660],
    ['Cached', cached],
    ['SwapCached', 0],
    ['Active', Math.round(used * 0.6)],
    ['Inactive', Math.round(cached * 0.8)],
    ['Unevictable', 31_244],
    ['Mlocked', 31_244],
    ['SwapTotal', 16_777_212],
    ['SwapFree', 16_777_212],
    ['Dirty', 1_204],
    ['Writeback', 0],
    ['AnonPages', Math.round(used * 0.95)],
    ['Mapped', 1_310_720],
    ['Shmem', 98_304],
    ['KReclaimable', 524_288],
    ['Slab', 1_048_576],
    ['SReclaimable', 524_288],
    ['SUnreclaim', 524_288],
    ['KernelStack', 32_768],
    ['PageTables', 131_072],
    ['CommitLimit', Math.round(total / 2) + 16_777_212],
    ['Committed_AS', Math.round(used * 1.1)],
    ['VmallocTotal', 133_141_626_880],
    ['VmallocUsed', 262_144],
    ['HugePages_Total', 0],
    ['Hugepagesize', 2_048],
  ];
  return rows
    .map(([key, kib]) =>
      key.startsWith('HugePages_')
        ? `${`${key}:`.padEnd(16)}${String(kib).padStart(8)}\n`
        : `${`${key}:`.padEnd(16)}${String(kib).padStart(8)} kB\n`,
    )
    .join('');
}
