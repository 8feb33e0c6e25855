// The request form as a new user meets it (issue 7, defects 1 and 3):
// - Enter in a field never submits for review; 提交初审 asks first, naming the reviewer, as the request page does.
// - Unsaved text is not lost without a word: leaving inside the app asks, closing the tab asks (beforeunload);
//   a draft can be saved with only its title, and what submission needs is asked for when submitting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DEMO_PASSWORD } from '../lib/server.js';
import { startWithBrowser, stopWithBrowser, signedInPage, eventually } from './browser.js';

let server;
let browser;
let wf; // wangfang's API client, to check what the server holds

before(async () => {
  ({ server, browser } = await startWithBrowser());
  wf = new Client(server);
  await wf.login('wangfang', DEMO_PASSWORD);
});
after(() => stopWithBrowser({ server, browser }));

function isoDay(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function mine(title) {
  const r = await wf.get(`/api/v1/requests?mine=1&limit=1000&q=${encodeURIComponent(title)}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.filter((x) => x.title === title);
}

async function fillAll(page, title) {
  await page.locator('input[name=title]').fill(title);
  await page.locator('input[name=due_date]').fill(isoDay(30));
  await page.locator('textarea[name=background]').fill('新品将于八周后上市。');
  await page.locator('textarea[name=goal]').fill('按期举办发布会。');
  await page.locator('.criteria-list input').first().fill('发布会按期举办');
  await page.locator('.dept-pick .pick-row', { has: page.locator('.pick-name', { hasText: /^平台部/ }) }).locator('input').check();
}

test('defect 1: Enter in the form never submits for review; 提交初审 confirms and names the reviewer', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'wangfang');
  try {
    await page.goto(`${server.url}/requests/new`);
    const title = '回车不应提交的需求';
    await fillAll(page, title);
    // Enter in the title (and in a date field): nothing is submitted, nothing is even created.
    await page.locator('input[name=title]').press('Enter');
    await page.locator('input[name=due_date]').press('Enter');
    await page.waitForTimeout(400);
    assert.match(page.url(), /\/requests\/new$/);
    assert.deepEqual(await mine(title), [], 'Enter created or submitted nothing');
    assert.equal(await page.locator('dialog[open]').count(), 0);

    // The button asks first, naming 李强 (the head of 市场部); "cancel" submits nothing.
    await page.locator('#submit-request').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /李强/);
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.ok((await mine(title)).every((x) => x.status === 'draft'), 'nothing submitted after cancel');

    await page.locator('#submit-request').click();
    await page.getByRole('dialog').getByRole('button', { name: '提交初审' }).click();
    await page.waitForURL(/\/requests\/\d+$/);
    await page.locator('.request-head .status-badge[data-status=submitted]').waitFor();
    const got = await mine(title);
    assert.equal(got.length, 1);
    assert.equal(got[0].status, 'submitted');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('defect 3: leaving with unsaved changes asks first (in-app links, 取消, closing the tab)', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'wangfang');
  try {
    await page.goto(`${server.url}/requests/new`);
    // Nothing typed yet: leaving does not ask.
    await page.locator('#sidenav').getByRole('link', { name: '我的工作' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.goto(`${server.url}/requests/new`);
    await page.locator('input[name=title]').fill('写了一半的需求');
    await page.locator('textarea[name=background]').fill('背景写了一半');

    // In-app navigation asks; "stay" keeps the page and what was typed.
    await page.locator('#sidenav').getByRole('link', { name: '我的工作' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /未保存/);
    await dialog.getByRole('button', { name: '留在此页' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.match(page.url(), /\/requests\/new$/);
    assert.equal(await page.locator('input[name=title]').inputValue(), '写了一半的需求');

    // The form's 取消 asks too; "leave" leaves.
    await page.locator('.form-bar-actions').getByRole('link', { name: '取消' }).click();
    dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '离开' }).click();
    await page.waitForURL(/\/requests$/);

    // Back to the form, type, and close the tab: the browser asks (beforeunload).
    await page.goto(`${server.url}/requests/new`);
    await page.locator('input[name=title]').fill('又写了一半');
    assert.deepEqual(problems, []);
    const asked = new Promise((resolve) => page.once('dialog', (d) => { resolve(d.type()); d.accept().catch(() => {}); }));
    await page.close({ runBeforeUnload: true });
    assert.equal(await asked, 'beforeunload');
  } finally {
    await context.close().catch(() => {});
  }
});

test('defect 3: a draft can be saved with only its title; submitting it asks for what is missing', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'wangfang');
  try {
    await page.goto(`${server.url}/requests/new`);
    const title = '只有标题的草稿';
    await page.locator('input[name=title]').fill(title);
    await page.locator('#save-draft').click();
    await page.waitForURL(/\/requests\/\d+$/);
    await page.locator('.request-head .status-badge[data-status=draft]').waitFor();
    assert.equal((await mine(title)).length, 1);
    // Saved: leaving does not ask.
    await page.locator('#sidenav').getByRole('link', { name: '我的工作' }).click();
    await page.waitForURL(`${server.url}/`);

    // Submitting from the form checks every field, under each field.
    const id = (await mine(title))[0].id;
    await page.goto(`${server.url}/requests/${id}/edit`);
    await page.locator('#submit-request').click();
    const bg = page.locator('.field', { has: page.locator('textarea[name=background]') });
    await bg.locator('.field-error').waitFor();
    assert.match(await bg.locator('.field-error').textContent(), /协作背景不能为空/);
    assert.equal(await page.locator('dialog[open]').count(), 0, 'no confirmation while fields are missing');
    await eventually(async () => assert.equal((await mine(title))[0].status, 'draft'));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
