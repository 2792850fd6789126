/** Watching or paused follows the permissions the browser holds (background/watch.ts). */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Watch } from '../../src/background/watch.ts';

function fake(held: boolean) {
  const log: string[] = [];
  const state = { held };
  const w = new Watch({
    start: () => log.push('start'),
    stop: () => log.push('stop'),
    held: async () => state.held,
    release: async () => {
      log.push('release');
      state.held = false;
      return true;
    },
    changed: (on) => log.push(on ? 'watching' : 'paused'),
  });
  return { w, log, state };
}

it('starts in the first turn when the permission is held, and not otherwise', async () => {
  const a = fake(true);
  a.w.boot(true);
  assert.deepEqual(a.log, ['start', 'watching']);
  const b = fake(false);
  b.w.boot(false);
  assert.deepEqual(b.log, []);
  assert.equal(b.w.listening, false);
});

it('a pause removes the listeners before it gives the permission back; a grant elsewhere resumes', async () => {
  const f = fake(true);
  f.w.boot(true);
  f.log.length = 0;
  assert.equal(await f.w.pause(), false);
  assert.deepEqual(f.log, ['stop', 'paused', 'release']);
  f.log.length = 0;
  assert.equal(await f.w.sync(), false, 'still not held: still paused');
  assert.deepEqual(f.log, []);
  f.state.held = true;
  assert.equal(await f.w.sync(), true);
  assert.deepEqual(f.log, ['start', 'watching']);
  f.state.held = false;
  assert.equal(await f.w.sync(), false, 'removed in the browser’s add-ons manager: paused');
  assert.deepEqual(f.log, ['start', 'watching', 'stop', 'paused']);
});

it('remembers that it once watched: a first run not started yet is told from a pause', async () => {
  const kept: Record<string, unknown> = {};
  const memory = { get: async (keys: string[]) => Object.fromEntries(keys.filter((k) => k in kept).map((k) => [k, kept[k]])), set: async (items: Record<string, unknown>) => void Object.assign(kept, items), remove: async () => undefined };
  const state = { held: false };
  const deps = { start: () => undefined, stop: () => undefined, held: async () => state.held, release: async () => ((state.held = false), true), changed: () => undefined, memory };
  const first = new Watch(deps);
  first.boot(false);
  assert.equal(await first.started(), false, 'a fresh install that was never started');
  state.held = true;
  await first.sync();
  assert.equal(await first.started(), true);
  await first.pause();
  await new Promise((r) => setTimeout(r, 0));
  // A new worker (the old one stopped) of the same install, paused: a pause, not a first run.
  const next = new Watch(deps);
  next.boot(false);
  assert.equal(await next.started(), true);
});
