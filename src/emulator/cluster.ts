import { CommandRegistry } from './command-registry';
import { ContainerExec } from './container-exec';
import { DockerCli } from './docker-cli';
import { DockerModel, type ContainerProcess } from './docker-model';
import { EmbedEmulator } from './embed';
import type { EmulatedService, HttpService } from './http-service';
import { KokoroEmulator } from './kokoro';
import { ModelStore } from './model-store';
import { EmulatedLauncher } from './launcher';
import { ParakeetEmulator } from './parakeet';
import { QdrantEmulator } from './qdrant';
import { SshHost } from './ssh-host';
import { registerSystemCommands } from './system-commands';
import { VllmEmulator, type ModelSpec } from './vllm';

export type EmulatedServiceName = 'vllm' | 'parakeet' | 'kokoro' | 'embed' | 'qdrant';
export type EmulatedNodeName = 'spark1' | 'spark2';

export interface EmulatedClusterOptions {
  /** The model vLLM serves from the start (no load phase); `null` = idle, nothing on the vLLM port. */
  initialModel?: ModelSpec | null;
  /** Duration of later model loads. Default 0. */
  loadDelayMs?: number;
  /** HF repos whose weights each node holds at start (default: the initial model's repo on spark1). */
  modelsOnDisk?: Partial<Record<EmulatedNodeName, string[]>>;
  /** Duration of an emulated weights download or copy. Default 200 ms. */
  modelTransferMs?: number;
  /** Time between generated tokens. Default 0. */
  tokenIntervalMs?: number;
  /** GPU time per parakeet request. Default 5 ms. */
  parakeetProcessingMs?: number;
  /** Time from `docker start` to a support service serving. Default 0. */
  containerBootDelayMs?: number;
  /** OpenSSH public keys allowed on both SSH hosts (more can be added with `sshHosts.x.authorize`). */
  authorizedKeys?: string[];
  /** SSH login name on both hosts. Default `spark`. */
  sshUsername?: string;
  /** Fixed ports; every port not given is picked free on loopback. */
  ports?: Partial<Record<EmulatedServiceName | EmulatedNodeName, number>>;
}

export interface EmulatedCluster {
  services: Record<EmulatedServiceName, EmulatedService>;
  vllm: VllmEmulator;
  parakeet: ParakeetEmulator;
  kokoro: KokoroEmulator;
  embed: EmbedEmulator;
  qdrant: QdrantEmulator;
  sshHosts: Record<EmulatedNodeName, SshHost>;
  docker: DockerModel;
  /** Per-node programs: where the launcher and swap commands get registered. */
  commands: Record<EmulatedNodeName, CommandRegistry>;
  /** Per-node `docker` CLIs: where further subcommands (`exec`, `run`) get registered. */
  dockerCli: Record<EmulatedNodeName, DockerCli>;
  /** The head node's vLLM launcher (`launch-cluster.sh`), its images, weights and load faults. */
  launcher: EmulatedLauncher;
  /** Files and memory caps inside the support containers (`docker exec … tar -x`, `docker update`). */
  containerExec: ContainerExec;
  /** The weights on each node's disk, and `hf download`/`rsync`/`du`/`find`/`rm` over them. */
  modelStore: ModelStore;
  stop(): Promise<void>;
}

export const DEFAULT_INITIAL_MODEL: ModelSpec = {
  servedName: 'qwen3-4b',
  root: 'Qwen/Qwen3-4B-Instruct-2507',
};

const GIB_IN_KIB = 1024 * 1024;

/** Starts the whole emulated cluster on loopback; `stop()` releases every port, socket and timer. */
export async function startEmulatedCluster(options: EmulatedClusterOptions = {}): Promise<EmulatedCluster> {
  const ports = options.ports ?? {};
  const initialModel = options.initialModel === undefined ? DEFAULT_INITIAL_MODEL : options.initialModel;
  const vllm = new VllmEmulator({
    port: ports.vllm,
    model: initialModel,
    tokenIntervalMs: options.tokenIntervalMs,
    loadDelayMs: options.loadDelayMs,
  });
  const parakeet = new ParakeetEmulator({ port: ports.parakeet, processingMs: options.parakeetProcessingMs });
  const kokoro = new KokoroEmulator({ port: ports.kokoro });
  const embed = new EmbedEmulator({ port: ports.embed });
  const qdrant = new QdrantEmulator({ port: ports.qdrant });
  const services = { vllm, parakeet, kokoro, embed, qdrant };

  const docker = new DockerModel();
  const bootDelayMs = options.containerBootDelayMs ?? 0;
  if (initialModel) {
    docker.add({
      name: 'vllm_node',
      node: 'spark1',
      image: 'vllm-node',
      command: 'sleep infinity',
      process: vllmContainer(vllm),
      autoRemove: true,
    });
  }
  const supportContainers: [string, string, string, HttpService][] = [
    ['parakeet-asr', 'parakeet-asr:latest', 'python -m uvicorn main:app --port 8000', parakeet],
    ['kokoro', 'ghcr.io/remsky/kokoro-fastapi-gpu:latest', './entrypoint.sh', kokoro],
    ['spark-embed', 'spark-embed:latest', 'python -m uvicorn server:app --port 8088', embed],
    ['qdrant', 'qdrant/qdrant:v1.19.0', './entrypoint.sh', qdrant],
  ];
  for (const [name, image, command, service] of supportContainers) {
    docker.add({ name, node: 'spark2', image, command, process: serviceContainer(service), bootDelayMs });
  }

  const memoryUsed: Record<EmulatedNodeName, () => number> = {
    spark1: () => (6 + (vllm.state === 'serving' || vllm.state === 'loading' ? 96 : 0)) * GIB_IN_KIB,
    spark2: () => (6 + [parakeet, kokoro, embed, qdrant].filter((s) => s.isUp).length * 4) * GIB_IN_KIB,
  };
  const nodes: EmulatedNodeName[] = ['spark1', 'spark2'];
  const commands = {} as Record<EmulatedNodeName, CommandRegistry>;
  const dockerCli = {} as Record<EmulatedNodeName, DockerCli>;
  const sshHosts = {} as Record<EmulatedNodeName, SshHost>;
  for (const node of nodes) {
    dockerCli[node] = new DockerCli(docker, node);
    commands[node] = registerSystemCommands(new CommandRegistry(), {
      hostname: `${node}-emulated`,
      usedKiB: memoryUsed[node],
    }).register('docker', dockerCli[node].handler);
    sshHosts[node] = new SshHost({
      name: node,
      username: options.sshUsername ?? 'spark',
      authorizedKeys: options.authorizedKeys,
      port: ports[node],
      commands: commands[node],
    });
  }

  const launcher = new EmulatedLauncher({
    docker,
    vllm,
    head: 'spark1',
    workers: ['spark2'],
    commands,
    dockerCli,
    loadDelayMs: options.loadDelayMs,
    weightsOnDisk: (node, repo) => modelStore.has(node, repo),
  }).install();
  const containerExec = new ContainerExec(docker);
  for (const node of nodes) containerExec.install(node, dockerCli[node]);

  const modelStore = new ModelStore({
    nodes,
    present: options.modelsOnDisk ?? { spark1: initialModel?.root.includes('/') ? [initialModel.root] : [] },
    transferMs: options.modelTransferMs,
    nodeForSshPort: (port) => nodes.find((node) => sshHosts[node].port === port),
  });
  for (const node of nodes) modelStore.register(node, commands[node]);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    docker.dispose();
    await Promise.all([
      ...Object.values(sshHosts).map((h) => h.stop()),
      ...Object.values(services).map((s) => s.stop()),
    ]);
  };
  try {
    await Promise.all([
      ...Object.values(services).map((s) => s.start()),
      ...Object.values(sshHosts).map((h) => h.start()),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    services,
    vllm,
    parakeet,
    kokoro,
    embed,
    qdrant,
    sshHosts,
    docker,
    commands,
    dockerCli,
    launcher,
    containerExec,
    modelStore,
    stop,
  };
}

/** A support service's container: its process is the emulated server itself. */
function serviceContainer(service: HttpService): ContainerProcess {
  return {
    start: () => service.up(),
    stop: () => service.down(),
    logLines: () => service.log.tail(),
    onLog: (listener) => service.log.subscribe(listener),
  };
}

/**
 * The launcher's `vllm_node` container: PID 1 is `sleep infinity`, so starting it serves nothing until a
 * `vllm serve` is executed inside it; stopping it ends whatever vLLM was running.
 */
function vllmContainer(vllm: VllmEmulator): ContainerProcess {
  return {
    start: async () => undefined,
    stop: () => vllm.unload(),
    logLines: () => vllm.logLines(),
    onLog: (listener) => vllm.onLog(listener),
  };
}
