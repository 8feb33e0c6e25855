// One request's page as new users met it (issue 7, defects 4, 5, 6, 8 and the request page's share of 9):
// - 4: the English comparison fits at 1366 px, or scrolls with the keyboard (a focusable, labelled region);
// - 5: a confidential request names the heads who were asked, never liaisons who cannot see it;
// - 6: a request one may not see, or that does not exist, shows the not-found page with a way back;
// - 8: long waits and overdue requests get a level in words, not only a colour;
// - 9: 提交时间 is the latest submission; the timeline's edits show before and after; printing gives a clean 审批单.
// The requests are made through the API at earlier times of the dev clock, so they have waited for days.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DEMO_PASSWORD, adminClient, startServer } from '../lib/server.js';
import { setClock, ifMatch, RQ } from '../lib/helpers.js';
import { launch, webDirArgs, stopWithBrowser, signedInPage } from './browser.js';

let server;
let browser;
const D = {};
const U = {};
let late; // in decision for 8 days, due 7 days ago; returned once and resubmitted a day later with more budget
let waiting4; // waiting for liqiang's review for 4 days
let fresh; // just submitted
let secret; // confidential, in assessment
const DAY = 86400e3;

async function as(login) {
  const c = new Client(server);
  await c.login(login, DEMO_PASSWORD);
  return c;
}
// The day of ms on this machine, whose clock and zone the browser shares (the server only checks that a due date
// is not before its own today, which three days of margin cover in any zone).
function ymd(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
function body(over = {}) {
  return {
    title: '新品发布会',
    background: '新品将于八周后上市，需要举办发布会。',
    goal: '按期举办新品发布会。',
    success_criteria: ['发布会按期举办', '至少 30 家媒体到场'],
    resources_needed: '平台部的演示环境，财务部的预算，生产部的样机。',
    involved_department_ids: [D['平台部'], D['财务部'], D['生产部']],
    ...over,
  };
}
async function ok(r) {
  assert.ok(r.status === 200 || r.status === 201, r.text);
  return r.json;
}

before(async () => {
  // Every test opens liqiang's pages afresh: a closed page's event stream lingers until its heartbeat, so the
  // streams per user are not limited here.
  server = await startServer({ demo: true, args: [...webDirArgs, '--max-streams-per-user', '0'] });
  browser = await launch();
  const admin = await adminClient(server);
  for (const d of (await admin.get('/api/v1/departments?limit=1000')).json.items) D[d.name] = d.id;
  for (const u of (await admin.get('/api/v1/users?limit=1000')).json.items) U[u.login] = u;
  const now = Date.now();

  // Ten days ago: raised (due three days later), submitted, returned for the budget.
  await setClock(server, now - 10 * DAY);
  let wf = await as('wangfang');
  let lq = await as('liqiang');
  late = await ok(await wf.post(RQ, body({ due_date: ymd(now - 7 * DAY) })));
  await ok(await wf.post(`${RQ}/${late.id}/submit`));
  await ok(await lq.post(`${RQ}/${late.id}/review`, { decision: 'return', comment: '预算不够具体，请补充预算明细。' }));
  // Nine days ago: the budget added, resubmitted, approved.
  await setClock(server, now - 9 * DAY);
  wf = await as('wangfang');
  lq = await as('liqiang');
  const cur = await ok(await wf.get(`${RQ}/${late.id}`));
  await ok(await wf.patch(`${RQ}/${late.id}`, { resources_needed: '财务部预算 20 万元（场地 8 万、媒体邀请 7 万、物料 5 万）。' }, ifMatch(cur.version)));
  await ok(await wf.post(`${RQ}/${late.id}/submit`));
  await ok(await lq.post(`${RQ}/${late.id}/review`, { decision: 'approve' }));
  // Eight days ago: the three assessments (the English comparison needs long texts).
  await setClock(server, now - 8 * DAY);
  const assess = async (login, dept, b) => ok(await (await as(login)).put(`${RQ}/${late.id}/assessments/${D[dept]}`, {
    materials: '', conditions: '', ...b,
  }));
  await assess('chenjing', '平台部', { impact: '抽调两名工程师，暂停一个迭代，搭建演示环境，并完成压力测试和演练。', person_days: 15, cost: 0, schedule_impact_days: 5, verdict: 'feasible' });
  await assess('sunli', '财务部', { impact: '发布会预算 20 万元。', person_days: 2, cost: 200000, schedule_impact_days: 0, verdict: 'conditional', conditions: '20 万元预算需要总经理签字批准。' });
  await assess('wugang', '生产部', { impact: '生产线停 3 个工作日用于样机生产。', person_days: 3, cost: 0, materials: '样机 50 台', schedule_impact_days: 3, verdict: 'feasible' });
  // Four days ago: another one for 李强's review.
  await setClock(server, now - 4 * DAY);
  wf = await as('wangfang');
  waiting4 = await ok(await wf.post(RQ, body({ title: '渠道大会', due_date: ymd(now + 30 * DAY) })));
  await ok(await wf.post(`${RQ}/${waiting4.id}/submit`));
  // Now: a fresh one, and a confidential one in assessment.
  await setClock(server, now);
  wf = await as('wangfang');
  lq = await as('liqiang');
  fresh = await ok(await wf.post(RQ, body({ title: '刚提交的需求', due_date: ymd(now + 30 * DAY) })));
  await ok(await wf.post(`${RQ}/${fresh.id}/submit`));
  const u = await ok(await admin.get(`/api/v1/users/${U.wangfang.id}`));
  await ok(await admin.patch(`/api/v1/users/${U.wangfang.id}`, { clearance: 'confidential' }, ifMatch(u.version)));
  wf = await as('wangfang');
  secret = await ok(await wf.post(RQ, body({
    title: '新品定价策略（机密）', confidentiality: 'confidential', due_date: ymd(now + 30 * DAY),
    involved_department_ids: [D['平台部'], D['财务部']],
  })));
  await ok(await wf.post(`${RQ}/${secret.id}/submit`));
  await ok(await lq.post(`${RQ}/${secret.id}/review`, { decision: 'approve' }));
});
after(() => stopWithBrowser({ server, browser }));

test('defect 4: the English comparison fits at 1366 px, or scrolls with the keyboard', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'liqiang', DEMO_PASSWORD, { locale: 'en', viewport: { width: 1366, height: 900 } });
  try {
    await page.evaluate(() => localStorage.setItem('liaison.lang', 'en'));
    await page.goto(`${server.url}/requests/${late.id}`);
    const box = page.locator('#comparison .table-box');
    await box.waitFor();
    assert.match(await page.locator('#comparison').textContent(), /Assessor/);
    // A scroll region a keyboard can reach, with a name.
    assert.equal(await box.getAttribute('tabindex'), '0');
    assert.equal(await box.getAttribute('role'), 'region');
    assert.ok((await box.getAttribute('aria-label') || '').length > 0);
    // And at this width it fits: nothing cut off, and the impact text is not squeezed into a thin column.
    const m = await box.evaluate((el) => {
      const t = el.querySelector('table');
      const impact = el.querySelector('.cmp-sub');
      return { table: t.scrollWidth, box: el.clientWidth, impact: impact.getBoundingClientRect().width };
    });
    assert.ok(m.table <= m.box + 1, `table ${m.table}px in a box of ${m.box}px`);
    assert.ok(m.impact >= 150, `impact text ${m.impact}px wide`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('defect 5: a confidential request names the heads who were asked, never the liaisons who cannot see it', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'liqiang');
  try {
    await page.goto(`${server.url}/requests/${secret.id}`);
    const platform = page.locator(`.dept-item[data-dept-id="${D['平台部']}"]`);
    const finance = page.locator(`.dept-item[data-dept-id="${D['财务部']}"]`);
    await platform.waitFor();
    const p = await platform.textContent();
    const f = await finance.textContent();
    assert.match(p, /赵磊/);
    assert.doesNotMatch(p, /陈静/);
    assert.match(f, /周敏/);
    assert.doesNotMatch(f, /孙丽/);
    // An internal request still names its liaisons.
    await page.goto(`${server.url}/requests/${late.id}`);
    await page.locator(`.dept-item[data-dept-id="${D['平台部']}"]`, { hasText: '陈静' }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('defect 6: a request one may not see, or that does not exist, shows the not-found page with a way back', async () => {
  const lq = await as('liqiang');
  const draft = await ok(await lq.post(RQ, { title: '李强的草稿' })); // a draft is its author's alone
  const { context, page, problems } = await signedInPage(browser, server, 'wangfang');
  try {
    for (const path of ['/requests/999999', `/requests/${draft.id}`, '/requests/999999/edit', `/requests/999999/assess/${D['平台部']}`]) {
      await page.goto(`${server.url}${path}`);
      const h1 = page.locator('main h1');
      await h1.waitFor();
      assert.equal((await h1.textContent()).trim(), '找不到此页面', path);
      assert.doesNotMatch(await page.locator('main').textContent(), /加载失败|重试/, path);
      await page.locator('main a[href="/requests"]').waitFor();
    }
    await page.locator('main a[href="/requests"]').click();
    await page.waitForURL(/\/requests$/);
    assert.deepEqual(problems.filter((x) => !/status of 404/.test(x)), []);
  } finally {
    await context.close();
  }
});

test('defect 8: long waits and overdue requests have a level in words, not colour alone', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'liqiang');
  try {
    await page.goto(`${server.url}/`);
    const item = (id) => page.locator(`.req-item[data-request-id="${id}"]`).first();
    await item(late.id).waitFor();
    const level = async (id) => item(id).locator('.waiting-line').getAttribute('data-level');
    assert.equal(await level(fresh.id), null, 'a fresh request has no level');
    assert.equal(await level(waiting4.id), 'warn');
    assert.match(await item(waiting4.id).locator('.waiting-line').textContent(), /等待较久/);
    assert.equal(await level(late.id), 'late');
    assert.match(await item(late.id).locator('.waiting-line').textContent(), /等待过久/);
    assert.match(await item(late.id).textContent(), /已逾期 7 天/);

    // The list says it too.
    await page.goto(`${server.url}/requests`);
    const row = page.locator(`tr[data-request-id="${late.id}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /等待过久/);
    assert.match(await row.textContent(), /已逾期 7 天/);

    // And the request page: in the waiting banner and beside the due date, in words.
    await page.goto(`${server.url}/requests/${late.id}`);
    await page.locator('#waiting-banner').waitFor();
    assert.match(await page.locator('#waiting-banner').textContent(), /等待过久/);
    assert.match(await page.locator('.request-head .meta-row').textContent(), /已逾期 7 天/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('defect 9: 提交时间 is the latest submission (the first kept); the timeline shows each edit before and after', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'liqiang');
  try {
    const hist = (await (await as('liqiang')).get(`${RQ}/${late.id}/history`)).json.items;
    const submits = hist.filter((x) => x.action === 'submit').map((x) => x.at);
    assert.equal(submits.length, 2);
    await page.goto(`${server.url}/requests/${late.id}`);
    const last = page.locator('[data-fact=submitted_at] time');
    await last.waitFor();
    assert.equal(await last.getAttribute('datetime'), submits[1]);
    assert.equal(await page.locator('[data-fact=first_submitted_at] time').getAttribute('datetime'), submits[0]);

    const edit = page.locator('.timeline-item[data-action=update]');
    const text = await edit.textContent();
    assert.match(text, /所需资源/);
    assert.match(text, /平台部的演示环境，财务部的预算，生产部的样机。/, 'before');
    assert.match(text, /财务部预算 20 万元/, 'after');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('defect 9: the assessment form has an error summary that leads to each field', async () => {
  const wf = await as('wangfang');
  const rq = await ok(await wf.post(RQ, body({ title: '要评估的需求', due_date: ymd(Date.now() + 30 * DAY) })));
  await ok(await wf.post(`${RQ}/${rq.id}/submit`));
  await ok(await (await as('liqiang')).post(`${RQ}/${rq.id}/review`, { decision: 'approve' }));
  const { context, page, problems } = await signedInPage(browser, server, 'chenjing');
  try {
    await page.goto(`${server.url}/requests/${rq.id}/assess/${D['平台部']}`);
    await page.locator('#assess-submit').click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    assert.equal(await summary.getAttribute('role'), 'alert');
    const links = summary.locator('a');
    assert.equal(await links.count(), 5, 'impact, person-days, cost, schedule impact, verdict');
    assert.match(await summary.textContent(), /影响范围/);
    assert.ok(await summary.evaluate((el) => el === document.activeElement || el.contains(document.activeElement)), 'the summary takes focus');
    await links.first().click();
    assert.equal(await page.evaluate(() => document.activeElement.name), 'impact');
    // Fixed and submitted again: the summary goes away.
    await page.locator('textarea[name=impact]').fill('需要一名工程师。');
    await page.locator('#assess-submit').click();
    assert.equal(await links.count(), 4);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('defect 9: printing a request gives a clean 审批单 with its approval trail, without the navigation and buttons', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'liqiang');
  try {
    await page.goto(`${server.url}/requests/${late.id}`);
    await page.locator('#act-decide').waitFor();
    await page.emulateMedia({ media: 'print' });
    for (const sel of ['#sidenav', 'header.topbar', '.request-actions', '.flow']) {
      assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} is not printed`);
    }
    const head = page.locator('.print-head');
    assert.equal(await head.isVisible(), true);
    assert.match(await head.textContent(), /跨部门协作需求单/);
    assert.match(await head.textContent(), new RegExp(late.code));
    for (const sel of ['.request-timeline', '#comparison', '[data-field=background]']) {
      assert.equal(await page.locator(sel).first().isVisible(), true, `${sel} is printed`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
