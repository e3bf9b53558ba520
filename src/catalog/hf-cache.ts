/**
 * Where the Hugging Face cache keeps a repo on a node. Commands run from the SSH user's home
 * directory, so a relative path needs no `~` or `$HOME` expansion (commands are argument vectors,
 * never shell lines). This is the cache the launcher mounts into its containers.
 */
export const HF_HUB_DIR = '.cache/huggingface/hub';

/** `org/name` → `models--org--name`, the cache's folder name for a model repo. */
export function repoFolder(repo: string): string {
  return `models--${repo.split('/').join('--')}`;
}

export function repoDir(repo: string): string {
  return `${HF_HUB_DIR}/${repoFolder(repo)}`;
}

/** `models--org--name` → `org/name`, or null for other folders of the cache. */
export function repoOfFolder(folder: string): string | null {
  const match = /^models--([^/]+?)--([^/]+)$/.exec(folder);
  return match ? `${match[1]}/${match[2]}` : null;
}
