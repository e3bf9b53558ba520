export { startEmulatedCluster, DEFAULT_INITIAL_MODEL } from './cluster';
export type {
  EmulatedCluster,
  EmulatedClusterOptions,
  EmulatedNodeName,
  EmulatedServiceName,
} from './cluster';
export {
  HttpService,
  type EmulatedService,
  type HttpServiceOptions,
  type RequestContext,
} from './http-service';
export { FaultInjector } from './faults';
export { LogRing, type LogListener } from './log-ring';
export {
  VllmEmulator,
  type VllmEmulatorOptions,
  type VllmState,
  type ModelSpec,
  type LoadSpec,
} from './vllm';
export { ParakeetEmulator, type ParakeetEmulatorOptions } from './parakeet';
export { KokoroEmulator, KOKORO_VOICES, type KokoroEmulatorOptions } from './kokoro';
export { EmbedEmulator, EMBED_MODEL, RERANK_MODEL, EMBED_DIMENSIONS } from './embed';
export { QdrantEmulator, QDRANT_VERSION, type QdrantCollection } from './qdrant';
export { SshHost, type SshHostOptions } from './ssh-host';
export { generateEd25519KeyPair } from '../ssh/ed25519';
export { CommandRegistry, type CommandHandler, type CommandIo, type ShellOutput } from './command-registry';
export {
  DockerModel,
  NoSuchContainerError,
  type Container,
  type ContainerProcess,
  type ContainerSpec,
} from './docker-model';
export { DockerCli, type DockerSubcommand } from './docker-cli';
export { EmulatedLauncher, LAUNCHER_PROGRAM, LAUNCHER_CONTAINER, type LaunchRecord } from './launcher';
export { registerSystemCommands, meminfo, GB10_MEM_TOTAL_KIB, type HostFacts } from './system-commands';
export { wavHeader, parseWavHeader, wavDurationS, type WavFormat, type WavInfo } from './wav';
