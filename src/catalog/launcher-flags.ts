/**
 * Flags a catalog entry may not pass to `vllm serve` through `vllm.extra_args`: the launcher and
 * the gateway add them (host, port, served name, tensor parallelism and the distributed rank
 * flags), or the entry has its own field for them. A duplicate would silently win over the
 * gateway's value (vLLM keeps the last one), so the swap would wait on the wrong port or name.
 */
const OWNED_BY_GATEWAY: Record<string, string> = {
  '--host': 'the gateway sets the bind address',
  '--port': 'the gateway sets the port',
  '--uds': 'the gateway reaches vLLM over TCP',
  '--api-key': 'the gateway holds the API keys; vLLM behind it runs without one',
  '--config': 'a config file could set any denied flag',
  '--model': 'the model is hf_repo or local_path',
  '--served-model-name': 'use served_model_name and aliases',
  '--revision': 'use hf_revision',
  '--tensor-parallel-size': 'use placement.nodes',
  '-tp': 'use placement.nodes',
  '--pipeline-parallel-size': 'use placement.nodes',
  '-pp': 'use placement.nodes',
  '--data-parallel-size': 'use placement.nodes',
  '-dp': 'use placement.nodes',
  '--distributed-executor-backend': 'use placement.backend; the launcher adds it',
  '--nnodes': 'the launcher adds it',
  '--node-rank': 'the launcher adds it',
  '--master-addr': 'the launcher adds it',
  '--master-port': 'the launcher adds it',
  '--headless': 'the launcher adds it',
  '--max-model-len': 'use vllm.max_model_len',
  '--gpu-memory-utilization': 'use vllm.gpu_memory_utilization',
  '--gpu-memory-utilization-gb': 'use vllm.gpu_memory_gib',
  '--kv-cache-dtype': 'use vllm.kv_cache_dtype',
  '--load-format': 'use vllm.load_format',
  '--max-num-seqs': 'use vllm.max_num_seqs',
  '--max-num-batched-tokens': 'use vllm.max_num_batched_tokens',
  '--tool-call-parser': 'use vllm.tool_call_parser',
  '--enable-auto-tool-choice': 'set by vllm.tool_call_parser',
  '--reasoning-parser': 'use vllm.reasoning_parser',
  '--trust-remote-code': 'use vllm.trust_remote_code',
  '--enable-prefix-caching': 'use vllm.enable_prefix_caching',
  '--no-enable-prefix-caching': 'use vllm.enable_prefix_caching',
};

/** vLLM accepts `--max_model_len` as well as `--max-model-len`, and `--flag=value`. */
function flagName(arg: string): string | null {
  if (!arg.startsWith('-')) return null;
  const name = arg.split('=', 1)[0]!;
  return name.startsWith('--') ? '--' + name.slice(2).replaceAll('_', '-') : name;
}

/** Why `arg` may not appear in `vllm.extra_args`, or null when it may. */
export function deniedVllmArg(arg: string): string | null {
  const name = flagName(arg);
  if (name === null) return null;
  const reason = OWNED_BY_GATEWAY[name];
  return reason === undefined ? null : `${name} is not allowed (${reason})`;
}

/** Launcher flags (`launch-cluster.sh`) an entry may add; everything else is the gateway's. */
const ALLOWED_LAUNCHER_FLAGS = new Set([
  '--earlyoom',
  '--earlyoom-args',
  '--no-cache-dirs',
  '--nccl-debug',
  '--non-privileged',
  '--mem-limit-gb',
  '--shm-size-gb',
]);

export function deniedLauncherFlag(flag: string): string | null {
  const name = flag.split('=', 1)[0]!;
  return ALLOWED_LAUNCHER_FLAGS.has(name)
    ? null
    : `${name} is not an allowed launcher flag (allowed: ${[...ALLOWED_LAUNCHER_FLAGS].join(', ')})`;
}
