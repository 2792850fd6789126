/**
 * The install's tag key: made once (the first start after install), kept in storage.local, and
 * used for every mask's tag (core/tokens/fingerprint.ts). The background is its one owner: the panel
 * asks for it (`get-tag-key`) rather than making its own, so both tag a value alike.
 */
import { isTagKey, newTagKey, useTagKey } from '../core/tokens/fingerprint.ts';
import type { KeyValueStore } from '../platform/types.ts';

export const TAG_KEY = 'tagKey';

/** Read the key (making and saving one the first time) and use it; settles with it. */
export async function loadTagKey(local: KeyValueStore): Promise<string> {
  let key: string;
  try {
    const stored = (await local.get([TAG_KEY]))[TAG_KEY];
    key = isTagKey(stored) ? stored : newTagKey();
    if (key !== stored) await local.set({ [TAG_KEY]: key });
  } catch {
    // Storage unreadable: a key for this run only (tags stay stable until the worker stops).
    key = newTagKey();
  }
  useTagKey(key);
  return key;
}
