// The requests list as 李强 (head of 市场部): several statuses and priorities at once, a due-date range, "等待我处理",
// sortable column headings (mouse and keyboard, aria-sort), filters and sort in the address (reload and Back keep
// them), and 导出 CSV / 导出 Excel downloading exactly what the list shows, in its order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { people, orgMaps, scenarioRequest, RQ, shanghaiDate, setClock, PINNED_NOW } from '../lib/helpers.js';
import { startWithBrowser, stopWithBrowser, signedInPage, texts, eventually } from './browser.js';

const XLSX_PY = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'xlsx.py');
let server;
let browser;
let as;
const R = {};

before(async () => {
  ({ server, browser } = await startWithBrowser());
  await setClock(server, PINNED_NOW);
  as = people(server);
  const { D } = await orgMaps(await as('admin'));
  const step = async (login, id, name, body) => {
    const r = await (await as(login)).post(`${RQ}/${id}/${name}`, body);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const raise = async (title, priority, days) => (await scenarioRequest(as, D, {
    title, priority, due_date: shanghaiDate(days), background: `${title}的背景。`, goal: `完成${title}。`, success_criteria: [`${title}按期完成`],
  })).id;
  // 王芳's requests: two waiting for 李强's review, one for his decision, one returned to her, one draft.
  R.launch = await step('wangfang', await raise('发布会物料', 'urgent', 10), 'submit');
  R.rebate = await step('wangfang', await raise('渠道返利', 'high', 30), 'submit');
  R.survey = await step('wangfang', await raise('品牌调研', 'normal', 20), 'submit');
  R.survey = await step('liqiang', R.survey.id, 'review', { decision: 'approve' });
  R.expo = await step('wangfang', await raise('展会筹备', 'low', 40), 'submit');
  R.expo = await step('liqiang', R.expo.id, 'review', { decision: 'return', comment: '请补充预算。' });
  R.training = (await (await as('wangfang')).get(`${RQ}/${await raise('内部培训', 'high', 15)}`)).json;
});
after(() => stopWithBrowser({ server, browser }));

const codes = (page) => texts(page.locator('.requests-table tbody tr .req-code'));
// Waits until the table lists exactly these requests, in this order.
async function listShowsInOrder(page, requests) {
  await eventually(async () => assert.deepEqual(await codes(page), requests.map((r) => r.code)));
}
const sortOf = (page, name) => page.getByRole('columnheader', { name }).getAttribute('aria-sort');

test('filter on several statuses and priorities, a due range and waiting on me; sort by a column; export what is shown', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'liqiang');
  try {
    await page.goto(`${server.url}/requests`);
    await page.getByRole('heading', { level: 1, name: '需求单' }).waitFor();
    await listShowsInOrder(page, [R.expo, R.survey, R.rebate, R.launch]); // newest first; her draft is hers alone

    // ---- several priorities, then several statuses as well ----
    const priority = page.getByRole('group', { name: '优先级' });
    const status = page.getByRole('group', { name: '状态' });
    await priority.getByRole('checkbox', { name: '紧急' }).check();
    await priority.getByRole('checkbox', { name: '高' }).check();
    await listShowsInOrder(page, [R.rebate, R.launch]);
    assert.match(page.url(), /\?priority=high%2Curgent$/);
    await priority.getByRole('checkbox', { name: '普通' }).check();
    await listShowsInOrder(page, [R.survey, R.rebate, R.launch]);
    await status.getByRole('checkbox', { name: '待初审' }).check();
    await status.getByRole('checkbox', { name: '已退回' }).check();
    await listShowsInOrder(page, [R.rebate, R.launch]);
    await status.getByRole('checkbox', { name: '评估中' }).check();
    await listShowsInOrder(page, [R.survey, R.rebate, R.launch]);

    // ---- a due range: both ends count ----
    await page.getByLabel('从').fill(shanghaiDate(20));
    await listShowsInOrder(page, [R.survey, R.rebate]);
    await page.getByLabel('至').fill(shanghaiDate(20));
    await listShowsInOrder(page, [R.survey]);
    // Backwards: said so under the field, and the list stays as it was.
    await page.getByLabel('至').fill(shanghaiDate(5));
    await page.locator('#requests-due-error', { hasText: '“至”不能早于“从”。' }).waitFor();
    assert.equal(await page.getByLabel('至').getAttribute('aria-invalid'), 'true');
    await listShowsInOrder(page, [R.survey]);

    // ---- the filters are in the address: a reload keeps them ----
    await page.getByLabel('至').fill(shanghaiDate(30));
    await listShowsInOrder(page, [R.survey, R.rebate]);
    await page.reload();
    await listShowsInOrder(page, [R.survey, R.rebate]);
    assert.equal(await page.getByLabel('从').inputValue(), shanghaiDate(20));
    assert.ok(await status.getByRole('checkbox', { name: '评估中' }).isChecked());
    assert.ok(!(await status.getByRole('checkbox', { name: '草稿' }).isChecked()));

    // ---- clear, then waiting on me: his two reviews and his decision, not the request returned to 王芳 ----
    await page.getByRole('button', { name: '清除筛选' }).first().click();
    await listShowsInOrder(page, [R.expo, R.survey, R.rebate, R.launch]);
    assert.match(page.url(), /\/requests$/);
    await page.getByRole('checkbox', { name: '等待我处理' }).check();
    await listShowsInOrder(page, [R.survey, R.rebate, R.launch]);
    assert.match(page.url(), /\?waiting_on=me$/);

    // ---- sort by due date with the mouse: soonest first, then latest first, then the default ----
    const due = page.getByRole('button', { name: '期望完成日期' });
    assert.equal(await sortOf(page, '期望完成日期'), 'none');
    await due.click();
    await listShowsInOrder(page, [R.launch, R.survey, R.rebate]);
    assert.equal(await sortOf(page, '期望完成日期'), 'ascending');
    assert.match(page.url(), /sort=due_date/);
    await page.getByRole('button', { name: '期望完成日期' }).click();
    await listShowsInOrder(page, [R.rebate, R.survey, R.launch]);
    assert.equal(await sortOf(page, '期望完成日期'), 'descending');

    // ---- export exactly that: the same three, latest due first ----
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 CSV' }).click()]);
    assert.equal(csv.suggestedFilename(), `requests-${shanghaiDate(0)}.csv`);
    const text = readFileSync(await csv.path(), 'utf8');
    assert.ok(text.startsWith('\uFEFF编号,标题,状态,优先级'), text.slice(0, 40));
    const lines = text.slice(1).trim().split('\r\n');
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]), [R.rebate.code, R.survey.code, R.launch.code]);
    assert.match(lines[3], /发布会物料,待初审,紧急,内部,市场部,王芳/);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 Excel' }).click()]);
    assert.equal(xlsx.suggestedFilename(), `requests-${shanghaiDate(0)}.xlsx`);
    const sheet = JSON.parse(execFileSync('python3', [XLSX_PY, await xlsx.path()], { encoding: 'utf8' }));
    assert.deepEqual(sheet.rows.slice(1).map((row) => row[0].v), [R.rebate.code, R.survey.code, R.launch.code]);
    assert.equal(sheet.rows[0][1].v, '标题');

    // ---- with the keyboard: priority, highest first ----
    await page.getByRole('button', { name: '优先级' }).focus();
    await page.keyboard.press('Enter');
    await listShowsInOrder(page, [R.launch, R.rebate, R.survey]);
    assert.equal(await sortOf(page, '优先级'), 'descending');
    assert.equal(await sortOf(page, '期望完成日期'), 'none');
    await page.getByRole('button', { name: '优先级' }).focus();
    await page.keyboard.press('Space');
    await listShowsInOrder(page, [R.survey, R.rebate, R.launch]);
    assert.equal(await sortOf(page, '优先级'), 'ascending');
    await page.getByRole('button', { name: '优先级' }).click();
    await listShowsInOrder(page, [R.survey, R.rebate, R.launch]); // the default: newest first
    assert.equal(await sortOf(page, '优先级'), 'none');

    // ---- Back steps through what was chosen ----
    await page.goBack();
    await listShowsInOrder(page, [R.survey, R.rebate, R.launch]);
    assert.equal(await page.getByRole('columnheader', { name: '优先级' }).getAttribute('aria-sort'), 'ascending');
    await page.goBack();
    await listShowsInOrder(page, [R.launch, R.rebate, R.survey]);
    await page.goBack();
    await listShowsInOrder(page, [R.rebate, R.survey, R.launch]);
    assert.equal(await sortOf(page, '期望完成日期'), 'descending');
    assert.ok(await page.getByRole('checkbox', { name: '等待我处理' }).isChecked());
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('in English on a phone: the sort is a menu, the export says what it exports', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'wangfang', undefined, { locale: 'en', viewport: { width: 390, height: 800 } });
  try {
    await page.goto(`${server.url}/requests?status=draft,returned&sort=-due_date`);
    await listShowsInOrder(page, [R.expo, R.training]);
    const sort = page.getByRole('combobox', { name: 'Sort by' });
    assert.equal(await sort.inputValue(), '-due_date');
    await sort.selectOption({ label: 'Due date: soonest first' });
    await listShowsInOrder(page, [R.training, R.expo]);
    assert.match(page.url(), /sort=due_date/);
    const link = page.getByRole('link', { name: 'Export CSV' });
    assert.match(await link.getAttribute('href'), /^\/api\/v1\/requests\/export\?status=draft%2Creturned&sort=due_date&format=csv&lang=en$/);
    const box = await link.boundingBox();
    assert.ok(box.height >= 44, `a phone target: ${box.height}px`);
    const [csv] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const text = readFileSync(await csv.path(), 'utf8');
    assert.ok(text.startsWith('\uFEFFCode,Title,Status,Priority'));
    assert.deepEqual(text.slice(1).trim().split('\r\n').slice(1).map((l) => l.split(',')[0]), [R.training.code, R.expo.code]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
