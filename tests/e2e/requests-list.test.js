// The requests list (/requests) in the browser, as 王芳: filter by status and by department, "only mine", search by a
// Chinese title and by code; then cancel one of her requests from its page — the dialog needs a reason — and find
// it among the cancelled. The requests are made through the API first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { people, orgMaps, scenarioRequest, RQ } from '../lib/helpers.js';
import { startWithBrowser, stopWithBrowser, signedInPage, texts, eventually } from './browser.js';

let server;
let browser;
let as;
let D;
const R = {}; // title -> request

before(async () => {
  ({ server, browser } = await startWithBrowser());
  as = people(server);
  ({ D } = await orgMaps(await as('admin')));
  const submit = async (login, rq) => {
    const r = await (await as(login)).post(`${RQ}/${rq.id}/submit`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  // Texts of their own, so a search finds each by its title only (the search also looks at the texts).
  const raise = (login, title, depts) => scenarioRequest(as, D, {
    title, background: `关于“${title}”的背景。`, goal: `完成“${title}”。`, success_criteria: [`“${title}”按期完成`],
    involved_department_ids: depts.map((d) => D[d]),
  }, login);
  // 王芳 (市场部): a draft, a submitted one, and one in assessment.
  R.launch = await raise('wangfang', '新品发布会', ['平台部', '财务部']);
  R.promo = await submit('wangfang', await raise('wangfang', '渠道促销活动', ['销售部']));
  R.survey = await submit('wangfang', await raise('wangfang', '年度品牌调研', ['产品部']));
  const ok = await (await as('liqiang')).post(`${RQ}/${R.survey.id}/review`, { decision: 'approve' });
  assert.equal(ok.status, 200, ok.text);
  R.survey = ok.json;
  // 陈静 (平台部): submitted, involving 采购部 and 财务部.
  R.servers = await submit('chenjing', await raise('chenjing', '服务器扩容', ['采购部', '财务部']));
});
after(() => stopWithBrowser({ server, browser }));

const codes = (page) => texts(page.locator('.requests-table tbody tr .req-code'));
const sorted = (list) => [...list].sort();

// Waits until the table lists exactly these requests (any order) and the count says so.
async function listShows(page, requests) {
  await eventually(async () => {
    assert.deepEqual(sorted(await codes(page)), sorted(requests.map((r) => r.code)));
    assert.equal((await page.locator('.result-count').textContent()).trim(), `共 ${requests.length} 张`);
  });
}

test('filter by status and department, only mine, search by title and by code', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'wangfang');
  try {
    await page.locator('#sidenav').getByRole('link', { name: '需求单' }).click();
    await page.waitForURL(/\/requests$/);
    await page.getByRole('heading', { level: 1, name: '需求单' }).waitFor();
    await listShows(page, [R.launch, R.promo, R.survey, R.servers]);
    // Each row: code, title (a link), initiating department, status.
    const row = page.locator(`.requests-table tbody tr[data-code="${R.servers.code}"]`);
    assert.equal((await row.getByRole('link').textContent()).trim(), '服务器扩容');
    assert.match(await row.textContent(), /平台部[\s\S]*待初审/);

    // The statuses are a group of checkboxes; only(label) leaves just that one checked (none: '全部').
    const statusGroup = page.getByRole('group', { name: '状态' });
    const status = {
      async only(label) {
        for (const box of await statusGroup.getByRole('checkbox').all()) {
          const name = (await box.evaluate((el) => el.parentElement.textContent)).trim();
          if (name === label) { if (!(await box.isChecked())) await box.check(); } else if (await box.isChecked()) await box.uncheck();
        }
      },
    };
    const dept = page.getByRole('combobox', { name: '部门' });
    const mine = page.getByRole('checkbox', { name: '只看我的' });
    const search = page.getByRole('searchbox', { name: '搜索需求单' });

    // ---- status ----
    await status.only('草稿');
    await listShows(page, [R.launch]);
    assert.match(page.url(), /\?status=draft$/);
    await status.only('待初审');
    await listShows(page, [R.promo, R.servers]);
    await status.only('评估中');
    await listShows(page, [R.survey]);
    assert.match(await page.locator('.requests-table tbody').textContent(), /评估中/);
    await status.only('');
    await listShows(page, [R.launch, R.promo, R.survey, R.servers]);

    // ---- department: initiating or involved ----
    await dept.selectOption(String(D['采购部']));
    await listShows(page, [R.servers]);
    await dept.selectOption(String(D['财务部']));
    await listShows(page, [R.launch, R.servers]);
    // With a status as well.
    await status.only('草稿');
    await listShows(page, [R.launch]);
    await status.only('');
    await dept.selectOption('');
    await listShows(page, [R.launch, R.promo, R.survey, R.servers]);

    // ---- only mine ----
    await mine.check();
    await listShows(page, [R.launch, R.promo, R.survey]);
    assert.match(page.url(), /\?mine=1$/);
    await mine.uncheck();
    await listShows(page, [R.launch, R.promo, R.survey, R.servers]);

    // ---- search: a Chinese title, then a code ----
    await search.fill('发布会');
    await listShows(page, [R.launch]);
    await search.fill('扩容');
    await listShows(page, [R.servers]);
    await search.fill(R.promo.code);
    await listShows(page, [R.promo]);
    // Nothing matches: said so.
    await search.fill('不存在的需求');
    await eventually(async () => assert.equal((await page.locator('.table-box .empty-inline p').textContent()).trim(), '没有符合条件的需求单。'));
    // Search and "only mine" together: 陈静's request is not hers.
    await search.fill('扩容');
    await listShows(page, [R.servers]);
    await mine.check();
    await eventually(async () => assert.equal((await page.locator('.table-box .empty-inline p').textContent()).trim(), '没有符合条件的需求单。'));

    // The filters live in the address: a reload keeps them.
    await mine.uncheck();
    await search.fill('调研');
    await listShows(page, [R.survey]);
    await page.reload();
    await listShows(page, [R.survey]);
    assert.equal(await page.getByRole('searchbox', { name: '搜索需求单' }).inputValue(), '调研');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('cancel a request from its page: the reason is required, then it is cancelled', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'wangfang');
  const rq = R.promo;
  try {
    await page.goto(`${server.url}/requests`);
    await page.locator(`.requests-table tbody tr[data-code="${rq.code}"]`).getByRole('link', { name: '渠道促销活动' }).click();
    await page.waitForURL(new RegExp(`/requests/${rq.id}$`));
    await page.locator('.request-head .status-badge[data-status=submitted]').waitFor();

    await page.getByRole('button', { name: '取消需求' }).click();
    // The code in the title never breaks at its hyphens (non-breaking hyphens).
    const dialog = page.getByRole('dialog', { name: `取消需求 ${rq.code.replace(/-/g, '\u2011')}？` });
    await dialog.waitFor();
    // No reason: refused under the field, nothing sent.
    await dialog.getByRole('button', { name: '取消需求' }).click();
    const reasonField = dialog.locator('.field', { has: page.locator('textarea[name=reason]') });
    await reasonField.locator('.field-error', { hasText: '取消原因不能为空。' }).waitFor();
    assert.equal(await dialog.getByLabel('取消原因').getAttribute('aria-invalid'), 'true');
    assert.equal((await (await as('wangfang')).get(`${RQ}/${rq.id}`)).json.status, 'submitted');
    // Blank is not a reason either.
    await dialog.getByLabel('取消原因').fill('   ');
    await dialog.getByRole('button', { name: '取消需求' }).click();
    await reasonField.locator('.field-error', { hasText: '取消原因不能为空。' }).waitFor();

    await dialog.getByLabel('取消原因').fill('活动预算已被砍掉。');
    await dialog.getByRole('button', { name: '取消需求' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('#toasts .toast', { hasText: '需求单已取消。' }).waitFor();
    await page.locator('.request-head .status-badge[data-status=cancelled]').waitFor();
    assert.equal((await page.locator('.request-head .status-badge').textContent()).trim(), '已取消');
    const outcome = page.locator('#request-outcome');
    assert.match(await outcome.textContent(), /王芳已于 .* 取消此需求。/);
    assert.match(await outcome.textContent(), /活动预算已被砍掉。/);
    assert.equal(await page.getByRole('button', { name: '取消需求' }).count(), 0);
    const got = (await (await as('wangfang')).get(`${RQ}/${rq.id}`)).json;
    assert.equal(got.status, 'cancelled');
    assert.equal(got.waiting, null);

    // In the list it is among the cancelled, and no longer among those in review.
    await page.getByRole('link', { name: '需求单', exact: true }).first().click();
    await page.waitForURL(/\/requests$/);
    const statusGroup = page.getByRole('group', { name: '状态' });
    await statusGroup.getByRole('checkbox', { name: '已取消' }).check();
    await listShows(page, [rq]);
    assert.match(await page.locator(`.requests-table tbody tr[data-code="${rq.code}"]`).textContent(), /已取消[\s\S]*已结束/);
    await statusGroup.getByRole('checkbox', { name: '已取消' }).uncheck();
    await statusGroup.getByRole('checkbox', { name: '待初审' }).check();
    await listShows(page, [R.servers]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
