// A stand-alone emulated vLLM server for the benchmarks: one process, one model, no token delay
// unless told otherwise.
//   node bench/emulated-vllm.mjs <port> [completionTokens] [controlPort]
// With a control port, `GET http://127.0.0.1:<controlPort>/token-interval?ms=N` changes the delay
// between generated tokens (and before the first) while it serves.
// Prints one JSON line {"ready":true,"port":...} on stdout once it serves, and stops on SIGTERM/SIGINT
// (or when its stdin is a pipe that closes).
import { fstatSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { VllmEmulator } = require(path.join(root, 'dist/src/emulator/index.js'));

const port = Number(process.argv[2] ?? 0);
const tokens = Number(process.argv[3] ?? 16);
const vllm = new VllmEmulator({
  port,
  model: { servedName: 'qwen3-30b-a3b', root: 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8' },
  tokenIntervalMs: 0,
  naturalCompletionTokens: tokens,
});
await vllm.start();

const controlPort = Number(process.argv[4] ?? 0);
let control = null;
if (controlPort > 0) {
  control = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ms = Number(url.searchParams.get('ms'));
    if (url.pathname !== '/token-interval' || !Number.isFinite(ms) || ms < 0 || ms > 1_000) {
      res.writeHead(400).end('GET /token-interval?ms=N (0..1000)\n');
      return;
    }
    vllm.tokenIntervalMs = ms;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ tokenIntervalMs: ms }));
  });
  await new Promise((resolve) => control.listen(controlPort, '127.0.0.1', resolve));
}
process.stdout.write(
  JSON.stringify({ ready: true, port: vllm.port, controlPort: controlPort || null }) + '\n',
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => process.exit(0), 2_000);
  timer.unref();
  control?.close();
  await vllm.stop().catch(() => undefined);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// When stdin is a pipe, exit with the parent: a benchmark that dies must not leave this server behind.
if (fstatSync(0).isFIFO()) {
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}
