import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTar } from './tar';

describe('createTar', () => {
  test('GNU tar extracts the archive byte for byte, nested and long paths included', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-tar-'));
    try {
      const long = `${'deep/'.repeat(25)}file-with-a-long-name.py`;
      const files = [
        { path: 'main.py', content: Buffer.from('print("hello")\n') },
        { path: 'lib/diarizer.py', content: Buffer.alloc(1500, 'x') },
        { path: 'empty.txt', content: Buffer.alloc(0) },
        { path: long, content: Buffer.from('é unicode ✓\n') },
        { path: 'run.sh', content: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
      ];
      execFileSync('tar', ['-x', '-C', dir], { input: createTar(files) });
      for (const file of files) {
        expect(fs.readFileSync(path.join(dir, file.path))).toEqual(file.content);
      }
      expect(fs.statSync(path.join(dir, 'run.sh')).mode & 0o777).toBe(0o755);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('paths that could escape the target directory are refused', () => {
    for (const bad of ['/etc/passwd', '../x', 'a/../../x', '', 'a//b']) {
      expect(() => createTar([{ path: bad, content: Buffer.alloc(0) }])).toThrow(/refusing/);
    }
  });
});
