import { describe, expect, test } from '@jest/globals';
import { HfDownloadProgress, LineSplitter, parseRsyncProgress } from './transfer-progress';

describe('progress of the transfer tools', () => {
  test('lines are split at carriage returns and newlines, across chunks', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.feed('a: 10%|█| 1/10 [00:01<00:09]\rb: 2');
    splitter.feed('0%|██| 2/10 [00:02<00:08]\r\nlast');
    splitter.flush();
    expect(lines).toEqual(['a: 10%|█| 1/10 [00:01<00:09]', 'b: 20%|██| 2/10 [00:02<00:08]', 'last']);
  });

  test('hf download: per-file byte bars add up, and the total is known once every file started', () => {
    const progress = new HfDownloadProgress();
    expect(progress.line('Fetching 2 files:   0%|          | 0/2 [00:00<?, ?it/s]')).toBe(true);
    expect(
      progress.line('model-00001-of-00002.safetensors:  45%|████▌     | 2.25G/5.00G [00:20<00:25, 109MB/s]'),
    ).toBe(true);
    expect(progress.bytes()).toEqual({ done: 2_250_000_000, total: null });
    progress.line('model-00002-of-00002.safetensors:  10%|█         | 400M/4.00G [00:04<00:36, 100MB/s]');
    expect(progress.bytes()).toEqual({ done: 2_650_000_000, total: 9_000_000_000 });
    progress.line('Fetching 2 files:  50%|█████     | 1/2 [00:30<00:30, 30.0s/it]');
    expect(progress.files).toEqual({ done: 1, total: 2 });
  });

  test('a single aggregate byte bar is its own total', () => {
    const progress = new HfDownloadProgress();
    progress.line('Downloading (incomplete total...):  41%|████      | 58.6G/141G [09:20<14:00, 105MB/s]');
    expect(progress.bytes()).toEqual({ done: 58_600_000_000, total: 141_000_000_000 });
  });

  test('other lines are not progress', () => {
    const progress = new HfDownloadProgress();
    expect(progress.line('/home/spark/.cache/huggingface/hub/models--org--x/snapshots/abc')).toBe(false);
    expect(progress.line('Repository Not Found for url: https://huggingface.co/api/models/org/x')).toBe(
      false,
    );
  });

  test('rsync --info=progress2', () => {
    expect(parseRsyncProgress('  1,234,567,890  42%  105.23MB/s    0:02:03 (xfr#12, to-chk=18/30)')).toEqual({
      bytes: 1_234_567_890,
      percent: 42,
    });
    expect(parseRsyncProgress('sending incremental file list')).toBeNull();
  });
});
