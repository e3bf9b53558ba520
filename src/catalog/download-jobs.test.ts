import { describe, expect, test } from '@jest/globals';
import { explainFailure } from './download-jobs';

describe('why a transfer failed, in plain words', () => {
  test('the Hub’s refusals are named', () => {
    expect(
      explainFailure(
        'hf download',
        'spark1',
        1,
        'RepositoryNotFoundError: 404 Client Error.\nRepository Not Found for url: x',
      ),
    ).toMatch(/^Hugging Face has no such repository, or it is private: /);
    expect(
      explainFailure(
        'hf download',
        'spark1',
        1,
        'GatedRepoError: 401 Client Error. Access to model x is restricted',
      ),
    ).toMatch(/^the repository is gated: accept its licence on huggingface.co and set HF_TOKEN/);
  });

  test('a missing tool and a full disk are named; anything else keeps the last output lines without progress bars', () => {
    expect(explainFailure('hf download', 'spark1', 127, 'bash: line 1: hf: command not found')).toBe(
      "hf download is not installed on spark1 (or not on the SSH user's PATH)",
    );
    expect(
      explainFailure('rsync', 'spark1', 11, 'rsync: write failed: No space left on device (28)'),
    ).toMatch(/^spark1 ran out of disk space/);
    expect(
      explainFailure(
        'rsync',
        'spark1',
        255,
        'a: 10%|█| 1/10 [00:01<00:09]\rssh: connect to host x port 22: Connection refused',
      ),
    ).toBe('rsync failed on spark1 (exit 255): ssh: connect to host x port 22: Connection refused');
    expect(explainFailure('rsync', 'spark1', null, '')).toBe('rsync failed on spark1 (exit by signal)');
  });
});
