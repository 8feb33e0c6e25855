// The smaller defects of issue 7 (item 9) in the lists, My work and the inbox:
// "1 requests"; dates, names and codes broken across lines; long titles never shortened; the mixed Chinese
// register (您 beside 你, spaces around names); the English department filter cut off on a phone and 22 px tall
// links there; staff seeing review, assess and decide sections that can never apply to them, and a large
// "coming soon" card.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, DEMO_PASSWORD, startServer } from '../lib/server.js';
import { launch, webDirArgs, stopWithBrowser, signedInPage } from './browser.js';

const web = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const LONG = '关于二〇二七年度华东区域新一代智能终端产品线联合市场推广活动及渠道伙伴大会筹备工作的跨部门协作需求';

let server;
let browser;
let long; // a submitted request with a long title, waiting for liqiang
let draft; // wangfang's draft

function isoDay(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

before(async () => {
  server = await startServer({ demo: true, args: [...webDirArgs, '--max-streams-per-user', '0'] });
  browser = await launch();
  const wf = new Client(server);
  await wf.login('wangfang', DEMO_PASSWORD);
  const depts = (await wf.get('/api/v1/departments?limit=1000')).json.items;
  const D = Object.fromEntries(depts.map((d) => [d.name, d.id]));
  const body = (title) => ({
    title, background: '背景', goal: '目标', success_criteria: ['按期完成'], due_date: isoDay(40),
    involved_department_ids: [D['平台部'], D['财务部']],
  });
  long = (await wf.post('/api/v1/requests', body(LONG))).json;
  assert.equal((await wf.post(`/api/v1/requests/${long.id}/submit`)).status, 200);
  draft = (await wf.post('/api/v1/requests', { title: '唯一的草稿ABC' })).json;
});
after(() => stopWithBrowser({ server, browser }));

test('zh-CN speaks to the user as 您 throughout, with no spaces around names', () => {
  const zh = JSON.parse(readFileSync(join(web, 'i18n', 'zh-CN.json'), 'utf8'));
  const names = /\{(name|names)\}/;
  for (const [k, v] of Object.entries(zh)) {
    assert.doesNotMatch(v, /你/, `${k}: ${v}`);
    if (names.test(v)) assert.doesNotMatch(v, /[\u4e00-\u9fff] \{(name|names)\}|\{(name|names)\} [\u4e00-\u9fff]/, `${k}: ${v}`);
  }
});

test('My work in Chinese: "等待您初审", names and dates unbroken, the long title shortened with the full one in its title', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'liqiang', DEMO_PASSWORD, { viewport: { width: 1366, height: 900 } });
  try {
    const item = page.locator(`#work-reviews .req-item[data-request-id="${long.id}"]`);
    await item.waitFor();
    assert.match(await item.textContent(), /等待您初审/);
    const title = item.locator('.req-item-title');
    assert.equal(await title.getAttribute('title'), LONG);
    const t = await title.evaluate((el) => ({ ov: getComputedStyle(el).textOverflow, ws: getComputedStyle(el).whiteSpace, cut: el.scrollWidth > el.clientWidth }));
    assert.deepEqual(t, { ov: 'ellipsis', ws: 'nowrap', cut: true });
    for (const el of await item.locator('.req-item-meta .nowrap').all()) {
      assert.equal(await el.evaluate((e) => e.getClientRects().length), 1, `${await el.textContent()} on one line`);
    }
    assert.equal(await item.locator('.req-item-meta .nowrap').count(), 3, 'department, initiator and date each unbroken');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the inbox shortens long titles too, keeping the full title', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'liqiang', DEMO_PASSWORD, { viewport: { width: 1366, height: 900 } });
  try {
    await page.goto(`${server.url}/inbox`);
    const title = page.locator('.note-title', { hasText: LONG.slice(0, 10) }).first();
    await title.waitFor();
    assert.equal(await title.getAttribute('title'), LONG);
    assert.equal(await title.evaluate((el) => getComputedStyle(el).textOverflow), 'ellipsis');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the request list: "1 request" in English; dates, departments and codes never broken; long titles shortened', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'wangfang', DEMO_PASSWORD, { locale: 'en', viewport: { width: 1366, height: 900 } });
  try {
    await page.evaluate(() => localStorage.setItem('liaison.lang', 'en'));
    await page.goto(`${server.url}/requests?q=${encodeURIComponent('唯一的草稿ABC')}`);
    await page.locator(`tr[data-request-id="${draft.id}"]`).waitFor();
    assert.equal((await page.locator('.result-count').textContent()).trim(), '1 request');

    await page.evaluate(() => localStorage.setItem('liaison.lang', 'zh-CN'));
    await page.goto(`${server.url}/requests`);
    const row = page.locator(`tr[data-request-id="${long.id}"]`);
    await row.waitFor();
    for (const sel of ['.due', '.req-code', 'td[data-label] .nowrap']) {
      const el = row.locator(sel).first();
      assert.equal(await el.evaluate((e) => getComputedStyle(e).whiteSpace), 'nowrap', sel);
      assert.equal(await el.evaluate((e) => e.getClientRects().length), 1, `${sel} on one line`);
    }
    const title = row.locator('.row-title');
    assert.equal(await title.getAttribute('title'), LONG);
    assert.equal(await title.evaluate((el) => getComputedStyle(el).textOverflow), 'ellipsis');
    assert.ok(await title.evaluate((el) => el.scrollWidth > el.clientWidth), 'the long title is shortened');
    const fits = await page.locator('.requests-table').evaluate((t) => t.scrollWidth <= t.parentElement.clientWidth + 1);
    assert.ok(fits, 'the long title does not push the other columns out of the list');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('on a 390 px phone: the English department filter is not cut off; links and buttons are at least 44 px tall; codes in dialogs never break at the hyphen', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'wangfang', DEMO_PASSWORD, { locale: 'en', viewport: { width: 390, height: 844 } });
  try {
    await page.evaluate(() => localStorage.setItem('liaison.lang', 'en'));
    await page.goto(`${server.url}/requests`);
    const dept = page.locator('#requests-dept');
    await dept.waitFor();
    const fit = await dept.evaluate((sel) => {
      const span = document.createElement('span');
      const cs = getComputedStyle(sel);
      span.style.font = cs.font;
      span.style.position = 'absolute';
      span.style.whiteSpace = 'nowrap';
      span.textContent = sel.options[sel.selectedIndex].text;
      document.body.appendChild(span);
      const need = span.getBoundingClientRect().width + parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight);
      span.remove();
      return { need, have: sel.clientWidth };
    });
    assert.ok(fit.need <= fit.have, `"All departments" needs ${fit.need}px, the select is ${fit.have}px`);

    const small = async () => page.evaluate(() => [...document.querySelectorAll('header a, header button, main a, main button, main select, main input:not([type=checkbox]):not([type=radio]), main label.toggle')]
      .filter((el) => el.offsetParent !== null && !el.closest('.visually-hidden'))
      .map((el) => ({ what: `${el.tagName.toLowerCase()}.${el.className} ${el.textContent.trim().slice(0, 20)}`, h: el.getBoundingClientRect().height }))
      .filter((x) => x.h < 44));
    await page.locator('tbody tr').first().waitFor();
    assert.deepEqual(await small(), [], 'the request list');
    await page.goto(`${server.url}/`);
    await page.locator('.work-section').first().waitFor();
    assert.deepEqual(await small(), [], 'My work');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'nothing wider than the phone');

    await page.goto(`${server.url}/requests/${draft.id}`);
    await page.locator('#act-cancel').click();
    const heading = page.getByRole('dialog').locator('h2');
    assert.match(await heading.textContent(), /REQ\u2011\d{4}\u2011\d{4}/, 'a non-breaking hyphen');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('staff see only the sections of My work that can apply to them, and no "coming soon" card', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'wangfang');
  try {
    await page.locator('#work-drafts').waitFor();
    for (const s of ['reviews', 'assessments', 'decisions']) assert.equal(await page.locator(`#work-${s}`).count(), 0, s);
    assert.doesNotMatch(await page.locator('main').textContent(), /即将推出/);
    assert.equal(await page.locator('.dash-flow').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
  const lq = await signedInPage(browser, server, 'liqiang');
  try {
    await lq.page.locator('#work-reviews').waitFor();
    for (const s of ['reviews', 'assessments', 'decisions', 'drafts']) assert.equal(await lq.page.locator(`#work-${s}`).count(), 1, s);
    assert.deepEqual(lq.problems, []);
  } finally {
    await lq.context.close();
  }
});
