/**
 * The command line's install key for mask tags (core/tokens/fingerprint.ts): made on first use and kept
 * in $XDG_CONFIG_HOME/why401/tag-key (~/.config/why401/tag-key), readable by the user only. The
 * same file gives the same tags run after run; another machine or user tags differently, so a
 * tag in a shared report cannot confirm a guessed token.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isTagKey, newTagKey, useTagKey } from '../core/tokens/fingerprint.ts';

export function tagKeyFile(env: Record<string, string | undefined>): string {
  const config = env['XDG_CONFIG_HOME'] || join(env['HOME'] || homedir(), '.config');
  return join(config, 'why401', 'tag-key');
}

/**
 * Use the key in the file, making it the first time. When the file can be neither read nor
 * written (a read-only home), a key for this run only: tags are then stable within the run.
 */
export function useFileTagKey(env: Record<string, string | undefined>): void {
  const file = tagKeyFile(env);
  const read = () => {
    try {
      const text = readFileSync(file, 'utf8').trim();
      return isTagKey(text) ? text : undefined;
    } catch {
      return undefined;
    }
  };
  let key = read();
  if (key === undefined) {
    try {
      mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
      // 'wx': two runs starting at once do not overwrite each other's key; the loser reads the winner's.
      writeFileSync(file, `${newTagKey()}\n`, { flag: 'wx', mode: 0o600 });
    } catch {
      // Exists (another run made it, or it is not a key) or cannot be written: read what is there.
    }
    key = read() ?? newTagKey();
  }
  useTagKey(key);
}
