export interface TarFile {
  /** Relative path inside the archive, `/`-separated. */
  path: string;
  content: Buffer;
  /** Permission bits. Default 0644. */
  mode?: number;
}

const BLOCK = 512;

/**
 * A POSIX ustar archive of regular files (parent directories are created by `tar -x` itself).
 * Small and dependency-free: the patch overlay is a handful of source files.
 */
export function createTar(files: readonly TarFile[], mtime = new Date()): Buffer {
  const blocks: Buffer[] = [];
  for (const file of files) {
    blocks.push(header(file, mtime));
    blocks.push(file.content);
    const padding = (BLOCK - (file.content.length % BLOCK)) % BLOCK;
    if (padding) blocks.push(Buffer.alloc(padding));
  }
  blocks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(blocks);
}

function header(file: TarFile, mtime: Date): Buffer {
  const { name, prefix } = splitPath(file.path);
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, file.mode ?? 0o644, 100, 8);
  writeOctal(block, 0, 108, 8);
  writeOctal(block, 0, 116, 8);
  writeOctal(block, file.content.length, 124, 12);
  writeOctal(block, Math.floor(mtime.getTime() / 1000), 136, 12);
  block.fill(' ', 148, 156);
  block.write('0', 156, 'latin1');
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

function writeOctal(block: Buffer, value: number, offset: number, length: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'latin1');
}

/** ustar keeps up to 100 bytes of name and 155 of directory prefix. */
function splitPath(path: string): { name: string; prefix: string } {
  if (!path || path.startsWith('/') || path.split('/').some((part) => part === '..' || part === '')) {
    throw new Error(`refusing to archive the path "${path}"`);
  }
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  const cut = path.lastIndexOf('/', path.length - 1);
  const prefix = path.slice(0, cut);
  const name = path.slice(cut + 1);
  if (cut <= 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) {
    throw new Error(`the path "${path}" is too long for a tar archive`);
  }
  return { name, prefix };
}
