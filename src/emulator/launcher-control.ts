import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { quoteArgv } from '../ssh/quote';
import type { CommandRegistry } from './command-registry';

export interface CommandControl {
  /** `http://127.0.0.1:<port>`: where node scripts send their commands. */
  url: string;
  stop(): Promise<void>;
}

/**
 * A loopback HTTP endpoint that runs a command on an emulated node, for small scripts standing in
 * for `docker` and the launcher on a real OpenSSH server: `POST /exec {node, argv}` answers a
 * stream of JSON lines, `{"o": stdout}`, `{"e": stderr}`, then `{"x": status}`. A client that goes
 * away (its SSH session ended) aborts the command, like a closed channel.
 */
export async function startCommandControl(
  commands: Record<string, CommandRegistry>,
): Promise<CommandControl> {
  const server: Server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      let request: { node?: unknown; argv?: unknown };
      try {
        request = JSON.parse(body) as { node?: unknown; argv?: unknown };
      } catch {
        res.writeHead(400).end('bad json');
        return;
      }
      const registry = typeof request.node === 'string' ? commands[request.node] : undefined;
      const argv = request.argv;
      if (!registry || !Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string')) {
        res.writeHead(400).end('need {node, argv}');
        return;
      }
      const aborter = new AbortController();
      res.on('close', () => aborter.abort());
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const frame = (value: object) => {
        if (!res.writableEnded) res.write(`${JSON.stringify(value)}\n`);
      };
      void registry
        .run(
          quoteArgv(argv as string[]),
          { stdout: (o) => frame({ o }), stderr: (e) => frame({ e }) },
          aborter.signal,
        )
        .then((status) => {
          frame({ x: status });
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The script installed as `docker`, `launch-cluster.sh` and `ls` on a real SSH server: it forwards
 * its program name and arguments to the control endpoint (`EMU_CONTROL`) for node `EMU_NODE`.
 */
export function commandControlScript(nodeBinary: string): string {
  return `#!${nodeBinary}
const http = require('node:http');
const path = require('node:path');
const argv = [path.basename(process.argv[1]), ...process.argv.slice(2)];
const request = http.request(process.env.EMU_CONTROL + '/exec', { method: 'POST' }, (res) => {
  let buffer = '';
  let status = 1;
  res.setEncoding('utf8');
  res.on('data', (chunk) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf('\\n')) >= 0) {
      const frame = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if ('o' in frame) process.stdout.write(frame.o);
      else if ('e' in frame) process.stderr.write(frame.e);
      else if ('x' in frame) status = frame.x;
    }
  });
  res.on('end', () => (process.exitCode = status));
});
request.on('error', (error) => {
  process.stderr.write('emulated node unreachable: ' + error.message + '\\n');
  process.exitCode = 255;
});
request.end(JSON.stringify({ node: process.env.EMU_NODE, argv }));
`;
}
