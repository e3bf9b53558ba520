import type { CatalogModel } from './types';

/** Relative paths start in the SSH user's home directory, where spark-vllm-docker is checked out. */
export const DEFAULT_LAUNCHER = 'spark-vllm-docker/launch-cluster.sh';
export const DEFAULT_IMAGE = 'vllm-node';

export interface LaunchContext {
  launcher: string;
  container: string;
  port: number;
}

/** The image a model runs in. */
export function imageOf(model: CatalogModel): string {
  return model.runtime?.image ?? DEFAULT_IMAGE;
}

/** What vLLM loads: the HF repository or the local directory. */
export function weightsOf(model: CatalogModel): string {
  return model.hf_repo ?? model.local_path ?? model.id;
}

/**
 * The one launcher call that starts a model, as an argument vector: daemon mode (`-d`, so the
 * load survives the SSH session), the image, mods and env, then `exec vllm serve …` with the flags
 * the gateway owns (served names, host, port, tensor parallelism) and the entry's options.
 */
export function launchArgv(model: CatalogModel, context: LaunchContext): string[] {
  const runtime = model.runtime ?? {};
  const vllm = model.vllm ?? {};
  const argv = [context.launcher, '-d'];
  if (model.placement.nodes === 1) argv.push('--solo');
  else argv.push(model.placement.backend === 'ray' ? '--ray' : '--no-ray');
  argv.push('-t', imageOf(model), '--name', context.container);
  for (const mod of runtime.mods ?? []) argv.push('--apply-mod', mod);
  if (vllm.gpu_memory_gib !== undefined) argv.push('--apply-mod', 'mods/gpu-mem-util-gb');
  for (const [name, value] of Object.entries(runtime.env ?? {})) argv.push('-e', `${name}=${value}`);
  argv.push(...(runtime.launcher_flags ?? []));

  argv.push('exec', 'vllm', 'serve', weightsOf(model));
  argv.push('--served-model-name', model.served_model_name, ...(model.aliases ?? []));
  argv.push('--host', '0.0.0.0', '--port', String(context.port));
  if (model.placement.nodes > 1) argv.push('--tensor-parallel-size', String(model.placement.nodes));
  if (model.hf_repo && model.hf_revision) argv.push('--revision', model.hf_revision);
  if (vllm.max_model_len !== undefined) argv.push('--max-model-len', String(vllm.max_model_len));
  if (vllm.gpu_memory_gib !== undefined)
    argv.push('--gpu-memory-utilization-gb', String(vllm.gpu_memory_gib));
  else if (vllm.gpu_memory_utilization !== undefined)
    argv.push('--gpu-memory-utilization', String(vllm.gpu_memory_utilization));
  if (vllm.kv_cache_dtype !== undefined) argv.push('--kv-cache-dtype', vllm.kv_cache_dtype);
  if (vllm.load_format !== undefined) argv.push('--load-format', vllm.load_format);
  if (vllm.max_num_seqs !== undefined) argv.push('--max-num-seqs', String(vllm.max_num_seqs));
  if (vllm.max_num_batched_tokens !== undefined)
    argv.push('--max-num-batched-tokens', String(vllm.max_num_batched_tokens));
  if (vllm.tool_call_parser !== undefined)
    argv.push('--enable-auto-tool-choice', '--tool-call-parser', vllm.tool_call_parser);
  if (vllm.reasoning_parser !== undefined) argv.push('--reasoning-parser', vllm.reasoning_parser);
  if (vllm.trust_remote_code) argv.push('--trust-remote-code');
  if (vllm.enable_prefix_caching === true) argv.push('--enable-prefix-caching');
  if (vllm.enable_prefix_caching === false) argv.push('--no-enable-prefix-caching');
  argv.push(...(vllm.extra_args ?? []));
  return argv;
}

/** The directory whose presence says the weights are on a node: the HF cache's snapshots, or the local path. */
export function weightsDirOf(model: CatalogModel): string {
  if (model.local_path) return model.local_path;
  const [org, name] = weightsOf(model).split('/');
  // Relative to the SSH user's home, like the launcher's default HF_HOME (~/.cache/huggingface).
  return `.cache/huggingface/hub/models--${org}--${name}/snapshots`;
}
