// The inbox bell and the inbox page (/inbox), as 李强: when 王芳 submits a request (through the API, as another
// client) his bell counts up without a reload; the inbox shows the notification translated, with the request's
// code; opening it marks it read (the count goes down) and opens the request; "mark all as read" clears the count;
// news arriving while the inbox is open (another submission, a cancellation) shows up by itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { people, orgMaps, scenarioRequest, RQ } from '../lib/helpers.js';
import { startWithBrowser, stopWithBrowser, signedInPage, texts, eventually, bellCount, waitForBell, shot } from './browser.js';

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

// 王芳 raises and submits a request through the API; 李强 reviews it, so he is notified. Answers the request.
async function submitted(title) {
  const rq = await scenarioRequest(as, D, { title });
  const s = await (await as('wangfang')).post(`${RQ}/${rq.id}/submit`);
  assert.equal(s.status, 200, s.text);
  return s.json;
}

const unreadOnServer = async () => (await (await as('liqiang')).get('/api/v1/inbox')).json.unread_count;

test('the bell counts up live, the inbox shows the item, opening it marks it read, mark all as read', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'liqiang');
  try {
    // Nothing yet.
    assert.equal(await waitForBell(page, (n) => n === 0), 0);
    assert.equal(await page.locator('#inbox-bell .bell-count').isHidden(), true);
    assert.equal(await page.locator('#inbox-bell').getAttribute('aria-label'), '通知');

    // ---- 王芳 submits: the bell goes to 1 without a reload ----
    await page.evaluate(() => { window.liaisonTestMark = 'same page'; });
    const rq = await submitted('春季新品推广');
    await waitForBell(page, (n) => n === 1);
    assert.equal(await page.evaluate(() => window.liaisonTestMark), 'same page');
    assert.equal((await page.locator('#inbox-bell .bell-count').textContent()).trim(), '1');
    assert.equal(await page.locator('#inbox-bell').getAttribute('aria-label'), '通知：1 条未读');

    // ---- the inbox: translated kind, code and title, who did it; unread ----
    await page.locator('#inbox-bell').click();
    await page.waitForURL(/\/inbox$/);
    await page.getByRole('heading', { level: 1, name: '通知' }).waitFor();
    const note = page.locator(`.note[data-kind="request.submitted"]`).first();
    await note.waitFor();
    assert.equal(await page.locator('.note').count(), 1);
    assert.equal((await note.locator('.note-kind').textContent()).replace(/^未读: /, '').trim(), '待您初审');
    assert.equal((await note.locator('.req-code').textContent()).trim(), rq.code);
    assert.equal((await note.locator('.note-title').textContent()).trim(), '春季新品推广');
    assert.match(await note.locator('.note-meta').textContent(), /王芳/);
    assert.match(await note.getAttribute('class'), /note-unread/);
    assert.equal((await page.locator('.result-count').textContent()).trim(), '1 条未读');

    // A second one arrives while the inbox is open: it shows up by itself.
    const rq2 = await submitted('夏季渠道活动');
    await waitForBell(page, (n) => n === 2);
    await eventually(async () => assert.deepEqual(await texts(page.locator('.note .req-code')), [rq2.code, rq.code]));
    await eventually(async () => assert.equal((await page.locator('.result-count').textContent()).trim(), '2 条未读'));

    // ---- opening the first one marks it read and opens the request ----
    await page.locator('.note', { has: page.locator('.req-code', { hasText: rq.code }) }).locator('.note-link').click();
    await page.waitForURL(new RegExp(`/requests/${rq.id}$`));
    await page.getByRole('heading', { level: 1, name: '春季新品推广' }).waitFor();
    assert.equal((await page.locator('.request-head .req-code').textContent()).trim(), rq.code);
    await waitForBell(page, (n) => n === 1);
    assert.equal(await unreadOnServer(), 1);

    // Back in the inbox the first is read, the second is not.
    await page.locator('#inbox-bell').click();
    await page.waitForURL(/\/inbox$/);
    const read = page.locator('.note', { has: page.locator('.req-code', { hasText: rq.code }) });
    const unread = page.locator('.note', { has: page.locator('.req-code', { hasText: rq2.code }) });
    await read.waitFor();
    assert.doesNotMatch(await read.getAttribute('class'), /note-unread/);
    assert.match(await unread.getAttribute('class'), /note-unread/);
    // The unread filter shows only the second.
    await page.getByRole('button', { name: '未读', exact: true }).click();
    await eventually(async () => assert.deepEqual(await texts(page.locator('.note .req-code')), [rq2.code]));
    await page.getByRole('button', { name: '全部', exact: true }).click();
    await eventually(async () => assert.equal(await page.locator('.note').count(), 2));

    // ---- mark all as read: the count goes to 0 ----
    const markAll = page.getByRole('button', { name: '全部标为已读' });
    assert.equal(await markAll.isEnabled(), true);
    await markAll.click();
    await page.locator('#toasts .toast', { hasText: '已将全部通知标为已读。' }).waitFor();
    await waitForBell(page, (n) => n === 0);
    assert.equal(await page.locator('#inbox-bell .bell-count').isHidden(), true);
    await eventually(async () => {
      assert.equal(await page.locator('.note.note-unread').count(), 0);
      assert.equal((await page.locator('.result-count').textContent()).trim(), '全部已读');
      assert.equal(await markAll.isDisabled(), true);
    });
    assert.equal(await unreadOnServer(), 0);

    // ---- 王芳 cancels the second one: the open inbox shows the news at the top, translated ----
    const c = await (await as('wangfang')).post(`${RQ}/${rq2.id}/cancel`, { reason: '渠道合作方退出。' });
    assert.equal(c.status, 200, c.text);
    await waitForBell(page, (n) => n === 1);
    const news = page.locator('.note').first();
    await eventually(async () => assert.equal(await news.getAttribute('data-kind'), 'request.cancelled'));
    assert.equal((await news.locator('.note-kind').textContent()).replace(/^未读: /, '').trim(), '需求已取消');
    assert.equal((await news.locator('.req-code').textContent()).trim(), rq2.code);
    await markAll.click();
    await waitForBell(page, (n) => n === 0);
    assert.equal(await unreadOnServer(), 0);

    // And it stays so after a reload.
    await page.reload();
    await page.locator('.note').first().waitFor();
    assert.equal((await page.locator('.result-count').textContent()).trim(), '全部已读');
    assert.equal(await bellCount(page), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an item whose step was taken shows as done and leaves the bell; ten or more unread show as 9+', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'zhaolei'); // 平台部's head
  try {
    // 陈静 raises and submits a request: her head 赵磊 reviews it.
    const raise = async (title) => {
      const rq = await scenarioRequest(as, D, { title }, 'chenjing');
      const s = await (await as('chenjing')).post(`${RQ}/${rq.id}/submit`);
      assert.equal(s.status, 200, s.text);
      return s.json;
    };
    const first = await raise('数据平台扩容');
    await page.locator('#inbox-bell').click();
    await page.waitForURL(/\/inbox$/);
    const note = page.locator(`.note[data-kind="request.submitted"]`).first();
    await note.waitFor();
    const before0 = await bellCount(page);
    assert.ok(before0 >= 1);
    assert.equal(await note.locator('.note-done').count(), 0, 'waiting: not done');
    // He reviews it elsewhere (another tab, the API): the item is done here without a reload, and leaves the count.
    const ok = await (await as('zhaolei')).post(`${RQ}/${first.id}/review`, { decision: 'approve' });
    assert.equal(ok.status, 200, ok.text);
    await waitForBell(page, (n) => n === before0 - 1);
    await eventually(async () => assert.equal((await note.locator('.note-done').textContent()).trim(), '已办'));
    assert.equal(await note.locator('.note-dot').count(), 0, 'no unread dot on a done item');
    assert.doesNotMatch(await note.getAttribute('class'), /note-unread/);
    await shot(page.locator('main'), 'inbox-done');

    // Ten waiting items: the badge says 9+ and stays inside the bell; the label has the number.
    const start = await bellCount(page);
    for (let i = start; i < 10; i++) await raise(`扩容需求 ${i}`);
    await waitForBell(page, (n) => n >= 10);
    assert.equal((await page.locator('#inbox-bell .bell-count').textContent()).trim(), '9+');
    assert.match(await page.locator('#inbox-bell').getAttribute('aria-label'), /通知：1\d 条未读|通知：\d\d 条未读/);
    const bellBox = await page.locator('#inbox-bell').boundingBox();
    const badge = await page.locator('#inbox-bell .bell-count').boundingBox();
    assert.ok(badge.width <= 26, `the badge is ${badge.width} px wide`);
    assert.ok(badge.x + badge.width <= bellBox.x + bellBox.width + 8, 'the badge stays at the bell');
    await shot(page.locator('header'), 'bell-9plus');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
