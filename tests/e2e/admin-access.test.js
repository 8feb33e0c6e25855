// Someone who is not an administrator (王芳) sees no administration in the navigation, and opening an admin page
// by its address shows the not-found page — as the API answers 404 for what a caller may not see.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DEMO_PASSWORD } from '../lib/server.js';
import { startWithBrowser, stopWithBrowser, signedInPage, texts } from './browser.js';

let server;
let browser;

before(async () => { ({ server, browser } = await startWithBrowser()); });
after(() => stopWithBrowser({ server, browser }));

test('a non-admin sees no admin navigation, and /admin/users and /admin/departments are not found', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'wangfang');
  try {
    await page.getByRole('heading', { level: 1, name: /王芳/ }).waitFor();
    assert.deepEqual(await texts(page.locator('#sidenav .nav-link')), ['我的工作', '需求单', '项目']);
    assert.equal(await page.locator('#sidenav').getByText('系统管理').count(), 0);
    assert.equal(await page.getByRole('link', { name: '用户管理' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: '部门管理' }).count(), 0);

    for (const path of ['/admin/users', '/admin/departments', '/admin/departments/1']) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { level: 1, name: '找不到此页面' }).waitFor();
      assert.match(await page.locator('main').textContent(), /页面不存在，或者您没有查看它的权限。/);
      assert.match(await page.title(), /找不到此页面/);
      // Neither the user table nor the department tree was drawn, and the address stays as typed.
      assert.equal(await page.locator('#users-q, .tree, table').count(), 0);
      assert.equal(new URL(page.url()).pathname, path);
      // The navigation still offers no administration.
      assert.deepEqual(await texts(page.locator('#sidenav .nav-link')), ['我的工作', '需求单', '项目']);
    }

    // The way out leads back to My work.
    await page.getByRole('link', { name: '返回我的工作' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('heading', { level: 1, name: /王芳/ }).waitFor();

    // The API refuses the admin routes to her too.
    const api = new Client(server);
    await api.login('wangfang', DEMO_PASSWORD);
    const create = await api.post('/api/v1/users', { login: 'sneaky', name: '偷偷', password: 'sneaky-pass' });
    assert.equal(create.status, 403, create.text);
    assert.equal(create.json.code, 'forbidden');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
