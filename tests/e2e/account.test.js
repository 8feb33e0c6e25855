// My account (/me) in the browser, as 韩雪: change the own name (the header follows); change the password — a wrong
// current password is refused under its field, the right one works, and after signing out only the new password
// signs in; create an API token (shown once, with a copy button), see it listed and working, revoke it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DEMO_PASSWORD } from '../lib/server.js';
import { startWithBrowser, stopWithBrowser, signedInPage, signIn, texts, eventually } from './browser.js';

let server;
let browser;

before(async () => { ({ server, browser } = await startWithBrowser()); });
after(() => stopWithBrowser({ server, browser }));

const field = (page, name) => page.locator('.field', { has: page.locator(`[name="${name}"]`) });

async function openAccount(page, userName) {
  await page.getByRole('button', { name: `用户菜单：${userName}` }).click();
  await page.locator('#user-menu-panel').getByRole('link', { name: '我的账户' }).click();
  await page.waitForURL(/\/me$/);
  await page.getByRole('heading', { level: 1, name: '我的账户' }).waitFor();
}

test('change my name, then my password (a wrong current one is refused), then sign in with the new one', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'hanxue');
  try {
    await openAccount(page, '韩雪');
    const facts = page.locator('.facts');
    assert.match(await facts.textContent(), /hanxue/);
    assert.match(await facts.textContent(), /市场部/);

    // ---- the name ----
    const name = page.getByLabel('姓名');
    assert.equal(await name.inputValue(), '韩雪');
    await name.fill('韩雪梅');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('#toasts .toast', { hasText: '个人资料已保存。' }).waitFor();
    await eventually(async () => assert.equal((await page.locator('.user-button-name').textContent()).trim(), '韩雪梅'));
    await page.getByRole('heading', { level: 1, name: '我的账户' }).waitFor();
    assert.equal(await page.getByLabel('姓名').inputValue(), '韩雪梅');
    const api = new Client(server);
    await api.login('hanxue', DEMO_PASSWORD);
    assert.equal(api.user.name, '韩雪梅');

    // ---- the password: the wrong current password first ----
    const current = page.getByLabel('当前密码');
    await current.fill('not-my-password');
    await page.getByLabel(/^新密码/).fill('hanxue-new-pass');
    await page.getByLabel('再次输入新密码').fill('hanxue-new-pass');
    await page.getByRole('button', { name: '修改密码' }).click();
    await field(page, 'current_password').locator('.field-error', { hasText: '当前密码不正确。' }).waitFor();
    assert.equal(await current.getAttribute('aria-invalid'), 'true');
    assert.equal(await field(page, 'password').locator('.field-error').isHidden(), true);
    // Nothing changed: the old password still signs in.
    await new Client(server).login('hanxue', DEMO_PASSWORD);

    // The right one.
    await current.fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.locator('#toasts .toast', { hasText: '密码已修改。' }).waitFor();
    assert.equal(await field(page, 'current_password').locator('.field-error').isHidden(), true);
    assert.equal(await current.inputValue(), '');
    assert.equal((await new Client(server).req('POST', '/api/v1/session', { body: { login: 'hanxue', password: DEMO_PASSWORD } })).status, 401);

    // ---- sign out, then the old password fails and the new one works ----
    await page.getByRole('button', { name: '用户菜单：韩雪梅' }).click();
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/login$/);
    await page.getByLabel('登录名').fill('hanxue');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /登录名或密码不正确/);
    await signIn(page, 'hanxue', 'hanxue-new-pass');
    assert.equal((await page.locator('.user-button-name').textContent()).trim(), '韩雪梅');
    // The wrong current password's 422 is logged by the browser; nothing else may be.
    assert.deepEqual(problems.filter((p) => !/status of 422/.test(p)), []);
  } finally {
    await context.close();
  }
});

test('create an API token (shown once, with a copy button), see it listed and working, revoke it', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'wangfang');
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await openAccount(page, '王芳');
    const list = page.locator('.token-list');
    await list.getByText('您还没有 API 令牌。').waitFor();

    // An empty name is refused in place.
    const tokenForm = page.getByRole('form', { name: '生成令牌' });
    await tokenForm.getByRole('button', { name: '生成令牌' }).click();
    await tokenForm.locator('.field-error', { hasText: '令牌名称不能为空。' }).waitFor();
    assert.equal(await tokenForm.getByLabel('令牌名称').getAttribute('aria-invalid'), 'true');

    const tokenName = '周报导出脚本';
    await tokenForm.getByLabel('令牌名称').fill(tokenName);
    await tokenForm.getByRole('button', { name: '生成令牌' }).click();
    const dialog = page.getByRole('dialog', { name: `令牌“${tokenName}”已生成` });
    await dialog.waitFor();
    const value = dialog.getByLabel('令牌', { exact: true });
    const token = await value.inputValue();
    assert.ok(token.length >= 20, `token ${token}`);
    assert.equal(await value.getAttribute('readonly'), '');
    assert.match(await dialog.textContent(), /令牌只显示这一次，关闭后无法再次查看。/);
    const copy = dialog.getByRole('button', { name: '复制' });
    assert.equal(await copy.isVisible(), true);
    await copy.click();
    await dialog.getByRole('status').filter({ hasText: '已复制到剪贴板。' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
    await dialog.getByRole('button', { name: '我已保存' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Listed by name, and the secret is nowhere on the page any more.
    const rowEl = list.locator('.token-row', { hasText: tokenName });
    await rowEl.waitFor();
    assert.deepEqual(await texts(list.locator('.token-name')), [tokenName]);
    assert.match(await rowEl.textContent(), /尚未使用/);
    assert.equal((await page.locator('body').textContent()).includes(token), false);
    assert.equal(await page.locator('#new-token').count(), 0);

    // It works as a bearer token, and the list shows that it was used.
    const bearer = new Client(server);
    bearer.token = token;
    const me = await bearer.get('/api/v1/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.user.login, 'wangfang');
    await page.reload();
    await eventually(async () => assert.match(await list.locator('.token-row', { hasText: tokenName }).textContent(), /最近使用/));

    // ---- revoke ----
    await page.getByRole('button', { name: `吊销令牌${tokenName}` }).click();
    const confirm = page.getByRole('dialog', { name: `吊销令牌“${tokenName}”？` });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: '吊销' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.locator('#toasts .toast', { hasText: `已吊销令牌“${tokenName}”。` }).waitFor();
    await list.getByText('您还没有 API 令牌。').waitFor();
    assert.equal((await bearer.get('/api/v1/me')).status, 401);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
