#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): where the time went, by package/area and by function,
// self time and inclusive time.
//   node bench/cpuprofile-summary.mjs <file.cpuprofile> [top=25]
// To profile the gateway under the benchmark's load:
//   node bench/llm-overhead.mjs --only=C --rounds=1 --out=profiled \
//     --gateway-node-args="--cpu-prof --cpu-prof-dir=/tmp/spark-prof"
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/cpuprofile-summary.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from the samples and their time deltas (µs).
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const sampled = [...self.values()].reduce((a, b) => a + b, 0);
// Percentages are of the busy time: the process idles between load phases.
const idleId = profile.nodes.find((n) => n.callFrame.functionName === '(idle)')?.id;
const idle = idleId === undefined ? 0 : (self.get(idleId) ?? 0);
if (idleId !== undefined) self.delete(idleId);
const total = sampled - idle;

function area(frame) {
  const url = frame.url || '';
  const fn = frame.functionName || '(anonymous)';
  if (!url) return fn.startsWith('(') ? fn : `(native) ${fn}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0)
    return `gateway ${url
      .slice(dist + 6)
      .split('/')
      .slice(0, 2)
      .join('/')}`;
  return url;
}
const label = (frame) =>
  `${frame.functionName || '(anonymous)'} ${(frame.url || '').replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${frame.lineNumber + 1}`;

const byArea = new Map();
const bySelf = new Map();
const inclusive = new Map();
for (const [id, us] of self) {
  const frame = nodes.get(id).callFrame;
  byArea.set(area(frame), (byArea.get(area(frame)) ?? 0) + us);
  bySelf.set(label(frame), (bySelf.get(label(frame)) ?? 0) + us);
  // Inclusive: every distinct function on the stack gets the sample once.
  const seen = new Set();
  for (let n = id; n !== undefined; n = parent.get(n)) {
    const key = label(nodes.get(n).callFrame);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}
const pct = (us) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
const print = (title, map, n) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${pct(us)}  ${key}`);
};
console.log(
  `${file}: ${(sampled / 1e6).toFixed(2)} s sampled, ${(total / 1e6).toFixed(2)} s busy (percentages are of busy time)`,
);
print('self time by area (package, node: module, gateway folder)', byArea, top);
print('self time by function', bySelf, top);
print('inclusive time by function', inclusive, top);
