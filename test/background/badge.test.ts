/** The badge while paused (background/badge.ts): every tab, and the default for tabs it never touched, say "off". */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { BadgeController, badgeView } from '../../src/background/badge.ts';
import type { TabMeta } from '../../src/shared/records.ts';
import { FakeBadge } from '../helpers/fakes.ts';

const meta = (count: number) => ({ count, repeats: 0, dropped: 0, lost: 0 }) as unknown as TabMeta;

it('paused: "off", and the tooltip says what is kept', () => {
  assert.equal(badgeView(meta(2), true).text, 'off');
  assert.match(badgeView(meta(2), true).title, /paused: it hears no requests\. The 2 failures it captured in this tab before are kept/);
  assert.doesNotMatch(badgeView(meta(0), true).title, /kept/);
  assert.equal(badgeView(meta(2), false).text, '2');
});

it('a pause shows on every tab and as the default; a resume gives each tab its count back', async () => {
  const fake = new FakeBadge();
  const counts = new Map([[1, 3], [2, 0]]);
  const badge = new BadgeController(fake, (id) => (counts.has(id) ? meta(counts.get(id)!) : undefined), () => false);
  await badge.update(1);
  await badge.setPaused(true, [2]);
  assert.equal(fake.shown.get(undefined)?.text, 'off', 'tabs it never touched');
  assert.equal(fake.shown.get(1)?.text, 'off');
  assert.equal(fake.shown.get(2)?.text, 'off');
  await badge.setPaused(false, [2]);
  assert.equal(fake.shown.get(undefined)?.text, '');
  assert.equal(fake.shown.get(1)?.text, '3');
  assert.equal(fake.shown.get(2)?.text, '');
});
