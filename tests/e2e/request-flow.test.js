// Stage 1 in the browser (SCENARIO steps 1–3), with one browser context per person:
// 王芳 raises a request and submits it; 李强 returns it with a comment; 王芳 sees the comment, adds the budget and
// resubmits; 李强 approves; 陈静 (平台部) and 孙丽 (财务部) assess through the form, 吴刚 (生产部) through the API;
// 李强 compares the assessments, accepts, and follows the link to the project. 王芳's bell counts up over
// server-sent events without a reload. A second test checks that validation errors land under their fields.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DEMO_PASSWORD } from '../lib/server.js';
import { startWithBrowser, stopWithBrowser, openPage, signIn } from './browser.js';

let server;
let browser;

before(async () => { ({ server, browser } = await startWithBrowser()); });
after(() => stopWithBrowser({ server, browser }));

// YYYY-MM-DD, days from today (the browser and this process share the machine's clock and zone).
function isoDay(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function person(login) {
  const p = await openPage(browser, { locale: 'zh-CN' });
  await p.page.goto(`${server.url}/login`);
  await signIn(p.page, login, DEMO_PASSWORD);
  return p;
}

const bellCount = (page) => page.locator('#inbox-bell').getAttribute('data-unread').then(Number);

test('SCENARIO 1–3: raise, return, resubmit, approve, assess, compare, accept', async () => {
  const wf = await person('wangfang');
  const lq = await person('liqiang');
  const cj = await person('chenjing');
  const sl = await person('sunli');
  const people = [wf, lq, cj, sl];
  try {
    // ---- 1. 王芳 fills in the form, saves a draft, then submits ----
    let page = wf.page;
    await page.locator('#sidenav').getByRole('link', { name: '需求单' }).click();
    await page.locator('#new-request').click();
    await page.waitForURL(/\/requests\/new$/);
    await page.locator('input[name=title]').fill('新品发布会');
    await page.locator('input[name=due_date]').fill(isoDay(56));
    await page.locator('select[name=priority]').selectOption('high');
    await page.locator('select[name=confidentiality]').selectOption('internal');
    await page.locator('textarea[name=background]').fill('新品将于八周后上市，需要举办发布会。');
    await page.locator('textarea[name=goal]').fill('按期举办新品发布会，获得媒体广泛报道。');
    await page.locator('.criteria-list input').nth(0).fill('发布会按期举办');
    await page.locator('.criteria-add').click();
    await page.locator('.criteria-list input').nth(1).fill('至少 30 家媒体到场');
    await page.locator('textarea[name=expected_outcome]').fill('一场成功的发布会和媒体报道汇总。');
    await page.locator('textarea[name=resources_needed]').fill('平台部的演示环境，财务部的预算，生产部的样机。');
    await page.locator('textarea[name=risks]').fill('演示环境不稳定；样机数量不足。');
    for (const name of ['平台部', '财务部', '生产部']) {
      await page.locator('.dept-pick .pick-row', { has: page.locator('.pick-name', { hasText: new RegExp(`^${name}`) }) }).locator('input').check();
    }
    assert.match(await page.locator('.pick-count').textContent(), /已选择 3 个部门/);
    await page.locator('#save-draft').click();
    await page.waitForURL(/\/requests\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    await page.locator('.request-head .status-badge[data-status=draft]').waitFor();
    const code = (await page.locator('.request-head .req-code').textContent()).trim();
    assert.match(code, /^REQ-\d{4}-\d{4}$/);
    assert.deepEqual((await page.locator('[data-field=success_criteria] li').allTextContents()).map((s) => s.trim()),
      ['发布会按期举办', '至少 30 家媒体到场']);

    await page.locator('#act-submit').click();
    await page.getByRole('dialog').getByRole('button', { name: '提交初审' }).click();
    await page.locator('.request-head .status-badge[data-status=submitted]').waitFor();
    assert.match(await page.locator('#waiting-banner').textContent(), /需求初审[\s\S]*等待李强初审/);
    const unreadBefore = await bellCount(page);

    // ---- 2. 李强 finds it in My work and returns it with a comment ----
    page = lq.page;
    await page.goto(`${server.url}/`);
    const review = page.locator(`#work-reviews .req-item[data-request-id="${id}"]`);
    await review.waitFor();
    assert.match(await review.textContent(), /已等待 .* · 等待您初审/);
    await review.getByRole('link', { name: '去初审' }).click();
    await page.waitForURL(new RegExp(`/requests/${id}$`));
    await page.locator('#act-review').click();
    let dialog = page.getByRole('dialog');
    await dialog.locator('.choice', { hasText: '退回修改' }).click();
    await dialog.getByRole('button', { name: '退回修改' }).click();
    // Returning needs a comment: the dialog says so under the field.
    await dialog.locator('.field-error', { hasText: '审核意见不能为空' }).waitFor();
    await dialog.locator('textarea[name=comment]').fill('预算不够具体，请补充预算明细。');
    await dialog.getByRole('button', { name: '退回修改' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.request-head .status-badge[data-status=returned]').waitFor();

    // 王芳's bell counts up without a reload (server-sent events).
    page = wf.page;
    await page.waitForFunction((n) => Number(document.querySelector('#inbox-bell').dataset.unread) > n, unreadBefore);

    // ---- 王芳 sees the returned badge and the comment, adds the budget, resubmits ----
    await page.locator('.brand').click();
    const draft = page.locator(`#work-drafts .req-item[data-request-id="${id}"]`);
    await draft.locator('.status-badge[data-status=returned]').waitFor();
    await draft.locator('.return-note', { hasText: '预算不够具体，请补充预算明细。' }).waitFor();
    assert.match(await draft.locator('.return-note').textContent(), /李强/);
    await draft.getByRole('link', { name: '继续编辑' }).click();
    await page.waitForURL(new RegExp(`/requests/${id}/edit$`));
    assert.match(await page.locator('.return-banner').textContent(), /预算不够具体/);
    await page.locator('textarea[name=resources_needed]').fill(
      '平台部的演示环境；财务部预算 20 万元（场地 8 万、媒体邀请 7 万、物料 5 万）；生产部样机 50 台。');
    await page.locator('#submit-request').click();
    // Submitting from the form asks first, naming the reviewer.
    dialog = page.getByRole('dialog');
    assert.match(await dialog.textContent(), /李强/);
    await dialog.getByRole('button', { name: '提交初审' }).click();
    await page.waitForURL(new RegExp(`/requests/${id}$`));
    await page.locator('.request-head .status-badge[data-status=submitted]').waitFor();
    assert.match(await page.locator('[data-field=resources_needed] dd').textContent(), /预算 20 万元/);

    // ---- 李强 approves ----
    page = lq.page;
    await page.goto(`${server.url}/requests/${id}`);
    await page.locator('#act-review').click();
    dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '通过初审' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.request-head .status-badge[data-status=assessing]').waitFor();
    assert.match(await page.locator('#waiting-banner').textContent(), /等待平台部、财务部、生产部评估/);

    // ---- 3. 陈静 (平台部) and 孙丽 (财务部) assess through the form ----
    const assessThroughForm = async (p, deptId, values) => {
      await p.goto(`${server.url}/`);
      const item = p.locator(`#work-assessments .req-item[data-request-id="${id}"]`);
      await item.waitFor();
      await item.getByRole('link', { name: '填写评估' }).click();
      await p.waitForURL(new RegExp(`/requests/${id}/assess/${deptId}$`));
      await p.locator('textarea[name=impact]').fill(values.impact);
      await p.locator('input[name=person_days]').fill(String(values.person_days));
      await p.locator('input[name=cost]').fill(String(values.cost));
      await p.locator('input[name=schedule_impact_days]').fill(String(values.schedule));
      if (values.materials) await p.locator('textarea[name=materials]').fill(values.materials);
      await p.locator('.choice', { hasText: values.verdict }).first().click();
      if (values.conditions) await p.locator('textarea[name=conditions]').fill(values.conditions);
      await p.locator('#assess-submit').click();
      await p.waitForURL(new RegExp(`/requests/${id}$`));
      await p.locator(`.dept-item[data-dept-id="${deptId}"] .badge`, { hasText: values.verdict }).waitFor();
    };
    await assessThroughForm(cj.page, 4, {
      impact: '抽调两名工程师，暂停一个迭代，搭建演示环境。', person_days: 15, cost: 0, schedule: 5, verdict: '可行',
    });
    // A conditional verdict needs its condition: the form says so first.
    page = sl.page;
    await page.goto(`${server.url}/requests/${id}/assess/9`);
    await page.locator('textarea[name=impact]').fill('发布会预算 20 万元。');
    await page.locator('input[name=person_days]').fill('2');
    await page.locator('input[name=cost]').fill('200000');
    await page.locator('input[name=schedule_impact_days]').fill('0');
    await page.locator('.choice', { hasText: '有条件可行' }).click();
    await page.locator('#assess-submit').click();
    await page.locator('.field-error', { hasText: '请填写条件或原因' }).waitFor();
    await assessThroughForm(page, 9, {
      impact: '发布会预算 20 万元。', person_days: 2, cost: 200000, schedule: 0, verdict: '有条件可行',
      conditions: '20 万元预算需要总经理签字批准。',
    });

    // 吴刚 (生产部) through the API.
    const wg = new Client(server);
    await wg.login('wugang', DEMO_PASSWORD);
    const put = await wg.put(`/api/v1/requests/${id}/assessments/12`, {
      impact: '生产线停 3 个工作日用于样机生产。', person_days: 3, cost: 0, materials: '样机 50 台',
      schedule_impact_days: 3, verdict: 'feasible', conditions: '',
    });
    assert.equal(put.status, 200, put.text);

    // ---- 李强 compares the assessments and accepts ----
    page = lq.page;
    await page.goto(`${server.url}/requests/${id}`);
    const cmp = page.locator('#comparison');
    await cmp.waitFor();
    assert.equal(await cmp.locator('tbody tr').count(), 3);
    const total = await cmp.locator('.row-total').textContent();
    assert.match(total, /已收到 3\/3/);
    assert.match(total, /20/);
    assert.match(total, /200,000/);
    assert.match(total, /1 个有条件/);
    assert.match(await cmp.locator('tr[data-dept-id="9"]').textContent(), /需要总经理签字批准/);
    await page.locator('#act-decide').click();
    dialog = page.getByRole('dialog');
    assert.match(await dialog.locator('.decision-summary').textContent(), /评估已全部提交（3\/3）/);
    await dialog.getByRole('button', { name: '接受并立项' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.request-head .status-badge[data-status=accepted]').waitFor();
    await page.locator('#project-link').click();
    await page.waitForURL(/\/projects\/\d+$/);
    assert.match(await page.locator('.page-kicker .req-code').textContent(), /^PRJ-\d{4}-\d{4}$/);
    assert.match(await page.locator('.dept-item[data-role=lead]').textContent(), /市场部/);
    assert.equal(await page.locator('.dept-item[data-role=assisting]').count(), 3);
    assert.match(await page.locator('.dept-item[data-dept-id="4"]').textContent(), /陈静/);

    // ---- 王芳's inbox: newest first, translated, and opening one marks it read ----
    page = wf.page;
    // Returned, approved, accepted: the first asked her to revise, and is done since she resubmitted.
    await page.waitForFunction(() => Number(document.querySelector('#inbox-bell').dataset.unread) >= 2);
    await page.locator('#inbox-bell').click();
    await page.waitForURL(/\/inbox$/);
    const first = page.locator('.note').first();
    await first.waitFor();
    assert.match(await first.locator('.note-kind').textContent(), /已立项/);
    assert.match(await first.textContent(), new RegExp(`${code}[\\s\\S]*新品发布会`));
    assert.ok(await page.locator('.note', { hasText: '已退回修改' }).count() >= 1);
    const before = await bellCount(page);
    await first.locator('.note-link').click();
    await page.waitForURL(new RegExp(`/requests/${id}$`));
    await page.waitForFunction((n) => Number(document.querySelector('#inbox-bell').dataset.unread) === n - 1, before);

    for (const p of people) assert.deepEqual(p.problems, []);
  } finally {
    for (const p of people) await p.context.close();
  }
});

test('validation errors appear under the field they belong to, from the browser and from the API', async () => {
  const { context, page, problems } = await person('wangfang');
  try {
    await page.goto(`${server.url}/requests/new`);
    await page.locator('input[name=title]').fill('过期的需求');
    await page.locator('input[name=due_date]').fill('2020-01-01');
    await page.locator('textarea[name=background]').fill('背景');
    await page.locator('textarea[name=goal]').fill('目标');
    // Submitting checks every field (a draft would need only its title).
    await page.locator('#submit-request').click();
    const dueField = page.locator('.field', { has: page.locator('input[name=due_date]') });
    assert.match(await dueField.locator('.field-error').textContent(), /期望完成日期不能早于今天/);
    assert.equal(await page.locator('input[name=due_date]').getAttribute('aria-invalid'), 'true');
    const critField = page.locator('fieldset', { has: page.locator('.criteria-list') });
    assert.match(await critField.locator('.field-error').textContent(), /至少填写一条成功标准/);
    assert.match(await page.locator('.dept-pick').locator('xpath=ancestor::fieldset').locator('.field-error').textContent(), /本部门以外/);
    assert.match(await page.locator('.request-form > .banner-error').textContent(), /3 处需要修改/);

    // The API's answer (422 with code and field) lands under the field it names.
    await page.locator('input[name=due_date]').fill(isoDay(10));
    await page.locator('.criteria-list input').first().fill('可衡量的标准');
    await page.locator('.dept-pick .pick-row', { has: page.locator('.pick-name', { hasText: /^财务部/ }) }).locator('input').check();
    await page.route('**/api/v1/requests', (route) => (route.request().method() === 'POST'
      ? route.fulfill({
        status: 422, contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Unprocessable Content', status: 422, detail: 'due_date is in the past', code: 'date_in_past', field: 'due_date' }),
      })
      : route.continue()));
    await page.locator('#save-draft').click();
    await dueField.locator('.field-error', { hasText: '期望完成日期不能早于今天' }).waitFor();
    assert.equal(await critField.locator('.field-error').isHidden(), true);
    assert.match(page.url(), /\/requests\/new$/);
    await page.unroute('**/api/v1/requests');
    // Filter out the console error for the faked 422.
    assert.deepEqual(problems.filter((p) => !/status of 422/.test(p)), []);
  } finally {
    await context.close();
  }
});
