// The administrator's user list (/admin/users) in the browser: search by a Chinese name and by login, filter by
// department; create a user (department, clearance, coordinator) and find them in the list; a duplicate login is
// refused under the login field; rename a user; deactivate a user (whose open session ends, and who then cannot
// sign in through the sign-in page) and reactivate them (who then can).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD } from '../lib/server.js';
import { people, orgMaps } from '../lib/helpers.js';
import { startWithBrowser, stopWithBrowser, signedInPage, signIn, texts, eventually } from './browser.js';

let server;
let browser;
let as;
let D;

before(async () => {
  ({ server, browser } = await startWithBrowser());
  as = people(server);
  ({ D } = await orgMaps(await as('admin')));
});
after(() => stopWithBrowser({ server, browser }));

const rows = (page) => page.locator('.table-box tbody tr');
const names = (page) => texts(rows(page).locator('.user-name'));
const row = (page, login) => rows(page).filter({ has: page.locator('.user-login', { hasText: new RegExp(`^${login}$`) }) });

// Waits until the list shows exactly these names (in any order) and the count says so.
async function listShows(page, expected) {
  await eventually(async () => {
    assert.deepEqual((await names(page)).sort(), [...expected].sort());
    assert.equal((await page.locator('.result-count').textContent()).trim(), `共 ${expected.length} 人`);
  });
}

test('search by name and by login, filter by department', async () => {
  const { context, page, problems } = await signedInPage(browser, server, 'admin', ADMIN_PASSWORD);
  try {
    await page.locator('#sidenav').getByRole('link', { name: '用户管理' }).click();
    await page.waitForURL(/\/admin\/users$/);
    await page.getByRole('heading', { level: 1, name: '用户管理' }).waitFor();
    const all = (await (await as('admin')).get('/api/v1/users?limit=1000')).json.items;
    await eventually(async () => assert.equal(await rows(page).count(), all.length));

    const search = page.getByRole('searchbox', { name: '搜索用户' });
    // A Chinese name.
    await search.fill('王芳');
    await listShows(page, ['王芳']);
    assert.match(page.url(), /\/admin\/users\?q=%E7%8E%8B%E8%8A%B3$/);
    assert.equal((await row(page, 'wangfang').locator('td').first().textContent()).trim(), '星河科技有限公司 / 市场部');
    // Part of a name: every 王.
    await search.fill('王');
    await listShows(page, ['王芳', '王勇']);
    // A login.
    await search.fill('chenjing');
    await listShows(page, ['陈静']);

    // Filter by department (with the search cleared): the members of 财务部 only.
    await search.fill('');
    await eventually(async () => assert.equal(await rows(page).count(), all.length));
    await page.getByRole('combobox', { name: '部门' }).selectOption(String(D['财务部']));
    await listShows(page, ['周敏', '孙丽', '于红']);
    assert.match(page.url(), new RegExp(`department_id=${D['财务部']}$`));
    // Both together: 孙丽 in 财务部 by login; nobody by a login from elsewhere.
    await search.fill('sunli');
    await listShows(page, ['孙丽']);
    await search.fill('wangfang');
    await eventually(async () => assert.equal((await page.locator('.table-box .empty-inline').textContent()).trim(), '没有符合条件的用户。'));
    assert.equal(await rows(page).count(), 0);

    // The filters live in the address, so a reload keeps them.
    await search.fill('zhoumin');
    await listShows(page, ['周敏']);
    await page.reload();
    await listShows(page, ['周敏']);
    assert.equal(await page.getByRole('searchbox', { name: '搜索用户' }).inputValue(), 'zhoumin');
    assert.equal(await page.getByRole('combobox', { name: '部门' }).inputValue(), String(D['财务部']));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('create a user, a duplicate login is refused under the field, rename, deactivate and reactivate', async () => {
  const admin = await as('admin');
  const { context, page, problems } = await signedInPage(browser, server, 'admin', ADMIN_PASSWORD);
  try {
    await page.goto(`${server.url}/admin/users`);
    await rows(page).first().waitFor();

    // ---- create 田甜: in 平台部, cleared for confidential, a coordinator ----
    await page.getByRole('button', { name: '新建用户' }).click();
    let dialog = page.getByRole('dialog', { name: '新建用户' });
    await dialog.waitFor();
    await dialog.getByLabel('登录名').fill('tiantian');
    await dialog.getByLabel('姓名').fill('田甜');
    await dialog.getByLabel('邮箱').fill('tiantian@xinghe.example.com');
    await dialog.getByLabel('部门').selectOption(String(D['平台部']));
    await dialog.getByLabel('密码').fill('tiantian-pass');
    await dialog.getByLabel('密级').selectOption('confidential');
    await dialog.getByLabel('协调人').check();
    await dialog.getByRole('button', { name: '创建' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('#toasts .toast', { hasText: '已创建用户田甜。' }).waitFor();

    const tian = row(page, 'tiantian');
    await tian.waitFor();
    assert.equal((await tian.locator('.user-name').textContent()).trim(), '田甜');
    assert.equal((await tian.locator('.user-email').textContent()).trim(), 'tiantian@xinghe.example.com');
    assert.deepEqual(await texts(tian.locator('td')), ['星河科技有限公司 / 研发中心 / 平台部', '协调人', '秘密', '在职', '编辑停用']);
    // And the server agrees.
    let made = (await admin.get('/api/v1/users?q=tiantian')).json.items;
    assert.equal(made.length, 1);
    const tianId = made[0].id;
    assert.equal(made[0].department_id, D['平台部']);
    assert.equal(made[0].clearance, 'confidential');
    assert.equal(made[0].is_coordinator, true);
    assert.equal(made[0].is_admin, false);
    assert.equal(made[0].active, true);

    // ---- the same login again: the error sits under the login field, the dialog stays open ----
    await page.getByRole('button', { name: '新建用户' }).click();
    dialog = page.getByRole('dialog', { name: '新建用户' });
    await dialog.waitFor();
    await dialog.getByLabel('登录名').fill('tiantian');
    await dialog.getByLabel('姓名').fill('田甜二号');
    await dialog.getByLabel('密码').fill('another-pass');
    await dialog.getByRole('button', { name: '创建' }).click();
    const loginField = dialog.locator('.field', { has: page.locator('input[name=login]') });
    await loginField.locator('.field-error', { hasText: '该登录名已被使用。' }).waitFor();
    assert.equal(await dialog.locator('input[name=login]').getAttribute('aria-invalid'), 'true');
    assert.equal(await dialog.locator('.banner-error').isHidden(), true);
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'detached' });
    made = (await admin.get('/api/v1/users?q=tiantian')).json.items;
    assert.deepEqual(made.map((u) => u.name), ['田甜']);

    // ---- rename ----
    await page.getByRole('button', { name: '编辑田甜' }).click();
    dialog = page.getByRole('dialog', { name: '编辑用户：田甜' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('登录名').inputValue(), 'tiantian');
    await dialog.getByLabel('姓名').fill('田甜甜');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('#toasts .toast', { hasText: '已保存田甜甜的信息。' }).waitFor();
    await eventually(async () => assert.equal((await tian.locator('.user-name').textContent()).trim(), '田甜甜'));
    let got = (await admin.get(`/api/v1/users/${tianId}`)).json;
    assert.equal(got.name, '田甜甜');
    assert.equal(got.clearance, 'confidential');

    // 田甜甜 is signed in elsewhere while it happens.
    const other = await signedInPage(browser, server, 'tiantian', 'tiantian-pass');
    try {
      assert.equal((await other.page.locator('.user-button-name').textContent()).trim(), '田甜甜');

      // ---- deactivate: the row says so; the open session ends and the sign-in page refuses them ----
      await page.getByRole('button', { name: '停用田甜甜' }).click();
      let confirm = page.getByRole('dialog', { name: '停用“田甜甜”？' });
      await confirm.waitFor();
      await confirm.getByRole('button', { name: '停用', exact: true }).click();
      await confirm.waitFor({ state: 'detached' });
      await tian.locator('.badge', { hasText: '已停用' }).waitFor();
      assert.match(await tian.getAttribute('class'), /row-inactive/);
      assert.equal((await admin.get(`/api/v1/users/${tianId}`)).json.active, false);
      // The status filter finds them among the deactivated.
      await page.getByRole('combobox', { name: '状态' }).selectOption('inactive');
      await listShows(page, ['田甜甜']);
      await page.getByRole('combobox', { name: '状态' }).selectOption('all');

      // Their next step in the open page finds the session gone and leads to the sign-in page.
      await other.page.locator('#sidenav').getByRole('link', { name: '需求单' }).click();
      await other.page.locator('#toasts .toast', { hasText: '登录已过期，请重新登录。' }).waitFor();
      await other.page.waitForURL(/\/login\?next=%2Frequests$/);
      assert.equal(await other.page.locator('header.topbar').count(), 0);
      // Signing in again is refused, as for a wrong password.
      await other.page.getByLabel('登录名').fill('tiantian');
      await other.page.getByLabel('密码').fill('tiantian-pass');
      await other.page.getByRole('button', { name: '登录' }).click();
      const alert = other.page.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.textContent(), /登录名或密码不正确/);
      assert.match(other.page.url(), /\/login\?next=%2Frequests$/);
      assert.equal(await other.page.locator('header.topbar').count(), 0);

      // ---- reactivate: they can sign in again (and land where they were going) ----
      await page.getByRole('button', { name: '启用田甜甜' }).click();
      confirm = page.getByRole('dialog', { name: '启用“田甜甜”？' });
      await confirm.waitFor();
      await confirm.getByRole('button', { name: '启用', exact: true }).click();
      await confirm.waitFor({ state: 'detached' });
      await tian.locator('.badge', { hasText: '在职' }).waitFor();
      assert.doesNotMatch(await tian.getAttribute('class') || '', /row-inactive/);
      got = (await admin.get(`/api/v1/users/${tianId}`)).json;
      assert.equal(got.active, true);

      await signIn(other.page, 'tiantian', 'tiantian-pass');
      assert.equal((await other.page.locator('.user-button-name').textContent()).trim(), '田甜甜');
      await other.page.waitForURL(/\/requests$/);
      // The 401s of the ended session are expected; nothing else may be logged.
      assert.deepEqual(other.problems, []);
    } finally {
      await other.context.close();
    }
    // The duplicate login's 409 is logged by the browser; nothing else may be.
    assert.deepEqual(problems.filter((p) => !/status of 409/.test(p)), []);
  } finally {
    await context.close();
  }
});
