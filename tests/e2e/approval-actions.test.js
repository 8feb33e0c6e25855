// The approval actions on the request page (issue 7): 王芳 withdraws a submitted request (李强's task goes away
// and he can no longer open it), submits it again and urges 李强 (a second reminder is refused with the time to
// wait, in words), and 陈静 copies a request she can see into a new draft of her own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { people, orgMaps, scenarioRequest, RQ } from '../lib/helpers.js';
import { startWithBrowser, stopWithBrowser, signedInPage, eventually, waitForBell, shot } from './browser.js';

let server;
let browser;
let as;
let D;
let U;

before(async () => {
  ({ server, browser } = await startWithBrowser());
  as = people(server);
  ({ D, U } = await orgMaps(await as('admin')));
});
after(() => stopWithBrowser({ server, browser }));

test('withdraw, submit again, urge; a second urge is refused in words; copy as a new draft', async () => {
  const rq = await scenarioRequest(as, D, { title: '渠道大会' });
  assert.equal((await (await as('wangfang')).post(`${RQ}/${rq.id}/submit`)).status, 200);
  const wang = await signedInPage(browser, server, 'wangfang');
  const li = await signedInPage(browser, server, 'liqiang');
  try {
    await waitForBell(li.page, (n) => n === 1);
    const { page } = wang;
    await page.goto(`${server.url}/requests/${rq.id}`);
    await page.getByRole('heading', { level: 1, name: '渠道大会' }).waitFor();

    // ---- 撤回 ----
    await page.locator('#act-withdraw').click();
    const dlg = page.getByRole('dialog');
    await dlg.waitFor();
    assert.match(await dlg.textContent(), /李强不再看到它/);
    await dlg.getByLabel('撤回说明').fill('预算还要再核一下');
    await dlg.getByRole('button', { name: '撤回', exact: true }).click();
    await eventually(async () => assert.match(await page.locator('.request-head .badge').first().textContent(), /草稿/));
    await waitForBell(li.page, (n) => n === 0); // his task is gone from his bell, live
    const seen = await (await as('liqiang')).get(`${RQ}/${rq.id}`);
    assert.equal(seen.status, 404, 'a draft is hers alone again');
    await eventually(async () => assert.ok(await page.locator('.timeline-item[data-action="withdraw"]').count() === 1));
    assert.match(await page.locator('.timeline-item[data-action="withdraw"]').textContent(), /预算还要再核一下/);

    // ---- submit again, then 催办 ----
    await page.locator('#act-submit').click();
    await page.getByRole('dialog').getByRole('button', { name: '提交初审' }).click();
    await page.locator('#act-urge').waitFor();
    await waitForBell(li.page, (n) => n === 1);
    await shot(page.locator('.request-head'), 'request-actions');
    await page.locator('#act-urge').click();
    const urge = page.getByRole('dialog');
    await urge.waitFor();
    await shot(page, 'request-urge');
    assert.match(await urge.textContent(), /提醒李强尽快办理/);
    await urge.getByLabel('催办留言').fill('下周就要定了');
    await urge.getByRole('button', { name: '催办', exact: true }).click();
    await page.getByText('已提醒李强。').waitFor();
    await waitForBell(li.page, (n) => n === 2); // the reminder
    await page.locator('#act-urge').click();
    const again = page.getByRole('dialog');
    await again.getByRole('button', { name: '催办', exact: true }).click();
    await eventually(async () => assert.match(await again.textContent(), /4 个工作小时内已经催办过，请 \d+ 分钟后再试/));
    await again.getByRole('button', { name: '取消' }).click();

    // ---- 复制为新需求, by 陈静 (she may see it: it is internal and submitted) ----
    const chen = await signedInPage(browser, server, 'chenjing');
    try {
      await chen.page.goto(`${server.url}/requests/${rq.id}`);
      await chen.page.locator('#act-copy').click();
      await chen.page.waitForURL(/\/requests\/\d+\/edit$/);
      const newId = Number(chen.page.url().match(/requests\/(\d+)\/edit/)[1]);
      assert.notEqual(newId, rq.id);
      assert.equal(await chen.page.getByLabel('标题').inputValue(), '渠道大会');
      const copy = (await (await as('chenjing')).get(`${RQ}/${newId}`)).json;
      assert.equal(copy.status, 'draft');
      assert.equal(copy.initiating_department_name, '平台部');
      assert.deepEqual(chen.problems, []);
    } finally {
      await chen.context.close();
    }
    // The refused reminder is a 429 the browser logs; nothing else may go wrong.
    assert.deepEqual(wang.problems.filter((x) => !/status of 429/.test(x)), []);
  } finally {
    await wang.context.close();
    await li.context.close();
  }
});

test('抄送: 李强 copies 杨帆 in on a confidential request; 何敏, whose clearance is too low, cannot be picked', async () => {
  const rq = await scenarioRequest(as, D, { title: '保密的渠道调整', confidentiality: 'confidential' }, 'liqiang');
  assert.equal((await (await as('liqiang')).post(`${RQ}/${rq.id}/submit`)).status, 200);
  const { context, page, problems } = await signedInPage(browser, server, 'liqiang');
  try {
    await page.goto(`${server.url}/requests/${rq.id}`);
    await page.locator('#act-cc').click();
    const dlg = page.getByRole('dialog');
    await dlg.waitFor();
    const select = dlg.locator('select[name=user_ids]');
    assert.equal(await select.locator(`option[value="${U.hemin}"]`).isDisabled(), true, '何敏 (internal) cannot read it');
    assert.equal(await select.locator(`option[value="${U.yangfan}"]`).isDisabled(), false);
    assert.equal(await select.locator(`option[value="${U.liqiang}"]`).count(), 0, 'not himself');
    await select.selectOption([String(U.yangfan)]);
    await shot(page, 'request-cc');
    await dlg.getByRole('button', { name: '抄送', exact: true }).click();
    await page.getByText('已抄送给杨帆。').waitFor();
    await eventually(async () => assert.equal((await page.locator('#request-cc').textContent()).trim(), '抄送：杨帆'));
    assert.equal((await (await as('yangfan')).get(`${RQ}/${rq.id}`)).status, 200, 'he may read it now');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('转交: 李强 hands the review to 徐晓东, who then reviews it; 何敏 could not take a confidential one', async () => {
  const rq = await scenarioRequest(as, D, { title: '渠道返利调整' });
  assert.equal((await (await as('wangfang')).post(`${RQ}/${rq.id}/submit`)).status, 200);
  const li = await signedInPage(browser, server, 'liqiang');
  const xu = await signedInPage(browser, server, 'xuxiaodong');
  try {
    const { page } = li;
    await page.goto(`${server.url}/requests/${rq.id}`);
    await page.locator('#act-transfer').click();
    const dlg = page.getByRole('dialog');
    await dlg.waitFor();
    await dlg.locator('select[name=to_user_id]').selectOption(String(U.xuxiaodong));
    await dlg.getByLabel('转交说明').fill('我这周出差，请晓东初审');
    await shot(page, 'request-transfer');
    await dlg.getByRole('button', { name: '转交', exact: true }).click();
    await page.getByText('已转交给徐晓东。').waitFor();
    await eventually(async () => assert.equal(await page.locator('#act-review').count(), 0, 'no longer his to review'));
    await eventually(async () => assert.match(await page.locator('.timeline-item[data-action="transfer"]').textContent(), /徐晓东：我这周出差/));
    await waitForBell(xu.page, (n) => n >= 1);
    await xu.page.goto(`${server.url}/requests/${rq.id}`);
    await xu.page.locator('#act-review').waitFor();
    assert.deepEqual(li.problems, []);
    assert.deepEqual(xu.problems, []);
  } finally {
    await li.context.close();
    await xu.context.close();
  }
});

test('加签: 李强 asks 张伟 to approve as well; 张伟 answers from his page; 李强 sees the answer and accepts', async () => {
  const rq = await scenarioRequest(as, D, { title: '超预算的发布会', involved_department_ids: [D['平台部']] });
  assert.equal((await (await as('wangfang')).post(`${RQ}/${rq.id}/submit`)).status, 200);
  assert.equal((await (await as('liqiang')).post(`${RQ}/${rq.id}/review`, { decision: 'approve' })).status, 200);
  const put = await (await as('chenjing')).put(`${RQ}/${rq.id}/assessments/${D['平台部']}`,
    { impact: '可控', person_days: 3, cost: 90000, schedule_impact_days: 1, verdict: 'conditional', conditions: '预算需总经理批准' });
  assert.equal(put.status, 200, put.text);
  const li = await signedInPage(browser, server, 'liqiang');
  const zw = await signedInPage(browser, server, 'zhangwei');
  try {
    await li.page.goto(`${server.url}/requests/${rq.id}`);
    await li.page.locator('#act-countersign').click();
    const dlg = li.page.getByRole('dialog');
    await dlg.locator('select[name=user_id]').selectOption(String(U.zhangwei));
    await dlg.getByLabel('加签说明').fill('预算超出部门权限');
    await dlg.getByRole('button', { name: '加签', exact: true }).click();
    await li.page.getByText('已请张伟会签。').waitFor();
    await eventually(async () => assert.match(await li.page.locator('#req-countersigns').textContent(), /张伟[\s\S]*待会签/));

    await zw.page.goto(`${server.url}/requests/${rq.id}`);
    await zw.page.locator('#act-sign').click();
    const sign = zw.page.getByRole('dialog');
    await sign.waitFor();
    await shot(zw.page, 'request-countersign');
    await sign.getByRole('button', { name: '会签', exact: true }).click();
    await zw.page.getByText('已提交会签意见。').waitFor();

    await li.page.reload();
    await eventually(async () => assert.match(await li.page.locator('#req-countersigns').textContent(), /张伟[\s\S]*同意/));
    await li.page.locator('#act-decide').waitFor();
    assert.deepEqual(li.problems, []);
    assert.deepEqual(zw.problems, []);
  } finally {
    await li.context.close();
    await zw.context.close();
  }
});

test('concurrent changes: an open review dialog says who cancelled meanwhile; a bystander\'s page updates live', async () => {
  const rq = await scenarioRequest(as, D, { title: '并发的需求' });
  assert.equal((await (await as('wangfang')).post(`${RQ}/${rq.id}/submit`)).status, 200);
  const li = await signedInPage(browser, server, 'liqiang');
  const zh = await signedInPage(browser, server, 'zhenghua'); // a coordinator, never told of it
  try {
    await zh.page.goto(`${server.url}/requests/${rq.id}`);
    await zh.page.locator('.request-head .status-badge[data-status=submitted]').waitFor();
    await li.page.goto(`${server.url}/requests/${rq.id}`);
    await li.page.locator('#act-review').click();
    const dlg = li.page.getByRole('dialog');
    await dlg.waitFor();
    // 王芳 cancels while his dialog is open.
    const c = await (await as('wangfang')).post(`${RQ}/${rq.id}/cancel`, { reason: '活动取消了' });
    assert.equal(c.status, 200, c.text);
    // The bystander's page shows it without a reload.
    await zh.page.evaluate(() => { window.liaisonTestMark = 'same page'; });
    await zh.page.locator('.request-head .status-badge[data-status=cancelled]').waitFor({ timeout: 5000 });
    assert.equal(await zh.page.evaluate(() => window.liaisonTestMark), 'same page');
    // His approval now says what happened, and the page shows the request as it stands.
    await dlg.getByRole('button', { name: '通过初审' }).click();
    await li.page.getByText(/在您操作期间，王芳已于 .*取消/).waitFor();
    await li.page.locator('.request-head .status-badge[data-status=cancelled]').waitFor();
    assert.equal(await li.page.getByRole('dialog').count(), 0, 'the dialog is closed');
    assert.deepEqual(zh.problems, []);
    assert.deepEqual(li.problems.filter((x) => !/status of 409/.test(x)), []);
  } finally {
    await li.context.close();
    await zh.context.close();
  }
});
