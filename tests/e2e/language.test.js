// The language on first visit follows the browser: with the locale en-US the sign-in page and the application
// are in English. Switching to 中文 in the user menu is remembered: a reload, and the sign-in page after signing
// out, stay in Chinese.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from '../lib/server.js';
import { startWithBrowser, stopWithBrowser, openPage, signIn, texts } from './browser.js';

let server;
let browser;

before(async () => { ({ server, browser } = await startWithBrowser()); });
after(() => stopWithBrowser({ server, browser }));

test('en-US starts in English; switching to 中文 persists across a reload and signing out', async () => {
  const { context, page, problems } = await openPage(browser, { locale: 'en-US' });
  try {
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login$/);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.getByLabel('Language').inputValue(), 'en');
    assert.match(await page.title(), /Sign in/);
    // Nothing was saved yet: English came from the browser.
    assert.equal(await page.evaluate(() => localStorage.getItem('liaison.lang')), null);

    await page.getByLabel('Login').fill('wangfang');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('header.topbar').waitFor();
    assert.deepEqual(await texts(page.locator('#sidenav .nav-link')), ['My work', 'Requests', 'Projects']);
    assert.match(await page.locator('main h1').textContent(), /^Good (morning|afternoon|evening), 王芳$/);
    assert.equal(await page.locator('#inbox-bell').getAttribute('aria-label'), 'Notifications');

    // ---- switch to 中文 ----
    await page.getByRole('button', { name: 'User menu: 王芳' }).click();
    await page.getByLabel('Language').selectOption({ label: '简体中文' });
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    assert.deepEqual(await texts(page.locator('#sidenav .nav-link')), ['我的工作', '需求单', '项目']);
    assert.match(await page.locator('main h1').textContent(), /^(上午|下午|晚上)好，王芳$/);
    assert.equal(await page.evaluate(() => localStorage.getItem('liaison.lang')), 'zh-CN');
    await page.keyboard.press('Escape');

    // ---- a reload keeps it, on another page too ----
    await page.locator('#sidenav').getByRole('link', { name: '需求单' }).click();
    await page.waitForURL(/\/requests$/);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '需求单' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    assert.deepEqual(await texts(page.locator('#sidenav .nav-link')), ['我的工作', '需求单', '项目']);
    assert.match(await page.title(), /需求单/);

    // ---- signing out keeps it too: the sign-in page is in Chinese ----
    await page.getByRole('button', { name: '用户菜单：王芳' }).click();
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/login$/);
    await page.getByRole('heading', { level: 1, name: '登录' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: '登录' }).waitFor();
    await signIn(page, 'wangfang', DEMO_PASSWORD);
    assert.deepEqual(await texts(page.locator('#sidenav .nav-link')), ['我的工作', '需求单', '项目']);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
