// 代理人 (issue 7): 李强 names 徐晓东 as his deputy on My account; a request that waits on his review shows up in
// her My work under 代理待办, marked for him; she reviews it from there; the timeline says she did it on his behalf.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { people, orgMaps, scenarioRequest, RQ } from '../lib/helpers.js';
import { startWithBrowser, stopWithBrowser, signedInPage, eventually, shot } from './browser.js';

let server;
let browser;
let as;
let D;

before(async () => {
  ({ server, browser } = await startWithBrowser());
  as = people(server);
  ({ D } = await orgMaps(await as('admin')));
});
after(() => stopWithBrowser({ server, browser }));

// Today and a few days on, on this machine (the browser's zone, which the date inputs use).
function ymd(days) {
  const d = new Date(Date.now() + days * 86400e3);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

test('a deputy: named on My account, finds the absent head\'s review under 代理待办, reviews it on his behalf', async () => {
  const li = await signedInPage(browser, server, 'liqiang');
  const xu = await signedInPage(browser, server, 'xuxiaodong');
  try {
    await li.page.goto(`${server.url}/me`);
    const card = li.page.locator('#account-deputy');
    await card.locator('select[name=deputy_id]').selectOption({ label: '徐晓东（市场部）' });
    await card.locator('input[name=from]').fill(ymd(-1));
    await card.locator('input[name=to]').fill(ymd(3));
    await card.getByRole('button', { name: '设置代理人' }).click();
    await eventually(async () => assert.match(await li.page.locator('#deputy-current').textContent(), /生效中[\s\S]*由徐晓东代理/));
    await card.scrollIntoViewIfNeeded();
    await shot(li.page, 'account-deputy');

    const rq = await scenarioRequest(as, D, { title: '外出期间的需求' });
    assert.equal((await (await as('wangfang')).post(`${RQ}/${rq.id}/submit`)).status, 200);

    await xu.page.goto(`${server.url}/`);
    const item = xu.page.locator('#work-delegated .req-item', { hasText: '外出期间的需求' });
    await item.waitFor();
    assert.match(await item.textContent(), /代李强办理/);
    await item.getByRole('link', { name: '去办理' }).click();
    await xu.page.waitForURL(new RegExp(`/requests/${rq.id}$`));
    await xu.page.locator('#act-review').click();
    const dlg = xu.page.getByRole('dialog');
    await dlg.getByRole('button', { name: '通过初审' }).click();
    await eventually(async () => assert.match(await xu.page.locator('.timeline-item[data-action="approve"]').textContent(), /代李强办理/));
    assert.deepEqual(li.problems, []);
    assert.deepEqual(xu.problems, []);
  } finally {
    await li.context.close();
    await xu.context.close();
  }
});
