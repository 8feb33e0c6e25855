// The project page and the Projects page in the browser: 李强 accepts a request whose 财务部 assessment is
// conditional, with a comment; the project page shows the goal, the success criteria, the totals of the
// assessments and both follow-ups (跟进事项); the Projects page (项目, in the navigation) lists the project with its
// open follow-ups.  Before that it is empty and says why; a project one may not see is the not-found page.  Both
// pages are looked at in zh-CN and en at 1366 px and on a 390 px phone (screenshots in tests/out/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DEMO_PASSWORD } from '../lib/server.js';
import { startWithBrowser, stopWithBrowser, openPage, signIn, texts } from './browser.js';

let server;
let browser;

before(async () => { ({ server, browser } = await startWithBrowser()); });
after(() => stopWithBrowser({ server, browser }));

function isoDay(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function client(login) {
  const c = new Client(server);
  await c.login(login, DEMO_PASSWORD);
  return c;
}

async function person(login, { locale = 'zh-CN', width = 1366, height = 900 } = {}) {
  const p = await openPage(browser, { locale, viewport: { width, height } });
  await p.page.goto(`${server.url}/login`);
  await signIn(p.page, login, DEMO_PASSWORD);
  return p;
}

// The scenario's request, raised, approved and assessed through the API: 平台部 and 生产部 feasible, 财务部 conditional.
async function assessedRequest() {
  const wf = await client('wangfang');
  const depts = (await wf.get('/api/v1/departments?limit=1000')).json.items;
  const D = Object.fromEntries(depts.map((d) => [d.name, d.id]));
  const rq = await wf.post('/api/v1/requests', {
    title: '新品发布会', background: '八周后发布新品。', goal: '按期举办新品发布会，扩大媒体曝光。',
    success_criteria: ['发布会按期举办', '至少 30 家媒体到场'], due_date: isoDay(56),
    involved_department_ids: [D['平台部'], D['财务部'], D['生产部']],
  });
  assert.equal(rq.status, 201, rq.text);
  const id = rq.json.id;
  assert.equal((await wf.post(`/api/v1/requests/${id}/submit`)).status, 200);
  assert.equal((await (await client('liqiang')).post(`/api/v1/requests/${id}/review`, { decision: 'approve' })).status, 200);
  const assess = async (login, dept, body) => {
    const r = await (await client(login)).put(`/api/v1/requests/${id}/assessments/${D[dept]}`, {
      impact: '影响可控', materials: '', schedule_impact_days: 0, verdict: 'feasible', conditions: '', ...body,
    });
    assert.equal(r.status, 200, r.text);
  };
  await assess('chenjing', '平台部', { person_days: 15, cost: 0, schedule_impact_days: 2 });
  await assess('sunli', '财务部', { person_days: 2, cost: 200000, verdict: 'conditional', conditions: '20 万预算需张总签字批准' });
  await assess('wugang', '生产部', { person_days: 3, cost: 0, schedule_impact_days: 3, materials: '样机 50 台' });
  return { id, code: rq.json.code, D };
}

test('accept with a condition → the project shows goal, criteria, totals and the follow-ups → Projects lists it', async () => {
  const lq = await person('liqiang');
  try {
    const page = lq.page;
    // ---- before any project: the Projects page is in the navigation, empty, and says how projects come about ----
    const nav = page.locator('#sidenav a[href="/projects"]');
    assert.equal((await nav.textContent()).trim(), '项目');
    await nav.click();
    await page.waitForURL(/\/projects$/);
    await page.locator('#projects-empty').waitFor();
    assert.match(await page.locator('#projects-empty').textContent(), /还没有项目/);
    assert.equal(await nav.getAttribute('aria-current'), 'page');

    // ---- 李强 accepts, with a comment, a request whose 财务部 assessment is conditional ----
    const { id, code, D } = await assessedRequest();
    await page.goto(`${server.url}/requests/${id}`);
    await page.locator('#act-decide').click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('textarea[name=comment]').fill('同意立项，预算经张总签字后执行');
    await dialog.getByRole('button', { name: '接受并立项' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('#project-link').click();
    await page.waitForURL(/\/projects\/\d+$/);

    // ---- the project page ----
    await page.locator('#follow-ups').waitFor();
    assert.equal(await page.locator('#sidenav a[href="/projects"]').getAttribute('aria-current'), 'page');
    assert.match(await page.locator('.page-kicker .req-code').textContent(), /^PRJ-\d{4}-\d{4}$/);
    assert.equal((await page.locator('.page-kicker .status-badge').textContent()).trim(), '计划中');
    assert.equal((await page.locator('#project-goal [data-field=goal] dd').textContent()).trim(), '按期举办新品发布会，扩大媒体曝光。');
    assert.deepEqual(await texts(page.locator('#project-goal .criteria li')), ['发布会按期举办', '至少 30 家媒体到场']);
    const stats = page.locator('#project-assessments .stats');
    assert.match(await stats.locator('[data-stat=person_days]').textContent(), /20/);
    assert.match(await stats.locator('[data-stat=cost]').textContent(), /200,000/);
    assert.match(await stats.locator('[data-stat=max_schedule_impact_days]').textContent(), /3/);
    assert.equal(await page.locator('#project-assessments tbody tr').count(), 3);
    assert.match(await page.locator(`#project-assessments tr[data-dept-id="${D['财务部']}"]`).textContent(), /有条件可行[\s\S]*20 万预算需张总签字批准/);
    assert.match(await page.locator('#project-assessments .card-head').textContent(), /1 个有条件/);
    const items = page.locator('#follow-ups .fu-item');
    assert.equal(await items.count(), 2);
    assert.match(await items.nth(0).textContent(), /财务部的评估条件[\s\S]*孙丽[\s\S]*20 万预算需张总签字批准[\s\S]*待覆盖/);
    assert.match(await items.nth(1).textContent(), /受理决定[\s\S]*李强[\s\S]*同意立项，预算经张总签字后执行/);
    assert.equal((await page.locator('#follow-ups .card-head .follow-ups-open').textContent()).trim(), '2 项待覆盖');
    assert.equal((await page.locator('#project-request').textContent()).replace(/\u2011/g, '-'), code);
    const projectUrl = page.url();
    await page.screenshot({ path: 'tests/out/project-zh-CN-1366.png', fullPage: true });

    // ---- the Projects page lists it ----
    await page.locator('#sidenav a[href="/projects"]').click();
    await page.waitForURL(/\/projects$/);
    const row = page.locator('.projects-table tbody tr').first();
    await row.waitFor();
    assert.equal(await page.locator('.projects-table tbody tr').count(), 1);
    assert.match(await row.textContent(), /PRJ-\d{4}-\d{4}[\s\S]*新品发布会[\s\S]*计划中[\s\S]*市场部[\s\S]*2 项待覆盖/);
    assert.match(await page.locator('.result-count').textContent(), /共 1 个项目/);
    await page.screenshot({ path: 'tests/out/projects-zh-CN-1366.png', fullPage: true });
    await row.locator('a.row-title').click();
    assert.equal(page.url(), projectUrl);

    // ---- in English, and on a 390 px phone: the same, laid out as cards, nothing wider than the screen ----
    for (const [locale, width] of [['en', 1366], ['en', 390], ['zh-CN', 390]]) {
      const p = await person('wangfang', { locale, width, height: 844 });
      try {
        await p.page.goto(projectUrl);
        await p.page.locator('#follow-ups .fu-item').first().waitFor();
        if (locale === 'en') {
          assert.match(await p.page.locator('#follow-ups .fu-item').first().textContent(), /财务部's condition[\s\S]*Open/);
          assert.equal((await p.page.locator('#follow-ups .follow-ups-open').textContent()).trim(), '2 open');
        }
        const overflow = await p.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `project page ${locale} ${width}px scrolls sideways by ${overflow}px`);
        await p.page.screenshot({ path: `tests/out/project-${locale}-${width}.png`, fullPage: true });
        await p.page.goto(`${server.url}/projects`);
        await p.page.locator('.projects-table tbody tr').first().waitFor();
        if (width < 720) {
          // A card per project, each value with its label.
          assert.equal(await p.page.locator('.projects-table thead').evaluate((el) => getComputedStyle(el).position), 'absolute');
          const label = await p.page.locator('.projects-table tbody td').last().getAttribute('data-label');
          assert.equal(label, locale === 'en' ? 'Follow-ups' : '跟进事项');
        }
        const o2 = await p.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(o2 <= 0, `projects page ${locale} ${width}px scrolls sideways by ${o2}px`);
        await p.page.screenshot({ path: `tests/out/projects-${locale}-${width}.png`, fullPage: true });
        assert.deepEqual(p.problems, []);
      } finally {
        await p.context.close();
      }
    }

    // ---- a project one may not see (or that does not exist): the not-found page, with a way back ----
    await page.goto(`${server.url}/projects/999999`);
    await page.locator('.empty-page').waitFor();
    assert.equal(await page.locator('.empty-page a[href="/projects"]').count(), 1);
    assert.deepEqual(lq.problems.filter((x) => !/status of 404/.test(x)), []);
  } finally {
    await lq.context.close();
  }
});
