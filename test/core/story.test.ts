import assert from 'node:assert/strict';
import { it } from 'node:test';
import { contextFor } from '../../src/core/exchange/context.ts';
import { authStory } from '../../src/core/views/story.ts';
import { emptyTimeline, observe, observeClearedCookies } from '../../src/core/exchange/timeline.ts';
import { entry, jarCookie } from '../helpers/har.ts';

it('Why 401’s own Clear and Undo of a cookie out of this URL’s scope show as a pair in the story, never as a restore alone (issue 20, item 4)', () => {
  const t = emptyTimeline();
  observe(t, entry({ method: 'POST', status: 200, url: 'https://app.example.com/login', at: '2025-06-01T11:50:00Z', res: { 'Set-Cookie': 'sid_app=a1; Path=/; HttpOnly; Secure' } }));
  const held = jarCookie({ name: 'sid_app', domain: 'app.example.com', hostOnly: true, httpOnly: true });
  observeClearedCookies(t, [held], Date.parse('2025-06-01T11:55:00Z'), 'https://app.example.com/', 'cleared');
  observeClearedCookies(t, [held], Date.parse('2025-06-01T11:56:00Z'), 'https://app.example.com/', 'restored');
  const failing = entry({ url: 'https://api.example.com/v1/me', at: '2025-06-01T12:00:00Z' });
  const story = authStory(contextFor(t, failing), { at: Date.parse('2025-06-01T12:00:00Z'), method: 'GET', url: failing.request.url, status: 401, label: 'x' });
  const mine = story.filter((e) => e.kind === 'cleared' || e.kind === 'restored').map((e) => e.short);
  assert.deepEqual(mine, ['sid_app cleared', 'sid_app restored']);
  assert.ok(story.filter((e) => e.kind === 'cleared' || e.kind === 'restored').every((e) => /^Why 401 /.test(e.text)), 'named as Why 401’s own, not a request’s');
});
