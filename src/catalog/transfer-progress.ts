/**
 * Progress read from the output of the transfer tools the download job runs: the Hugging Face
 * CLI's tqdm bars (`hf download`) and rsync's `--info=progress2` line. Both redraw one terminal line
 * with `\r`, so output is split on `\r` as well as `\n`.
 */

/** Splits a stream into lines at `\r` or `\n`, keeping an unfinished line for the next chunk. */
export class LineSplitter {
  private rest = '';

  constructor(private readonly onLine: (line: string) => void) {}

  feed(chunk: string): void {
    const parts = (this.rest + chunk).split(/\r\n|\r|\n/);
    this.rest = parts.pop() ?? '';
    for (const part of parts) if (part.trim()) this.onLine(part);
  }

  flush(): void {
    if (this.rest.trim()) this.onLine(this.rest);
    this.rest = '';
  }
}

const SCALE: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

function scaled(number: string, suffix: string): number {
  return Math.round(Number(number) * (SCALE[suffix] ?? 1));
}

/** `desc: 45%|████▌     | 2.24G/4.97G [00:20<00:25, 109MB/s]` (the description is optional). */
const TQDM = /^(?:(.*?):\s*)?(\d{1,3})%\|[^|]*\|\s*([\d.]+)([kKMGTP]?)\/([\d.]+)([kKMGTP]?)\s*\[([^\]]*)\]/;

/**
 * The state of an `hf download` as its bars show it: a `Fetching N files` count bar and one byte bar
 * per file (or one aggregate byte bar); each bar's latest line wins.
 */
export class HfDownloadProgress {
  files: { done: number; total: number } | null = null;
  private readonly byteBars = new Map<string, { done: number; total: number }>();

  /** Reads one line; returns true when it was a progress line. */
  line(text: string): boolean {
    const match = TQDM.exec(text.trim());
    if (!match) return false;
    const [, desc = '', , done, doneUnit, total, totalUnit, bracket] = match;
    if (/^Fetching \d+ files?$/.test(desc.trim())) {
      this.files = { done: Number(done), total: Number(total) };
    } else if (/B\/s|s\/B/.test(bracket!) || doneUnit || totalUnit) {
      this.byteBars.set(desc.trim(), { done: scaled(done!, doneUnit!), total: scaled(total!, totalUnit!) });
    } else {
      return false;
    }
    return true;
  }

  /** Bytes transferred so far, and the total once every file's size is known. */
  bytes(): { done: number; total: number | null } {
    let done = 0;
    let total = 0;
    for (const bar of this.byteBars.values()) {
      done += Math.min(bar.done, bar.total);
      total += bar.total;
    }
    const allKnown =
      this.byteBars.size > 0 &&
      (this.files === null ? this.byteBars.size === 1 : this.byteBars.size >= this.files.total);
    return { done, total: allKnown ? total : null };
  }
}

/** `  1,234,567,890  42%  105.23MB/s    0:02:03 (xfr#12, to-chk=18/30)` */
const RSYNC = /^\s*([\d,]+)\s+(\d{1,3})%\s+\S+\/s/;

export function parseRsyncProgress(text: string): { bytes: number; percent: number } | null {
  const match = RSYNC.exec(text);
  if (!match) return null;
  return { bytes: Number(match[1]!.replaceAll(',', '')), percent: Math.min(100, Number(match[2])) };
}
