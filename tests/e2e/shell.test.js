// The browser UI end to end: sign in, Chinese by browser locale, switch to English, create a department
// under an existing one, see it in the tree and after a reload; a wrong password shows an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { adminClient, ADMIN_PASSWORD } from '../lib/server.js';
import { startWithBrowser, stopWithBrowser, openPage, signIn, texts } from './browser.js';

let server;
let browser;

before(async () => { ({ server, browser } = await startWithBrowser()); });
after(() => stopWithBrowser({ server, browser }));

test('admin signs in in Chinese, switches to English, creates a department that survives a reload', async () => {
  // The parent exists before the page loads; made through the API so the test does not depend on demo data.
  const api = await adminClient(server);
  const parentName = '测试事业部';
  const made = await api.post('/api/v1/departments', { name: parentName, parent_id: null });
  assert.equal(made.status, 201, made.text);
  const parentId = made.json.id;

  const { context, page, problems } = await openPage(browser, { locale: 'zh-CN' });
  try {
    await page.goto(`${server.url}/`);
    // Not signed in: the sign-in page, in Chinese because the browser prefers it.
    await page.waitForURL(/\/login$/);
    await page.locator('.login-card h1').waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    assert.equal((await page.locator('.login-card h1').textContent()).trim(), '登录');

    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL(`${server.url}/`);
    assert.equal((await page.locator('.topbar .brand-name').textContent()).trim(), 'liaison 跨部门协作');
    const navZh = await texts(page.locator('#sidenav .nav-link'));
    assert.deepEqual(navZh, ['我的工作', '需求单', '项目', '部门管理', '用户管理']);
    assert.match(await page.title(), /我的工作/);

    // Switch to English in the user menu.
    await page.getByRole('button', { name: /用户菜单/ }).click();
    await page.getByLabel('语言').selectOption('en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const navEn = await texts(page.locator('#sidenav .nav-link'));
    assert.deepEqual(navEn, ['My work', 'Requests', 'Projects', 'Departments', 'Users']);
    assert.match(await page.locator('main h1').textContent(), /Good (morning|afternoon|evening), Administrator/);
    await page.keyboard.press('Escape');

    // Departments: create one under the existing parent.
    await page.locator('#sidenav').getByRole('link', { name: 'Departments' }).click();
    await page.waitForURL(/\/admin\/departments$/);
    await page.locator('main h1', { hasText: 'Departments' }).waitFor();
    await page.locator('.tree-name', { hasText: parentName }).waitFor();

    const childName = 'Test Lab 测试实验室';
    await page.getByRole('button', { name: 'New department' }).click();
    const dialog = page.getByRole('dialog', { name: 'New department' });
    await dialog.waitFor();
    await dialog.getByLabel('Name').fill(childName);
    await dialog.getByLabel('Parent department').selectOption(String(parentId));
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The new department is selected, and shown in the tree under its parent.
    await page.waitForURL(/\/admin\/departments\/\d+$/);
    const childId = Number(new URL(page.url()).pathname.split('/').pop());
    const underParent = page.locator(`[data-dept-id="${parentId}"] > .tree-children [data-dept-id="${childId}"] .tree-name`);
    assert.equal((await underParent.textContent()).trim(), childName);
    assert.equal((await page.locator('#dept-detail-title').textContent()).trim(), childName);

    // After a reload it is still there, and the language choice was remembered.
    await page.reload();
    await page.locator(`[data-dept-id="${parentId}"] > .tree-children [data-dept-id="${childId}"] .tree-name`).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal((await page.locator('main h1').first().textContent()).trim(), 'Departments');

    // And the server agrees.
    const got = await api.get(`/api/v1/departments/${childId}`);
    assert.equal(got.status, 200);
    assert.equal(got.json.name, childName);
    assert.equal(got.json.parent_id, parentId);

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a wrong password shows an error message and stays on the sign-in page', async () => {
  const { context, page, problems } = await openPage(browser, { locale: 'zh-CN' });
  try {
    await page.goto(`${server.url}/login`);
    await page.locator('.login-form').waitFor();
    await page.getByLabel('登录名').fill('admin');
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /登录名或密码不正确/);
    assert.match(page.url(), /\/login$/);
    assert.equal(await page.locator('header.topbar').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
