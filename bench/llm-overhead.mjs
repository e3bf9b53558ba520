#!/usr/bin/env node
// Gateway-overhead benchmark for the LLM route (POST /v1/chat/completions).
//
// The same requests go to three kinds of target (nginx in two configurations), each run with the
// others idle:
//   direct      the emulated vLLM itself (bench/emulated-vllm.mjs, its own process)
//   gateway     spark-control (node dist/src/server.js, cluster mode, its own process) -> emulated vLLM
//   nginx-1     Debian's nginx, worker_processes 1, proxy_pass with an upstream keep-alive pool
//   nginx-auto  the same with worker_processes auto (secondary row)
// Scenarios:
//   A  fixed-rate open loop (300 req/s), non-streaming; per-request latency with hrtime (µs)
//   B  streaming ("stream": true) at a fixed rate: time to first body byte and to the end
//   C  saturation with autocannon (64 connections): requests/s per target, ratio gateway/nginx
//   D  gateway start-up: spawn -> first GET /health 200, and the logged startupMs
// Every scenario runs in rounds that interleave the targets (rotating the order); the tables show the
// median over rounds. Raw summaries go to bench/results/llm-overhead.json.
//
//   node bench/llm-overhead.mjs [--quick] [--only=A,B,C,D] [--rounds=3] [--no-build] [--no-nginx]
//       [--stream-token-ms=5] [--stream-rate=100] [--out=llm-overhead] [--noise-limit=30] [--retries=6]
//       [--gateway-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof"]   (then bench/cpuprofile-summary.mjs)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH_DIR, '..');
const RESULTS_DIR = path.join(BENCH_DIR, 'results');
const require = createRequire(path.join(ROOT, 'package.json'));

// ---------------------------------------------------------------------------------------------- options

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const hit = argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
};
if (flag('help') || flag('h')) {
  console.log(
    readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .slice(1, 20)
      .join('\n'),
  );
  process.exit(0);
}
const QUICK = flag('quick');
const ONLY = new Set(option('only', 'A,B,C,D').toUpperCase().split(','));
const ROUNDS = Number(option('rounds', QUICK ? 1 : 3));
const CFG = {
  rate: 300, // A: requests per second
  warmupMs: QUICK ? 1000 : 3000, // A/B: once per target before the rounds
  leadInMs: 500, // A: discarded requests before each measured window (re-opens keep-alive connections)
  measureMs: QUICK ? 2000 : 5000, // A: measured window per target per round (x3 rounds = 15 s per target)
  streamRate: Number(option('stream-rate', 100)), // B: requests per second
  streamTotal: QUICK ? 200 : 1000, // B: streaming requests per target, split over the rounds
  // B: the emulator's delay between tokens during B. The role event (first body byte) is sent at once;
  // spacing the tokens keeps the first byte from being measured together with the whole token flood.
  streamTokenIntervalMs: Number(option('stream-token-ms', 5)),
  cannonConnections: 64, // C
  cannonWarmupS: QUICK ? 1 : 2, // C: once per target
  cannonSeconds: QUICK ? 2 : 5, // C: per target per round (x3 rounds = 15 s per target)
  startups: QUICK ? 3 : 10, // D
  idleGapMs: 300, // pause between two measured runs
  completionTokens: 16,
  deadlineMs: 9 * 60_000, // hard stop for the whole benchmark
};
const GATEWAY_NODE_ARGS = option('gateway-node-args', '').split(' ').filter(Boolean);

const MODEL = 'qwen3-30b-a3b';
const ROUTE = '/v1/chat/completions';
const CHAT = {
  model: MODEL,
  messages: [
    { role: 'system', content: 'You are a concise assistant. Answer in one short paragraph.' },
    {
      role: 'user',
      content:
        'Summarise in one sentence why an HTTP reverse proxy keeps a pool of keep-alive connections to its upstream.',
    },
  ],
  max_tokens: CFG.completionTokens,
  temperature: 0.2,
};
const BODY = JSON.stringify(CHAT);
const STREAM_BODY = JSON.stringify({ ...CHAT, stream: true });
const HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

const log = (...parts) => console.error(`[bench ${((performance.now() - T0) / 1000).toFixed(1)}s]`, ...parts);
const T0 = performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => process.hrtime.bigint();
const usSince = (t) => Number(now() - t) / 1000;

// ---------------------------------------------------------------------------------------- child processes

/** Every process this benchmark started (process-group leaders), so it can stop them on any exit. */
const children = new Set();
/** Set when a process the benchmark relies on died under it: every figure after that is void. */
let broken = null;
function assertAlive() {
  if (broken)
    throw new Error(`${broken}: the run is void (was it killed by another program, e.g. pkill -f?)`);
}

// Runs "$@" with a watchdog on our stdin pipe: if this benchmark dies (even by SIGKILL) the pipe
// closes and the watchdog sends SIGTERM to the process it guards, so nothing is left behind.
const GUARD = [
  'exec 3<&0',
  '"$@" </dev/null &',
  'child=$!',
  '(cat <&3 >/dev/null; kill -TERM "$child" 2>/dev/null) &',
  'wait "$child"',
].join('\n');

function launch(name, command, args, { env = process.env, output = 'ignore', guard = true } = {}) {
  const proc = guard
    ? spawn('sh', ['-c', GUARD, name, command, ...args], {
        cwd: ROOT,
        env,
        stdio: ['pipe', output, 'pipe'],
        detached: true,
      })
    : spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', output, 'pipe'], detached: true });
  const child = { name, proc, pid: proc.pid, exited: false, stderr: '' };
  proc.stderr?.on('data', (chunk) => {
    if (child.stderr.length < 8_000) child.stderr += chunk;
  });
  child.exit = new Promise((resolve) =>
    proc.once('exit', (code, signal) => {
      child.exited = true;
      if (!child.stopping && guard) {
        broken ??= `${name} exited unexpectedly (code ${code}, signal ${signal})`;
        log(
          `${name} exited unexpectedly (code ${code}, signal ${signal}): ${child.stderr.trim().slice(-2_000)}`,
        );
      }
      resolve({ code, signal });
    }),
  );
  proc.stdin?.on('error', () => undefined);
  children.add(child);
  return child;
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopChild(child, timeoutMs = 5_000) {
  if (!children.has(child)) return;
  child.stopping = true;
  if (child.proc.stdin) child.proc.stdin.end();
  else killGroup(child, 'SIGTERM');
  const done = await Promise.race([child.exit.then(() => true), sleep(timeoutMs).then(() => false)]);
  if (!done) {
    log(`${child.name} did not stop within ${timeoutMs} ms: SIGKILL`);
    killGroup(child, 'SIGKILL');
    await Promise.race([child.exit, sleep(1_000)]);
  }
  await sleep(50);
  killGroup(child, 'SIGKILL'); // the guard's watchdog and any straggler of the group
  children.delete(child);
}

async function stopAll() {
  await Promise.all([...children].map((child) => stopChild(child, 4_000)));
}

let cleaningUp = false;
/** Temporary folder of this run (nginx configs, gateway data dir); removed on every exit. */
let workDir = null;
function removeWorkDir() {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = null;
}
process.on('exit', () => {
  for (const child of children) killGroup(child, 'SIGTERM');
  removeWorkDir();
  restorePolicyRcD();
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, async () => {
    if (cleaningUp) return;
    cleaningUp = true;
    log(`${signal}: stopping every process the benchmark started`);
    await stopAll();
    removeWorkDir();
    process.exit(130);
  });
}

// ------------------------------------------------------------------------------------------ utilities

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One GET on a fresh connection; resolves with the status code or 0 when nothing answered. */
function probe(port, pathName, timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: pathName, agent: false, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', () => resolve(0));
      },
    );
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
  });
}

async function waitForHttp(child, port, pathName, timeoutMs = 20_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exited) throw new Error(`${child.name} exited before it served: ${child.stderr.trim()}`);
    if ((await probe(port, pathName)) === 200) return;
    await sleep(20);
  }
  throw new Error(`${child.name} did not answer ${pathName} within ${timeoutMs} ms: ${child.stderr.trim()}`);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Summary of microsecond samples, in milliseconds with µs precision. */
function summarize(samplesUs) {
  const sorted = Float64Array.from(samplesUs.filter((v) => Number.isFinite(v))).sort();
  const ms = (us) => Math.round(us) / 1000;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n: sorted.length,
    p50: ms(percentile(sorted, 50)),
    p90: ms(percentile(sorted, 90)),
    p99: ms(percentile(sorted, 99)),
    max: ms(sorted[sorted.length - 1] ?? NaN),
    mean: ms(sum / Math.max(1, sorted.length)),
  };
}

const median = (values) => {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const r3 = (x) => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : null);
const fmt = (x, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);

// ----------------------------------------------------------------------------------- CPU accounting

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (ms) of `rootPid` and all its descendants, from /proc. */
function treeCpuMs(rootPid) {
  const parent = new Map();
  const ticks = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // exited meanwhile
    }
  }
  let total = 0;
  for (const [pid, t] of ticks) {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parent.get(p) ?? 0, hops++) {
      if (p === rootPid) {
        total += t;
        break;
      }
    }
  }
  return (total * 1000) / CLK_TCK;
}

/** CPU time (ms) of the whole machine, all cores, from /proc/stat: tasks (user+nice+system), softirq+irq, steal. */
function machineCpuMs() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.slice(0, 8).map(Number);
  const ms = (ticks) => (ticks * 1000) / CLK_TCK;
  return { tasks: ms(user + nice + system), irq: ms(irq + softirq), steal: ms(steal) };
}

function cpuSnapshot(processes) {
  const usage = process.cpuUsage();
  const snap = {
    loadgen: (usage.user + usage.system) / 1000,
    at: performance.now(),
    machine: machineCpuMs(),
  };
  for (const [name, child] of Object.entries(processes)) snap[name] = treeCpuMs(child.pid);
  return snap;
}

/**
 * Share of one core (100 = one core busy) each process used between two snapshots, and for the
 * whole machine: `other` = processes that are not this benchmark's (should be ~0 on a quiet machine),
 * `irq` = interrupts and softirqs (loopback TCP is partly processed there), `steal` = time the
 * hypervisor gave to other guests.
 */
function cpuPercent(before, after) {
  const wall = after.at - before.at;
  const pct = (ms) => Math.round((ms / wall) * 100);
  const out = {};
  let ours = 0;
  for (const key of Object.keys(before)) {
    if (key === 'at' || key === 'machine') continue;
    ours += after[key] - before[key];
    out[key] = pct(after[key] - before[key]);
  }
  out.other = Math.max(0, pct(after.machine.tasks - before.machine.tasks - ours));
  out.irq = pct(after.machine.irq - before.machine.irq);
  out.steal = pct(after.machine.steal - before.machine.steal);
  return out;
}

/** Refuses to start on a busy machine (another test suite or benchmark would skew every figure). */
async function waitForQuietMachine() {
  const limit = Number(option('busy-limit', 25)); // % of one core used by others
  const deadline = performance.now() + Number(option('quiet-wait-s', 120)) * 1000;
  for (;;) {
    const a = machineCpuMs().tasks;
    const t = performance.now();
    await sleep(1_000);
    const busy = Math.round(((machineCpuMs().tasks - a) / (performance.now() - t)) * 100);
    if (busy <= limit) return busy;
    if (performance.now() > deadline) {
      log(
        `the machine stays busy (${busy}% of a core used by other processes): measuring anyway; see "other" CPU`,
      );
      return busy;
    }
    log(`the machine is busy (${busy}% of a core used by other processes): waiting for it to settle`);
    await sleep(4_000);
  }
}

// -------------------------------------------------------------------------------------- the load generator

let undici;

function newPool(port) {
  return new undici.Pool(`http://127.0.0.1:${port}`, {
    connections: 128,
    pipelining: 1,
    keepAliveTimeout: 10_000,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
}

/**
 * Open-loop generator: request i is sent at start + i/rate whatever happened to the earlier ones, on
 * keep-alive connections of an undici Pool large enough that nothing queues client-side. Each
 * request's latency runs from the call that sends it to its last body byte (and, for streams, to the
 * first body byte), measured with process.hrtime.bigint().
 */
function openLoop(pool, { rate, count, body, stream }) {
  const intervalNs = 1e9 / rate;
  const total = new Float64Array(count).fill(NaN);
  const ttfb = new Float64Array(count).fill(NaN);
  const headersAt = new Float64Array(count).fill(NaN);
  const lateness = new Float64Array(count);
  let errors = 0;
  let incomplete = 0;
  let done = 0;
  let sent = 0;
  let bytes = 0;
  const start = now() + 2_000_000n;
  const due = (i) => start + BigInt(Math.round(i * intervalNs));
  const maxMs = (count / rate) * 1000 + 15_000;

  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(guard);
      resolve({
        total,
        ttfb,
        headers: headersAt,
        lateness,
        errors: errors + (count - done),
        incomplete,
        bytesPerResponse: Math.round(bytes / Math.max(1, done - errors)),
      });
    };
    const guard = setTimeout(finish, maxMs);

    const one = async (i) => {
      const t0 = now();
      try {
        const res = await pool.request({ path: ROUTE, method: 'POST', headers: HEADERS, body });
        const headersDone = now();
        let first = 0n;
        let last = null;
        for await (const chunk of res.body) {
          if (first === 0n) first = now();
          bytes += chunk.length;
          last = chunk;
        }
        const end = now();
        if (first === 0n) first = end; // an empty body: its first byte is its end
        if (res.statusCode !== 200) errors++;
        else {
          total[i] = Number(end - t0) / 1000;
          ttfb[i] = Number(first - t0) / 1000;
          headersAt[i] = Number(headersDone - t0) / 1000;
          if (stream && !(last && last.toString('latin1').includes('[DONE]'))) incomplete++;
        }
      } catch {
        errors++;
      }
      if (++done === count) finish();
    };

    const tick = () => {
      const t = now();
      while (sent < count && due(sent) <= t) {
        lateness[sent] = Number(t - due(sent)) / 1000;
        void one(sent++);
      }
      if (sent < count) {
        const waitMs = Number(due(sent) - now()) / 1e6;
        setTimeout(tick, Math.max(1, Math.floor(waitMs)));
      }
    };
    tick();
  });
}

// ------------------------------------------------------------------------------------------------ setup

function newestMtime(dir, filter) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if (filter(file)) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

function ensureBuild() {
  const entry = path.join(ROOT, 'dist/src/server.js');
  const emulator = path.join(ROOT, 'dist/src/emulator/index.js');
  const isSource = (f) => f.endsWith('.ts') && !f.endsWith('.test.ts');
  const newestSource = Math.max(
    newestMtime(path.join(ROOT, 'src'), isSource),
    newestMtime(path.join(ROOT, 'generated'), isSource),
    ...['tsconfig.json', 'tsconfig.build.json'].map((f) => statSync(path.join(ROOT, f)).mtimeMs),
  );
  const built = existsSync(entry) && existsSync(emulator) ? statSync(entry).mtimeMs : 0;
  if (flag('no-build')) {
    if (!built) throw new Error('dist/ is missing and --no-build was given');
    return;
  }
  if (built >= newestSource) return;
  log(built ? 'dist/ is older than the sources: npm run build' : 'dist/ is missing: npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

function findNginx() {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx']) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

const POLICY_RC_D = '/usr/sbin/policy-rc.d';
let policyRcDCreated = false;
function restorePolicyRcD() {
  if (!policyRcDCreated) return;
  rmSync(POLICY_RC_D, { force: true });
  policyRcDCreated = false;
}

function ensureNginx() {
  const found = findNginx();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    log('nginx is not installed and this is not root: the nginx rows are skipped (apt-get install -y nginx)');
    return null;
  }
  log("nginx is not installed: installing Debian's package (apt-get update && apt-get install -y nginx)");
  try {
    // Keep the package's own system service from starting on port 80: only this benchmark's nginx runs.
    if (!existsSync(POLICY_RC_D)) {
      writeFileSync(POLICY_RC_D, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
      policyRcDCreated = true;
    }
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
      timeout: 180_000,
    });
    execFileSync('apt-get', ['install', '-y', '-qq', 'nginx'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
      timeout: 240_000,
    });
  } catch (error) {
    log(`installing nginx failed (${error.message}): the nginx rows are skipped`);
  } finally {
    restorePolicyRcD();
  }
  return findNginx();
}

function nginxVersion(binary) {
  const out = spawnSync(binary, ['-v'], { encoding: 'utf8' });
  return (out.stderr || out.stdout).trim().replace(/^nginx version: /, '');
}

function nginxConfig(dir, { workers, listenPort, upstreamPort }) {
  return `# written by bench/llm-overhead.mjs
worker_processes ${workers};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream vllm {
    server 127.0.0.1:${upstreamPort};
    keepalive 128;
    keepalive_requests 1000000;
    # below the emulator's (Node's) 5 s idle timeout, so nginx never reuses a connection it is closing
    keepalive_timeout 4s;
  }
  server {
    listen 127.0.0.1:${listenPort};
    keepalive_requests 1000000;
    location / {
      proxy_pass http://vllm;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
    }
  }
}
`;
}

function gatewayEnv(extra) {
  const env = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    ...extra,
  };
  return env;
}

function clusterEnv(vllmPort, bindPort, dataDir) {
  return gatewayEnv({
    SPARK1_HOST: '127.0.0.1',
    SPARK1_USER: 'bench',
    VLLM_PORT: String(vllmPort),
    BIND_PORT: String(bindPort),
    BIND_HOST: '127.0.0.1',
    DATA_DIR: dataDir,
  });
}

function machine(nginxBinary) {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const mhz = /^cpu MHz\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism(),
    cpuModel: model,
    cpuMHz: mhz ? Number(mhz) : undefined,
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: os.release(),
    node: process.version,
    nginx: nginxBinary ? nginxVersion(nginxBinary) : null,
    undici: require('undici/package.json').version,
    autocannon: require('autocannon/package.json').version,
    gateway: gatewayVersion(),
  };
}

/** Which gateway was measured: the commit, files changed since (read-only git), and when dist/ was built. */
function gatewayVersion() {
  const git = (...args) => {
    const out = spawnSync('git', ['--no-optional-locks', ...args], { cwd: ROOT, encoding: 'utf8' });
    return out.status === 0 ? out.stdout.trimEnd() : null;
  };
  const changed = git('status', '--porcelain', '--', 'src', 'generated', 'openapi');
  return {
    commit: git('rev-parse', '--short', 'HEAD'),
    uncommitted: changed ? changed.split('\n').map((line) => line.slice(3)) : [],
    distBuiltAt: new Date(statSync(path.join(ROOT, 'dist/src/server.js')).mtimeMs).toISOString(),
  };
}

// ------------------------------------------------------------------------------------------- scenarios

let retryBudget = Number(option('retries', 6));
const NOISE_LIMIT = Number(option('noise-limit', 30)); // % of a core used by other programs during a run

/**
 * Runs one measurement; when other programs used more than NOISE_LIMIT % of a core meanwhile, runs it
 * again (a few times at most per benchmark) so a neighbour's burst does not decide a figure.
 */
async function measure(what, fn) {
  for (let attempt = 1; ; attempt++) {
    const run = await fn();
    assertAlive();
    const noisy = run.cpuPercent.other > NOISE_LIMIT;
    if (!noisy || retryBudget <= 0) return { ...run, attempts: attempt, noisy };
    retryBudget--;
    log(`${what}: other programs used ${run.cpuPercent.other}% of a core meanwhile: measuring again`);
    await sleep(2_000);
  }
}

async function scenarioA(targets, processes) {
  log(`A: fixed rate ${CFG.rate} req/s, non-streaming; warm-up ${CFG.warmupMs} ms per target`);
  for (const t of targets) {
    const pool = newPool(t.port);
    await openLoop(pool, { rate: CFG.rate, count: Math.round((CFG.rate * CFG.warmupMs) / 1000), body: BODY });
    await pool.close();
  }
  const runs = Object.fromEntries(targets.map((t) => [t.id, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of rotate(targets, round)) {
      const run = await measure(`A ${t.id}`, async () => {
        await sleep(CFG.idleGapMs);
        const pool = newPool(t.port);
        await openLoop(pool, {
          rate: CFG.rate,
          count: Math.round((CFG.rate * CFG.leadInMs) / 1000),
          body: BODY,
        });
        const before = cpuSnapshot(processes);
        const result = await openLoop(pool, {
          rate: CFG.rate,
          count: Math.round((CFG.rate * CFG.measureMs) / 1000),
          body: BODY,
        });
        const cpu = cpuPercent(before, cpuSnapshot(processes));
        await pool.close();
        return {
          round,
          latency: summarize(Array.from(result.total)),
          generatorLateness: summarize(Array.from(result.lateness)),
          errors: result.errors,
          bytesPerResponse: result.bytesPerResponse,
          cpuPercent: cpu,
        };
      });
      runs[t.id].push(run);
      log(
        `A round ${round + 1}/${ROUNDS} ${t.id.padEnd(10)} p50 ${fmt(run.latency.p50)} p99 ${fmt(run.latency.p99)} ms` +
          ` max ${fmt(run.latency.max)} errors ${run.errors} cpu ${JSON.stringify(run.cpuPercent)}`,
      );
    }
  }
  return runs;
}

async function scenarioB(targets, processes) {
  const perRound = Math.ceil(CFG.streamTotal / ROUNDS);
  log(`B: streaming at ${CFG.streamRate} req/s, ${perRound} requests per target per round`);
  for (const t of targets) {
    const pool = newPool(t.port);
    await openLoop(pool, {
      rate: CFG.streamRate,
      count: Math.round(CFG.streamRate / 2),
      body: STREAM_BODY,
      stream: true,
    });
    await pool.close();
  }
  const runs = Object.fromEntries(targets.map((t) => [t.id, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of rotate(targets, round)) {
      const run = await measure(`B ${t.id}`, async () => {
        await sleep(CFG.idleGapMs);
        const pool = newPool(t.port);
        await openLoop(pool, { rate: CFG.streamRate, count: 20, body: STREAM_BODY, stream: true });
        const before = cpuSnapshot(processes);
        const result = await openLoop(pool, {
          rate: CFG.streamRate,
          count: perRound,
          body: STREAM_BODY,
          stream: true,
        });
        const cpu = cpuPercent(before, cpuSnapshot(processes));
        await pool.close();
        return {
          round,
          ttfb: summarize(Array.from(result.ttfb)),
          headers: summarize(Array.from(result.headers)),
          total: summarize(Array.from(result.total)),
          errors: result.errors,
          incomplete: result.incomplete,
          bytesPerResponse: result.bytesPerResponse,
          cpuPercent: cpu,
        };
      });
      runs[t.id].push(run);
      log(
        `B round ${round + 1}/${ROUNDS} ${t.id.padEnd(10)} ttfb p50 ${fmt(run.ttfb.p50)} p99 ${fmt(run.ttfb.p99)}` +
          ` headers p50 ${fmt(run.headers.p50)} end p50 ${fmt(run.total.p50)} ms errors ${run.errors}` +
          ` incomplete ${run.incomplete} cpu ${JSON.stringify(run.cpuPercent)}`,
      );
    }
  }
  return runs;
}

function cannon(port, seconds) {
  const autocannon = require('autocannon');
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}${ROUTE}`,
        method: 'POST',
        headers: HEADERS,
        body: BODY,
        connections: CFG.cannonConnections,
        pipelining: 1,
        duration: seconds,
        timeout: 10,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function scenarioC(targets, processes) {
  log(
    `C: saturation, autocannon ${CFG.cannonConnections} connections, ${CFG.cannonSeconds} s per target per round`,
  );
  for (const t of targets) await cannon(t.port, CFG.cannonWarmupS);
  const runs = Object.fromEntries(targets.map((t) => [t.id, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of rotate(targets, round)) {
      const run = await measure(`C ${t.id}`, async () => {
        await sleep(CFG.idleGapMs * 2);
        const before = cpuSnapshot(processes);
        const r = await cannon(t.port, CFG.cannonSeconds);
        const cpu = cpuPercent(before, cpuSnapshot(processes));
        return {
          round,
          rps: Math.round(r['2xx'] / r.duration),
          ok: r['2xx'],
          non2xx: r.non2xx,
          errors: r.errors,
          timeouts: r.timeouts,
          latencyMs: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
          cpuPercent: cpu,
        };
      });
      runs[t.id].push(run);
      log(
        `C round ${round + 1}/${ROUNDS} ${t.id.padEnd(10)} ${run.rps} req/s non2xx ${run.non2xx} errors ${run.errors}` +
          ` cpu ${JSON.stringify(run.cpuPercent)}`,
      );
    }
  }
  return runs;
}

async function setTokenInterval(controlPort, ms) {
  const status = await probe(controlPort, `/token-interval?ms=${ms}`);
  if (status !== 200) throw new Error(`the emulated vLLM refused token interval ${ms} ms (${status})`);
}

async function startOnce(env, label) {
  const port = Number(env.BIND_PORT);
  const t0 = now();
  // Through the same watchdog wrapper as the other processes (sh adds about a millisecond).
  const child = launch(label, process.execPath, ['dist/src/server.js'], { env, output: 'pipe' });
  let startupMs = null;
  let buffer = '';
  child.proc.stdout.on('data', (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (startupMs === null && line.includes('"startupMs"')) {
        try {
          startupMs = JSON.parse(line).startupMs;
        } catch {
          // not JSON
        }
      }
    }
  });
  let readyUs = null;
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline && !child.exited) {
    if ((await probe(port, '/health', 500)) === 200) {
      readyUs = usSince(t0);
      break;
    }
    await sleep(5);
  }
  await sleep(50); // the "listening" line is written right after listen(); let it arrive
  await stopChild(child, 8_000);
  if (readyUs === null) throw new Error(`${label} never answered /health: ${child.stderr.trim()}`);
  return { readyMs: Math.round(readyUs) / 1000, startupMs };
}

async function scenarioD(vllmPort, dataDir) {
  log(`D: ${CFG.startups} gateway starts in cluster mode, 1 in emulated mode`);
  const cluster = [];
  for (let i = 0; i < CFG.startups; i++) {
    const port = await freePort();
    cluster.push(await startOnce(clusterEnv(vllmPort, port, dataDir), `gateway-start-${i + 1}`));
    await sleep(200);
  }
  const port = await freePort();
  const emulated = await startOnce(
    gatewayEnv({ BIND_PORT: String(port), BIND_HOST: '127.0.0.1', DATA_DIR: dataDir }),
    'gateway-start-emulated',
  );
  const ready = cluster.map((c) => c.readyMs);
  const logged = cluster.map((c) => c.startupMs).filter((x) => typeof x === 'number');
  const out = {
    cluster,
    emulated,
    readyMs: { median: r3(median(ready)), max: r3(Math.max(...ready)) },
    startupMs: { median: r3(median(logged)), max: logged.length ? Math.max(...logged) : null },
  };
  log(`D ready median ${out.readyMs.median} ms max ${out.readyMs.max} ms; emulated ${emulated.readyMs} ms`);
  return out;
}

// --------------------------------------------------------------------------------------------- report

function medianOf(runs, pick) {
  return median(runs.map(pick));
}

/** Median over rounds of the per-round difference target - direct (the rounds pair up in time). */
function addedOver(runs, id, pick) {
  return median(addedPerRound(runs, id, pick));
}

function addedPerRound(runs, id, pick) {
  const base = runs.direct ?? [];
  return (runs[id] ?? []).map((run, i) => (base[i] ? pick(run) - pick(base[i]) : NaN));
}

const perRound = (values, digits = 2) =>
  values.length > 1 ? ` (rounds: ${values.map((v) => fmt(v, digits)).join(' / ')})` : '';

function verdict(ok) {
  return ok === null ? 'not measured' : ok ? '**met**' : '**missed**';
}

function report(results) {
  const lines = [];
  const { targets } = results;
  const label = Object.fromEntries(targets.map((t) => [t.id, t.label]));
  const ids = targets.map((t) => t.id);
  const summary = [];

  if (results.A) {
    const runs = results.A;
    lines.push(
      `### A. Fixed rate ${CFG.rate} req/s, non-streaming (median of ${ROUNDS} rounds × ${CFG.measureMs / 1000} s; ms)`,
      '',
      '| target | p50 | p90 | p99 | max | added p50 | added p99 | errors | CPU % of a core: loadgen / vllm / proxy / other |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    );
    for (const id of ids) {
      const r = runs[id];
      const added = (pick) => (id === 'direct' ? '—' : fmt(addedOver(runs, id, pick)));
      const cpu = (key) => Math.round(medianOf(r, (x) => x.cpuPercent[key] ?? NaN));
      const proxyKey = id === 'direct' ? null : id;
      lines.push(
        `| ${label[id]} | ${fmt(medianOf(r, (x) => x.latency.p50))} | ${fmt(medianOf(r, (x) => x.latency.p90))} | ` +
          `${fmt(medianOf(r, (x) => x.latency.p99))} | ${fmt(medianOf(r, (x) => x.latency.max))} | ` +
          `${added((x) => x.latency.p50)} | ${added((x) => x.latency.p99)} | ${r.reduce((s, x) => s + x.errors, 0)} | ` +
          `${cpu('loadgen')} / ${cpu('vllm')} / ${proxyKey ? cpu(proxyKey) : '—'} / ${cpu('other')} |`,
      );
    }
    lines.push('');
    const p50 = addedOver(runs, 'gateway', (x) => x.latency.p50);
    const p99 = addedOver(runs, 'gateway', (x) => x.latency.p99);
    const rounds = (pick) => perRound(addedPerRound(runs, 'gateway', pick));
    summary.push([
      `A. added p50 latency at ${CFG.rate} req/s (gateway − direct)`,
      `${fmt(p50)} ms${rounds((x) => x.latency.p50)}`,
      '≤ 0.5 ms',
      p50 <= 0.5,
    ]);
    summary.push([
      `A. added p99 latency at ${CFG.rate} req/s (gateway − direct)`,
      `${fmt(p99)} ms${rounds((x) => x.latency.p99)}`,
      '≤ 3 ms',
      p99 <= 3,
    ]);
    if (runs['nginx-1']) {
      summary.push([
        'A. for reference: nginx (1 worker) − direct, p50 / p99',
        `${fmt(addedOver(runs, 'nginx-1', (x) => x.latency.p50))} / ${fmt(addedOver(runs, 'nginx-1', (x) => x.latency.p99))} ms`,
        '—',
        undefined,
      ]);
    }
  }

  if (results.B) {
    const runs = results.B;
    lines.push(
      `### B. Streaming TTFB at ${CFG.streamRate} req/s, ${CFG.completionTokens} tokens ${CFG.streamTokenIntervalMs} ms apart ` +
        `(${CFG.streamTotal} requests per target; median of ${ROUNDS} rounds; ms)`,
      '',
      '| target | TTFB p50 | TTFB p99 | end p50 | end p99 | TTFB overhead p50 | TTFB overhead p99 | errors |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const id of ids) {
      const r = runs[id];
      const added = (pick) => (id === 'direct' ? '—' : fmt(addedOver(runs, id, pick)));
      lines.push(
        `| ${label[id]} | ${fmt(medianOf(r, (x) => x.ttfb.p50))} | ${fmt(medianOf(r, (x) => x.ttfb.p99))} | ` +
          `${fmt(medianOf(r, (x) => x.total.p50))} | ${fmt(medianOf(r, (x) => x.total.p99))} | ` +
          `${added((x) => x.ttfb.p50)} | ${added((x) => x.ttfb.p99)} | ` +
          `${r.reduce((s, x) => s + x.errors + x.incomplete, 0)} |`,
      );
    }
    lines.push('');
    const p50 = addedOver(runs, 'gateway', (x) => x.ttfb.p50);
    const p99 = addedOver(runs, 'gateway', (x) => x.ttfb.p99);
    const rounds = (pick) => perRound(addedPerRound(runs, 'gateway', pick));
    summary.push([
      'B. streaming TTFB overhead, p50 (gateway − direct)',
      `${fmt(p50)} ms${rounds((x) => x.ttfb.p50)}`,
      '≤ 1 ms',
      p50 <= 1,
    ]);
    summary.push([
      'B. streaming TTFB overhead, p99 (informational)',
      `${fmt(p99)} ms${rounds((x) => x.ttfb.p99)}`,
      '—',
      undefined,
    ]);
  }

  if (results.C) {
    const runs = results.C;
    lines.push(
      `### C. Saturation, autocannon ${CFG.cannonConnections} connections (median of ${ROUNDS} rounds × ${CFG.cannonSeconds} s)`,
      '',
      '| target | req/s | vs nginx (1 worker) | autocannon p50 / p99 ms | non-2xx + errors | CPU % of a core: loadgen / vllm / proxy / other |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
    );
    const nginxRps = runs['nginx-1'] ? medianOf(runs['nginx-1'], (x) => x.rps) : NaN;
    for (const id of ids) {
      const r = runs[id];
      const rps = medianOf(r, (x) => x.rps);
      const cpu = (key) => Math.round(medianOf(r, (x) => x.cpuPercent[key] ?? NaN));
      lines.push(
        `| ${label[id]} | ${Math.round(rps)} | ${fmt(rps / nginxRps, 2)} | ` +
          `${medianOf(r, (x) => x.latencyMs.p50)} / ${medianOf(r, (x) => x.latencyMs.p99)} | ` +
          `${r.reduce((s, x) => s + x.non2xx + x.errors + x.timeouts, 0)} | ` +
          `${cpu('loadgen')} / ${cpu('vllm')} / ${id === 'direct' ? '—' : cpu(id)} / ${cpu('other')} |`,
      );
    }
    lines.push('');
    const ratio = runs.gateway ? medianOf(runs.gateway, (x) => x.rps) / nginxRps : NaN;
    const ratios = (runs.gateway ?? []).map((run, i) => run.rps / (runs['nginx-1']?.[i]?.rps ?? NaN));
    summary.push([
      'C. saturation throughput, gateway ÷ nginx (1 worker)',
      Number.isFinite(ratio)
        ? `${fmt(ratio, 2)} × (${Math.round(medianOf(runs.gateway, (x) => x.rps))} vs ${Math.round(nginxRps)} req/s)${perRound(ratios)}`
        : 'n/a',
      '≥ 0.5 ×',
      Number.isFinite(ratio) ? ratio >= 0.5 : null,
    ]);
  }

  if (results.D) {
    const d = results.D;
    lines.push(
      `### D. Gateway start-up (${d.cluster.length} starts in cluster mode; ms)`,
      '',
      '| mode | spawn → first /health 200, median | max | logged startupMs, median | max |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| cluster | ${fmt(d.readyMs.median, 0)} | ${fmt(d.readyMs.max, 0)} | ${d.startupMs.median ?? 'n/a'} | ${d.startupMs.max ?? 'n/a'} |`,
      `| emulated (starts its own emulated cluster first; 1 start) | ${fmt(d.emulated.readyMs, 0)} | — | ${d.emulated.startupMs ?? 'n/a'} | — |`,
      '',
    );
    summary.push([
      'D. gateway start → listening (spawn → first /health 200), worst of the starts',
      `${fmt(d.readyMs.max, 0)} ms (median ${fmt(d.readyMs.median, 0)} ms)`,
      '≤ 1500 ms',
      d.readyMs.max <= 1500,
    ]);
  }

  const all = ['A', 'B', 'C'].flatMap((k) => Object.values(results[k] ?? {}).flat());
  const remeasured = all.reduce((n, run) => n + (run.attempts ?? 1) - 1, 0);
  const noisy = all.filter((run) => run.noisy).length;
  lines.push(
    `Rounds interleave the targets in a rotating order. CPU is % of one core over the measured window; ` +
      `"other" is what programs outside this benchmark used meanwhile. Runs measured again because other ` +
      `programs were busy: ${remeasured}; runs that stayed noisy: ${noisy}.`,
    '',
  );
  const head = [
    '### Targets',
    '',
    '| measure | measured | target | result |',
    '| --- | ---: | ---: | --- |',
    ...summary.map(
      ([what, measured, target, ok]) =>
        `| ${what} | ${measured} | ${target} | ${ok === undefined ? '—' : verdict(ok)} |`,
    ),
    '',
  ];
  return [...head, ...lines].join('\n');
}

/** JSON as the repository's Prettier would write it (CI checks formatting), or plain when it is absent. */
async function formatJson(value) {
  const text = JSON.stringify(value, null, 2) + '\n';
  try {
    const prettier = require('prettier');
    const file = path.join(RESULTS_DIR, 'results.json');
    const options = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...options, filepath: file });
  } catch {
    return text;
  }
}

// ----------------------------------------------------------------------------------------------- main

async function main() {
  const hardStop = setTimeout(() => {
    log(`the benchmark ran past ${CFG.deadlineMs / 60_000} minutes: stopping`);
    void stopAll().then(() => process.exit(2));
  }, CFG.deadlineMs);
  hardStop.unref();

  ensureBuild();
  undici = require('undici');
  const idleBusy = await waitForQuietMachine();
  const nginxBinary = flag('no-nginx') ? null : ensureNginx();
  const info = machine(nginxBinary);
  log(
    `machine: ${info.nproc} × ${info.cpuModel}, ${info.memGiB} GiB, node ${info.node}, nginx ${info.nginx ?? 'none'}`,
  );

  const work = mkdtempSync(path.join(os.tmpdir(), 'spark-bench-'));
  workDir = work;
  const dataDir = path.join(work, 'data');
  mkdirSync(dataDir);
  try {
    const vllmPort = await freePort();
    const controlPort = await freePort();
    const vllm = launch('vllm', process.execPath, [
      path.join(BENCH_DIR, 'emulated-vllm.mjs'),
      String(vllmPort),
      String(CFG.completionTokens),
      String(controlPort),
    ]);
    await waitForHttp(vllm, vllmPort, '/health');
    const processes = { vllm };
    const targets = [{ id: 'direct', label: 'direct (emulated vLLM)', port: vllmPort }];

    let gateway = null;
    const needsProxies = ['A', 'B', 'C'].some((s) => ONLY.has(s));
    if (needsProxies) {
      const gatewayPort = await freePort();
      // The gateway logs one JSON line per request at level info; stdout goes to /dev/null.
      gateway = launch('gateway', process.execPath, [...GATEWAY_NODE_ARGS, 'dist/src/server.js'], {
        env: clusterEnv(vllmPort, gatewayPort, dataDir),
      });
      await waitForHttp(gateway, gatewayPort, '/health');
      processes.gateway = gateway;
      targets.push({ id: 'gateway', label: 'gateway (spark-control)', port: gatewayPort });

      if (nginxBinary) {
        for (const [id, workers, labelText] of [
          ['nginx-1', '1', 'nginx, worker_processes 1'],
          ['nginx-auto', 'auto', `nginx, worker_processes auto (${os.availableParallelism()})`],
        ]) {
          const dir = path.join(work, id);
          mkdirSync(dir);
          const port = await freePort();
          writeFileSync(
            path.join(dir, 'nginx.conf'),
            nginxConfig(dir, { workers, listenPort: port, upstreamPort: vllmPort }),
          );
          const child = launch(id, nginxBinary, [
            '-e',
            'stderr',
            '-p',
            dir,
            '-c',
            path.join(dir, 'nginx.conf'),
            '-g',
            'daemon off;',
          ]);
          await waitForHttp(child, port, '/health');
          processes[id] = child;
          targets.push({ id, label: labelText, port });
        }
      }
      // Same answer through every target before anything is measured.
      for (const t of targets) {
        const res = await undici.request(`http://127.0.0.1:${t.port}${ROUTE}`, {
          method: 'POST',
          headers: HEADERS,
          body: BODY,
        });
        const text = await res.body.text();
        if (res.statusCode !== 200 || !text.includes('"chat.completion"'))
          throw new Error(`${t.id} answered ${res.statusCode}: ${text.slice(0, 300)}`);
      }
    }

    const results = {
      benchmark: 'llm-overhead',
      machine: info,
      config: { ...CFG, rounds: ROUNDS, quick: QUICK, body: CHAT, gatewayNodeArgs: GATEWAY_NODE_ARGS },
      busyBeforeStartPercent: idleBusy,
      targets: targets.map(({ id, label }) => ({ id, label })),
    };
    if (ONLY.has('A')) results.A = await scenarioA(targets, processes);
    if (ONLY.has('B')) {
      await setTokenInterval(controlPort, CFG.streamTokenIntervalMs);
      results.B = await scenarioB(targets, processes);
      await setTokenInterval(controlPort, 0);
    }
    if (ONLY.has('C')) results.C = await scenarioC(targets, processes);
    // Start-up is measured with no proxy running (the emulated vLLM stays up, idle).
    for (const id of ['gateway', 'nginx-1', 'nginx-auto']) if (processes[id]) await stopChild(processes[id]);
    if (ONLY.has('D')) results.D = await scenarioD(vllmPort, dataDir);
    await stopChild(vllm);

    results.elapsedS = Math.round((performance.now() - T0) / 100) / 10;
    const markdown = report(results);
    console.log(markdown);
    mkdirSync(RESULTS_DIR, { recursive: true });
    const name = option('out', QUICK ? 'llm-overhead-quick' : 'llm-overhead');
    writeFileSync(path.join(RESULTS_DIR, `${name}.json`), await formatJson(results));
    writeFileSync(path.join(RESULTS_DIR, `${name}.md`), `${markdown}\n`);
    log(`wrote bench/results/${name}.json and .md in ${results.elapsedS} s`);
  } finally {
    await stopAll();
    removeWorkDir();
  }
}

main().catch(async (error) => {
  console.error(error?.stack ?? error);
  await stopAll();
  process.exit(1);
});
