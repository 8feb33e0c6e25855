// The administrator's department page (/admin/departments) in the browser: rename a department; set its liaisons
// in the liaisons dialog, which offers only the department's active members; a department with members cannot be deleted
// and the page says why; an empty one can; the history panel shows the rename and the liaison change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD } from '../lib/server.js';
import { people, orgMaps, ifMatch } from '../lib/helpers.js';
import { startWithBrowser, stopWithBrowser, signedInPage, texts, eventually } from './browser.js';

let server;
let browser;
let as;
let D;
let U;

before(async () => {
  ({ server, browser } = await startWithBrowser());
  as = people(server);
  ({ D, U } = await orgMaps(await as('admin')));
});
after(() => stopWithBrowser({ server, browser }));

const treeName = (page, id) => page.locator(`.tree [data-dept-id="${id}"] > .tree-row .tree-name`);
const detailTitle = (page) => page.locator('#dept-detail-title');
// The chips listed under a fact of the detail panel (联络人, 成员).
const factChips = (page, label) => texts(page.locator('.detail .facts > div', { has: page.locator('dt', { hasText: label }) }).locator('.chip'));

test('rename, set liaisons among members, history; a department with members cannot be deleted, an empty one can', async () => {
  const admin = await as('admin');
  const legal = D['法务部'];
  // An empty department to delete later, made through the API.
  const made = await admin.post('/api/v1/departments', { name: '临时项目组', parent_id: legal });
  assert.equal(made.status, 201, made.text);
  const tempId = made.json.id;
  // A deactivated member of 法务部: still a member, but not someone to make a liaison.
  const gone = await admin.post('/api/v1/users', { login: 'zhaoyue', name: '赵悦', password: 'zhaoyue-pass', department_id: legal });
  assert.equal(gone.status, 201, gone.text);
  const off = await admin.patch(`/api/v1/users/${gone.json.id}`, { active: false }, ifMatch(gone.json.version));
  assert.equal(off.status, 200, off.text);

  const { context, page, problems } = await signedInPage(browser, server, 'admin', ADMIN_PASSWORD);
  try {
    await page.locator('#sidenav').getByRole('link', { name: '部门管理' }).click();
    await page.waitForURL(/\/admin\/departments$/);
    await treeName(page, legal).click();
    await page.waitForURL(new RegExp(`/admin/departments/${legal}$`));
    await eventually(async () => assert.equal((await detailTitle(page).textContent()).trim(), '法务部'));
    assert.deepEqual(await factChips(page, '联络人'), ['蔡晴']);
    assert.deepEqual((await factChips(page, '成员')).sort(), ['蒋文', '蔡晴', '贺琳', '赵悦'].sort());

    // ---- rename ----
    await page.locator('.detail-actions').getByRole('button', { name: '编辑' }).click();
    let dialog = page.getByRole('dialog', { name: '编辑部门：法务部' });
    await dialog.waitFor();
    await dialog.getByLabel('名称').fill('法律事务部');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('#toasts .toast', { hasText: '已保存部门“法律事务部”。' }).waitFor();
    await eventually(async () => {
      assert.equal((await detailTitle(page).textContent()).trim(), '法律事务部');
      assert.equal((await treeName(page, legal).textContent()).trim(), '法律事务部');
    });
    assert.equal((await admin.get(`/api/v1/departments/${legal}`)).json.name, '法律事务部');

    // ---- liaisons: only the members are offered; add 贺琳 next to 蔡晴 ----
    await page.locator('.detail-actions').getByRole('button', { name: '设置联络人' }).click();
    dialog = page.getByRole('dialog', { name: '设置联络人：法律事务部' });
    await dialog.waitFor();
    const offered = await texts(dialog.locator('.pick-row .pick-name'));
    const members = (await admin.get(`/api/v1/users?department_id=${legal}`)).json.items.filter((u) => u.active).map((u) => u.name);
    assert.deepEqual(offered.slice().sort(), members.slice().sort());
    assert.deepEqual(offered.slice().sort(), ['蒋文', '蔡晴', '贺琳'].sort());
    assert.equal(await dialog.getByLabel('蔡晴').isChecked(), true);
    assert.equal(await dialog.getByLabel('贺琳').isChecked(), false);
    assert.equal((await dialog.locator('.pick-count').textContent()).trim(), '已选择 1 人');
    await dialog.getByLabel('贺琳').check();
    assert.equal((await dialog.locator('.pick-count').textContent()).trim(), '已选择 2 人');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('#toasts .toast', { hasText: '已更新“法律事务部”的联络人。' }).waitFor();
    await eventually(async () => assert.deepEqual((await factChips(page, '联络人')).sort(), ['蔡晴', '贺琳'].sort()));
    assert.deepEqual((await admin.get(`/api/v1/departments/${legal}`)).json.liaison_user_ids.slice().sort((a, b) => a - b),
      [U.caiqing, U.helin].sort((a, b) => a - b));

    // ---- the history shows both changes, newest first ----
    const items = page.locator('.detail .timeline > .timeline-item');
    await eventually(async () => assert.ok(await items.count() >= 2));
    const liaisonsItem = items.nth(0);
    assert.equal((await liaisonsItem.locator('.timeline-action').textContent()).trim(), '设置联络人');
    assert.match(await liaisonsItem.locator('.timeline-head').textContent(), new RegExp(admin.user.name));
    const liaisonChange = liaisonsItem.locator('.change', { has: page.locator('.change-field', { hasText: '联络人' }) });
    assert.equal((await liaisonChange.locator('.change-old').textContent()).trim(), '蔡晴');
    assert.match(await liaisonChange.locator('.change-new').textContent(), /^(蔡晴、贺琳|贺琳、蔡晴)$/);
    const renameItem = items.nth(1);
    assert.equal((await renameItem.locator('.timeline-action').textContent()).trim(), '修改');
    const nameChange = renameItem.locator('.change', { has: page.locator('.change-field', { hasText: '名称' }) });
    assert.equal((await nameChange.locator('.change-old').textContent()).trim(), '法务部');
    assert.equal((await nameChange.locator('.change-new').textContent()).trim(), '法律事务部');

    // ---- it has members (and a sub-department): deleting it is refused, and the dialog says why ----
    await page.locator('.detail-actions').getByRole('button', { name: '删除' }).click();
    dialog = page.getByRole('dialog', { name: '不能删除“法律事务部”' });
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /该部门还有 1 个下级部门和 4 名成员/);
    await dialog.getByRole('button', { name: '知道了' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The server refuses it too, and it is still there.
    const now = await admin.get(`/api/v1/departments/${legal}`);
    assert.equal(now.status, 200);
    assert.equal((await admin.del(`/api/v1/departments/${legal}`, ifMatch(now.json.version))).status, 409);

    // ---- the empty one can go ----
    await treeName(page, tempId).click();
    await page.waitForURL(new RegExp(`/admin/departments/${tempId}$`));
    await eventually(async () => assert.equal((await detailTitle(page).textContent()).trim(), '临时项目组'));
    assert.match(await page.locator('.detail').textContent(), /暂无成员/);
    await page.locator('.detail-actions').getByRole('button', { name: '删除' }).click();
    dialog = page.getByRole('dialog', { name: '删除部门“临时项目组”？' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '删除' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('#toasts .toast', { hasText: '已删除部门“临时项目组”。' }).waitFor();
    // Back on its parent, and gone from the tree.
    await page.waitForURL(new RegExp(`/admin/departments/${legal}$`));
    await page.locator(`.tree [data-dept-id="${tempId}"]`).waitFor({ state: 'detached' });
    await eventually(async () => assert.equal((await detailTitle(page).textContent()).trim(), '法律事务部'));
    assert.equal((await admin.get(`/api/v1/departments/${tempId}`)).status, 404);

    // After a reload everything is still as left.
    await page.reload();
    await eventually(async () => assert.equal((await treeName(page, legal).textContent()).trim(), '法律事务部'));
    assert.equal(await page.locator(`.tree [data-dept-id="${tempId}"]`).count(), 0);
    assert.deepEqual((await factChips(page, '联络人')).sort(), ['蔡晴', '贺琳'].sort());
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
