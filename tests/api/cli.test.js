// The command line: `import org` (UTF-8, BOM, GBK, CRLF, all-or-nothing with line/column errors),
// `init --demo` (the scenario's people and roles), and `user` / `dept` add and list.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, ADMIN_PASSWORD, DEMO_PASSWORD, startServer, adminClient, Client } from '../lib/server.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const ORG_CSV = join(fixtures, 'org.csv');
const ORG_GBK = join(fixtures, 'org-gbk.csv');
const ORG_LOGINS = ['zhangwei', 'zhaolei', 'chenjing', 'liuyang', 'liqiang', 'wangfang', 'zhenghua'];
const ORG_DEPTS = ['星河科技有限公司', '平台部', '研发中心', '市场部', '总经办', '法务部'];

const env = { ...process.env, LIAISON_ADMIN_PASSWORD: ADMIN_PASSWORD, LIAISON_PWHASH: 'min' };
delete env.LIAISON_DB;

let dir;
before(() => { dir = mkdtempSync(join(tmpdir(), 'liaison-cli-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

// liaison ARGS -> {status, stdout, stderr}
function run(...args) {
  const r = spawnSync(BIN, args, { env, encoding: 'utf8', timeout: 30000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let seq = 0;
// A fresh store with only the administrator.
function freshStore() {
  const db = join(dir, `s${++seq}.db`);
  const r = run('init', '--db', db);
  assert.equal(r.status, 0, r.stderr);
  return db;
}

function file(name, content) {
  const p = join(dir, `${++seq}-${name}`);
  writeFileSync(p, content);
  return p;
}

// Logins in `liaison user list` output (second column).
function logins(db) {
  const r = run('user', 'list', '--db', db);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/)[1]);
}

function deptList(db) {
  const r = run('dept', 'list', '--db', db);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const orgText = () => readFileSync(ORG_CSV, 'utf8');
// The fixture with line n (1 = header) replaced by f(line).
function withLine(n, f) {
  const lines = orgText().split('\n');
  lines[n - 1] = f(lines[n - 1]);
  return lines.join('\n');
}

function assertImportedOrg(db, r) {
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^imported 6 departments, 7 users$/m);
  assert.deepEqual(logins(db).sort(), ['admin', ...ORG_LOGINS].sort());
  const tree = deptList(db);
  for (const d of ORG_DEPTS) assert.ok(tree.includes(d), `${d} in\n${tree}`);
  // The tree: 平台部 under 研发中心 under the company (its parent was defined on a later row).
  assert.match(tree, /^\s*\d+  星河科技有限公司  — head: 张伟$/m);
  assert.match(tree, /^\s*\d+    研发中心  — head: 刘洋$/m);
  assert.match(tree, /^\s*\d+      平台部  — head: 赵磊$/m);
  assert.match(tree, /^\s*\d+    法务部$/m);
}

describe('liaison import org', () => {
  it('imports a UTF-8 file: departments, people, heads, liaisons, flags and clearances', async () => {
    const s = await startServer();
    try {
      const r = run('import', 'org', '--db', s.db, ORG_CSV);
      assertImportedOrg(s.db, r);
      const admin = await adminClient(s);
      const depts = (await admin.get('/api/v1/departments?limit=1000')).json.items;
      const users = (await admin.get('/api/v1/users?limit=1000')).json.items;
      const D = Object.fromEntries(depts.map((d) => [d.name, d]));
      const U = Object.fromEntries(users.map((u) => [u.login, u]));
      assert.equal(D['星河科技有限公司'].parent_id, null);
      assert.equal(D['研发中心'].parent_id, D['星河科技有限公司'].id);
      assert.equal(D['平台部'].parent_id, D['研发中心'].id);
      assert.equal(D['总经办'].parent_id, D['星河科技有限公司'].id);
      assert.equal(D['平台部'].head_user_id, U.zhaolei.id);
      assert.deepEqual(D['平台部'].liaison_user_ids, [U.chenjing.id]);
      assert.equal(D['市场部'].head_user_id, U.liqiang.id);
      assert.deepEqual(D['市场部'].liaison_user_ids, []);
      assert.deepEqual(D['总经办'].liaison_user_ids, [U.zhenghua.id]);
      assert.equal(D['法务部'].head_user_id, null);
      assert.equal(U.wangfang.department_id, D['市场部'].id);
      assert.equal(U.wangfang.name, '王芳');
      assert.equal(U.wangfang.email, 'wangfang@xinghe.example.com');
      assert.equal(U.zhenghua.is_coordinator, true);
      assert.equal(U.zhenghua.is_admin, false);
      // 秘密 / 机密 / 内部 and the English names map to the stored levels.
      assert.equal(U.zhangwei.clearance, 'secret');
      assert.equal(U.liuyang.clearance, 'confidential');
      assert.equal(U.wangfang.clearance, 'internal');
      assert.equal(U.zhaolei.clearance, 'confidential');
      // A password in the file signs in; a user without one cannot until an admin sets it.
      await new Client(s).login('chenjing', 'chenjing-pass-1');
      const no = await new Client(s).req('POST', '/api/v1/session', { body: { login: 'wangfang', password: '' } });
      assert.notEqual(no.status, 200);
      // Every change is in the audit history, as if made through the API.
      const h = await admin.get(`/api/v1/departments/${D['平台部'].id}/history`);
      assert.deepEqual(h.json.items.map((e) => e.action), ['create', 'update', 'liaisons']);
    } finally {
      await s.stop();
    }
  });

  it('imports the same file with a UTF-8 BOM', () => {
    const db = freshStore();
    const p = file('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(ORG_CSV)]));
    assertImportedOrg(db, run('import', 'org', '--db', db, p));
  });

  it('imports a GBK file with CRLF line endings, as Chinese Excel saves it', () => {
    const bytes = readFileSync(ORG_GBK);
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'the fixture is not UTF-8');
    assert.equal(new TextDecoder('gbk').decode(bytes), orgText().replace(/\n/g, '\r\n'), 'the fixture is org.csv in GBK');
    const db = freshStore();
    assertImportedOrg(db, run('import', 'org', '--db', db, ORG_GBK));
    const r = run('user', 'list', '--db', db);
    assert.match(r.stdout, /chenjing\s+陈静/);
  });

  it('reports the line and column of a GBK file with a bad row (CRLF counted as one line)', () => {
    const gbk = readFileSync(ORG_GBK);
    // Replace "liqiang@xinghe.example.com" (ASCII, so the same bytes in GBK) on line 6.
    const text = gbk.toString('latin1').replace('liqiang@xinghe.example.com', 'liqiang.xinghe');
    const db = freshStore();
    const r = run('import', 'org', '--db', db, file('bad-gbk.csv', Buffer.from(text, 'latin1')));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^liaison import: line 6, column "email": email is not an address like name@example\.com$/m);
  });

  it('stops at the first bad row: exit 1, line and column named, nothing imported', () => {
    const db = freshStore();
    const bad = file('bad-email.csv', withLine(6, (l) => l.replace('liqiang@xinghe.example.com', 'liqiang-at-xinghe')));
    const r = run('import', 'org', '--db', db, bad);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^liaison import: line 6, column "email": email is not an address like name@example\.com$/m);
    // Rows 2-5 were valid and had been written inside the transaction: all rolled back.
    assert.deepEqual(logins(db), ['admin']);
    assert.equal(deptList(db).trim(), '');
  });

  it('names the column as the header writes it, and bad values in each kind of column', () => {
    const cases = [
      [withLine(3, (l) => l.replace(',1,0,', ',maybe,0,')), 3, 'is_head', /"maybe" is not one of 1\/0, yes\/no, true\/false, 是\/否/],
      [withLine(5, (l) => l.replace('秘密', 'top')), 5, 'clearance', /"top" is not a clearance/],
      [withLine(4, (l) => l.replace('chenjing-pass-1', 'short')), 4, 'password', /at least 8 characters/],
      [withLine(7, (l) => l.replace('wangfang,王芳', 'Wang Fang,王芳')), 7, 'login', /login may hold only/],
      [withLine(7, (l) => l.replace('wangfang,王芳', 'wangfang,')), 7, 'name', /name/],
      [withLine(9, (l) => l.replace('法务部,星河科技有限公司,,', '法务部,星河科技有限公司,,贺琳')), 9, 'name', /needs a login/],
      [withLine(3, (l) => l.replace('平台部,研发中心', ',研发中心')), 3, 'department', /department must not be empty/],
      [withLine(2, (l) => l.replace(',是,', ',1,')) + '星河科技有限公司,,lina,李娜,,1,,,,,\n', 10, 'is_head', /already has a head on line 2/],
      [withLine(8, (l) => l.replace('"总经办",星河科技有限公司', '总经办,不存在的部门')), 8, 'parent_department', /no department "不存在的部门"/],
      [withLine(4, (l) => l.replace('平台部,研发中心', '平台部,市场部')), 4, 'parent_department', /was given the parent "研发中心" on line 3/],
      [withLine(1, (l) => l.replace('email', 'E-Mail')).replace('liqiang@xinghe.example.com', 'x@'), 6, 'E-Mail', /email is not an address/],
    ];
    for (const [text, line, col, msg] of cases) {
      const db = freshStore();
      const r = run('import', 'org', '--db', db, file('bad.csv', text));
      assert.equal(r.status, 1, `${col}: ${r.stdout}`);
      const first = r.stderr.split('\n')[0];
      assert.ok(first.startsWith(`liaison import: line ${line}, column "${col}": `), first);
      assert.match(first, msg);
      assert.deepEqual(logins(db), ['admin'], `${col}: nothing imported`);
    }
  });

  it('refuses an unknown column, naming it, before importing anything', () => {
    const db = freshStore();
    const r = run('import', 'org', '--db', db, file('unknown.csv', withLine(1, (l) => `${l},phone`)));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^liaison import: line 1: unknown column "phone"/m);
    assert.deepEqual(logins(db), ['admin']);
  });

  it('needs a department column; header names are case-insensitive and in any order', () => {
    const db = freshStore();
    let r = run('import', 'org', '--db', db, file('nodept.csv', 'login,name\nlina,李娜\n'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /line 1: the header has no "department" column/);
    r = run('import', 'org', '--db', db, file('order.csv', 'Name,LOGIN,Is_Liaison,Department\n李娜,lina,是,平台部\n'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /imported 1 department, 1 user/);
    // The Chinese headers a person is likely to type.
    r = run('import', 'org', '--db', db, file('zh.csv', '部门,上级部门,登录名,姓名,邮箱,部门负责人,密级\n法务部,,jiangwen,蒋文,jiangwen@xinghe.example.com,是,秘密\n'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(deptList(db), /法务部  — head: 蒋文/);
  });

  it('refuses a login used twice in the file, or one that already exists', () => {
    let db = freshStore();
    let r = run('import', 'org', '--db', db, file('dup.csv', `${orgText()}市场部,,wangfang,王芳二,,,,,,,\n`));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^liaison import: line 10, column "login": login "wangfang" is already used on line 7$/m);
    assert.deepEqual(logins(db), ['admin']);

    db = freshStore();
    assert.equal(run('import', 'org', '--db', db, ORG_CSV).status, 0);
    r = run('import', 'org', '--db', db, ORG_CSV);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^liaison import: line 2, column "login": a user with login "zhangwei" already exists$/m);
    assert.equal(logins(db).length, 1 + ORG_LOGINS.length);
  });

  it('reuses departments that exist (same name, same parent) and keeps their liaisons', async () => {
    const s = await startServer();
    try {
      assert.equal(run('import', 'org', '--db', s.db, ORG_CSV).status, 0);
      // 平台部 without a parent is the one that exists under 研发中心; 测试部 is new under the existing 研发中心.
      const more = 'department,parent_department,login,name,is_liaison\n平台部,,lina,李娜,1\n测试部,研发中心,songjie,宋杰,\n';
      const r = run('import', 'org', '--db', s.db, file('more.csv', more));
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^imported 1 department, 2 users$/m);
      const admin = await adminClient(s);
      const depts = (await admin.get('/api/v1/departments?limit=1000')).json.items;
      const users = (await admin.get('/api/v1/users?limit=1000')).json.items;
      const U = Object.fromEntries(users.map((u) => [u.login, u.id]));
      assert.equal(depts.filter((d) => d.name === '平台部').length, 1);
      const pt = depts.find((d) => d.name === '平台部');
      assert.deepEqual(pt.liaison_user_ids, [U.chenjing, U.lina].sort((a, b) => a - b));
      assert.equal(depts.find((d) => d.name === '测试部').parent_id, depts.find((d) => d.name === '研发中心').id);
    } finally {
      await s.stop();
    }
  });

  it('refuses bytes that are neither UTF-8 nor GBK, NUL bytes, UTF-16 and broken quotes', () => {
    const db = freshStore();
    const cases = [
      [Buffer.from('department,name\n平台部,x\n\xff\xff,y\n', 'latin1'), /line 3: the file is neither UTF-8 nor GBK/],
      [Buffer.from('department\n平台部\0\n'), /NUL byte/],
      [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('department\n', 'utf16le')]), /UTF-16/],
      [Buffer.from('department,login,name\n平台部,"li"na,李娜\n'), /line 2: the CSV cannot be read/],
      [Buffer.from('department,login,name\n平台部,lina,"李娜\n'), /quoted field is not closed/],
    ];
    for (const [bytes, msg] of cases) {
      const r = run('import', 'org', '--db', db, file('junk.csv', bytes));
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, msg);
    }
    assert.deepEqual(logins(db), ['admin']);
  });

  it('counts lines across quoted fields that hold line breaks, CRLF as one line, blank rows', () => {
    const db = freshStore();
    const cases = [
      // "平台部\n" is trimmed to 平台部; the record spans lines 2-3, line 4 is blank, line 5 empty cells.
      ['department,name,login,email\n"平台部\n",陈静,chenjing,\n\n,,,\n市场部,李强,liqiang,bad\n', 6, 'email'],
      // A line break inside a name is refused, on the line where the record starts.
      ['department,name,login,email\n"研发\n中心",刘洋,liuyang,\n\n,,,\n市场部,李强,liqiang,bad\n', 2, 'department'],
      ['department,name,login,email\r\n研发中心,刘洋,liuyang,\r\n\r\n,,,\r\n市场部,李强,liqiang,bad\r\n', 5, 'email'],
      ['department,name,login,email\r\n"研发中心","刘\r\n洋",liuyang,\r\n', 2, 'name'],
      // No line break after the last row.
      ['department,name,login,email\n研发中心,刘洋,liuyang,\n市场部,李强,liqiang,bad', 3, 'email'],
    ];
    for (const [text, line, col] of cases) {
      const r = run('import', 'org', '--db', db, file('lines.csv', text));
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, new RegExp(`^liaison import: line ${line}, column "${col}": `, 'm'), JSON.stringify(text));
    }
    assert.deepEqual(logins(db), ['admin']);
  });

  it('answers bad arguments with exit 2 and one line naming the argument', () => {
    const db = freshStore();
    const cases = [
      [['import'], /say what to import/],
      [['import', 'people', '--db', db, ORG_CSV], /say what to import/],
      [['import', 'org', '--db', db], /FILE\.csv is required/],
      [['import', 'org', '--db', db, '--dry-run', ORG_CSV], /unknown argument '--dry-run'/],
      [['import', 'org', ORG_CSV], /--db is required/],
      [['import', 'org', '--db', db, ORG_CSV, ORG_GBK], /one file at a time/],
      [['import', 'org', ORG_CSV, '--db'], /--db needs a value/],
    ];
    for (const [args, msg] of cases) {
      const r = run(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^liaison import: /);
      assert.match(r.stderr, msg);
    }
    const missing = run('import', 'org', '--db', db, join(dir, 'no-such.csv'));
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot open .*no-such\.csv/);
    const help = run('import', '--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /usage: liaison import org --db PATH FILE\.csv/);
    assert.deepEqual(logins(db), ['admin']);
  });
});

describe('liaison init --demo', () => {
  const scenario = ['wangfang', 'liqiang', 'chenjing', 'zhaolei', 'liuyang', 'sunli', 'zhoumin', 'wugang', 'zhenghua', 'zhangwei'];
  let s;
  before(async () => { s = await startServer({ demo: true }); });
  after(async () => { await s?.stop(); });

  it('lists the scenario people in `user list`', () => {
    const all = logins(s.db);
    for (const l of scenario) assert.ok(all.includes(l), `${l} in ${all}`);
    assert.ok(all.length >= 38 && all.length <= 45, `about 40 people, got ${all.length}`);
    assert.equal(new Set(all).size, all.length, 'logins are unique');
  });

  it('gives the scenario people their roles (seen by wangfang through the API)', async () => {
    const c = new Client(s);
    await c.login('wangfang', DEMO_PASSWORD);
    const depts = (await c.get('/api/v1/departments?limit=1000')).json.items;
    const users = (await c.get('/api/v1/users?limit=1000')).json.items;
    const D = Object.fromEntries(depts.map((d) => [d.name, d]));
    const U = Object.fromEntries(users.map((u) => [u.login, u]));
    const login = (id) => users.find((u) => u.id === id)?.login;
    const root = D['星河科技有限公司'];
    assert.equal(root.parent_id, null);
    assert.equal(login(root.head_user_id), 'zhangwei');
    assert.equal(U.zhangwei.name, '张伟');
    assert.equal(login(D['市场部'].head_user_id), 'liqiang');
    assert.equal(U.wangfang.department_id, D['市场部'].id);
    assert.ok(!D['市场部'].liaison_user_ids.includes(U.wangfang.id), 'wangfang is staff, not a liaison');
    assert.equal(D['平台部'].parent_id, D['研发中心'].id);
    assert.equal(login(D['平台部'].head_user_id), 'zhaolei');
    assert.deepEqual(D['平台部'].liaison_user_ids.map(login), ['chenjing']);
    assert.equal(login(D['研发中心'].head_user_id), 'liuyang');
    assert.equal(login(D['财务部'].head_user_id), 'zhoumin');
    assert.deepEqual(D['财务部'].liaison_user_ids.map(login), ['sunli']);
    assert.deepEqual(D['生产部'].liaison_user_ids.map(login), ['wugang']);
    assert.ok(D['生产部'].head_user_id && login(D['生产部'].head_user_id) !== 'wugang');
    assert.equal(U.zhenghua.is_coordinator, true);
    assert.equal(U.zhenghua.department_id, D['总经办'].id);
    assert.deepEqual(users.filter((u) => u.is_coordinator).map((u) => u.login), ['zhenghua']);
    for (const name of ['总经办', '研发中心', '平台部', '产品部', '测试部', '市场部', '销售部', '财务部', '人力资源部', '采购部', '生产部', '法务部']) {
      assert.ok(D[name], `${name} exists`);
      assert.ok(D[name].head_user_id, `${name} has a head`);
      assert.equal(D[name].liaison_user_ids.length, 1, `${name} has one liaison`);
      const members = users.filter((u) => u.department_id === D[name].id).map((u) => u.id);
      assert.ok(members.includes(D[name].head_user_id) && members.includes(D[name].liaison_user_ids[0]), `${name}: head and liaison are members`);
      assert.ok(members.length >= 3 || name === '总经办', `${name} has ordinary members too`);
    }
    // Clearances: heads confidential, 张伟 and 郑华 secret, the rest internal.
    assert.equal(U.zhangwei.clearance, 'secret');
    assert.equal(U.zhenghua.clearance, 'secret');
    assert.equal(U.liqiang.clearance, 'confidential');
    assert.equal(U.wangfang.clearance, 'internal');
    for (const u of users.filter((x) => x.login !== 'admin')) {
      assert.equal(u.email, `${u.login}@xinghe.example.com`);
      assert.equal(u.is_admin, false);
    }
  });

  it('lets every demo user sign in with demo1234', async () => {
    for (const l of scenario) await new Client(s).login(l, DEMO_PASSWORD);
  });

  it('does not add the demo twice to a store that has people', () => {
    const r = run('init', '--db', s.db, '--demo');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /demo data not added/);
  });
});

describe('liaison user and dept', () => {
  it('adds and lists departments and users', () => {
    const db = freshStore();
    let r = run('dept', 'add', '--db', db, '--name', '星河科技有限公司');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^created 星河科技有限公司 \d+$/m);
    r = run('dept', 'add', '--db', db, '--name', '市场部', '--parent', '星河科技有限公司');
    assert.equal(r.status, 0, r.stderr);
    r = run('user', 'add', '--db', db, '--login', 'liqiang', '--name', '李强', '--email', 'liqiang@xinghe.example.com',
      '--department', '市场部', '--password', 'liqiang-pass-1', '--clearance', 'confidential');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^created liqiang \d+$/m);
    r = run('user', 'add', '--db', db, '--login=zhenghua', '--name=郑华', '--coordinator');
    assert.equal(r.status, 0, r.stderr);
    r = run('dept', 'add', '--db', db, '--name', '平台部', '--parent', '星河科技有限公司', '--head', 'liqiang');
    assert.equal(r.status, 0, r.stderr);
    const list = run('user', 'list', '--db', db).stdout;
    assert.match(list, /liqiang\s+李强\s+liqiang@xinghe\.example\.com/);
    assert.match(list, /zhenghua\s+郑华.*coordinator/);
    assert.match(list, /admin\s+Administrator.*admin/);
    const tree = deptList(db);
    assert.match(tree, /^\s*\d+  星河科技有限公司$/m);
    assert.match(tree, /^\s*\d+    市场部$/m);
    assert.match(tree, /^\s*\d+    平台部  — head: 李强$/m);
  });

  it('reports refused operations with exit 1 naming the field', () => {
    const db = freshStore();
    let r = run('user', 'add', '--db', db, '--login', 'x1', '--name', 'X', '--email', 'nope');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^liaison user: email: /);
    r = run('user', 'add', '--db', db, '--login', 'admin', '--name', 'X');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /login: there is already a user with login 'admin'/);
    assert.equal(run('dept', 'add', '--db', db, '--name', '市场部').status, 0);
    r = run('dept', 'add', '--db', db, '--name', '市场部');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^liaison dept: name: /);
  });

  it('answers bad arguments with exit 2 and one line naming the argument', () => {
    const db = freshStore();
    const cases = [
      [['user'], 'user', /say 'add', 'passwd' or 'list'/],
      [['user', 'remove', '--db', db], 'user', /say 'add', 'passwd' or 'list'/],
      [['user', 'passwd', '--db', db], 'user', /--login is required/],
      [['user', 'add', '--db', db, '--name', 'X'], 'user', /--login is required/],
      [['user', 'add', '--db', db, '--login', 'x1'], 'user', /--name is required/],
      [['user', 'add', '--db', db, '--login', 'x1', '--name', 'X', '--bogus'], 'user', /unknown argument '--bogus'/],
      [['user', 'add', '--db', db, '--login', 'x1', '--name', 'X', '--department', '没有这个部门'], 'user', /--department: no department '没有这个部门'/],
      [['user', 'add', '--db', db, '--login'], 'user', /--login needs a value/],
      [['user', 'list', '--db', db, '--login', 'x'], 'user', /unknown argument '--login'/],
      [['dept'], 'dept', /say 'add' or 'list'/],
      [['dept', 'add', '--db', db], 'dept', /--name is required/],
      [['dept', 'add', '--db', db, '--name', 'A', '--parent', '没有'], 'dept', /--parent: no department '没有'/],
      [['dept', 'add', '--db', db, '--name', 'A', '--head', 'nobody'], 'dept', /--head: no user with login 'nobody'/],
      [['dept', 'list', '--db', db, 'extra'], 'dept', /unknown argument 'extra'/],
      [['dept', 'list'], 'dept', /--db is required/],
    ];
    for (const [args, cmd, msg] of cases) {
      const r = run(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.ok(r.stderr.startsWith(`liaison ${cmd}: `), r.stderr);
      assert.match(r.stderr, msg);
    }
    assert.deepEqual(logins(db), ['admin']);
    assert.equal(deptList(db).trim(), '');
  });
});

describe('liaison schema', () => {
  it('prints every migration for SQLite or PostgreSQL, rendered from one source', () => {
    const version = run('version').stdout.match(/schema (\d+)/)[1];
    const lite = run('schema');
    assert.equal(lite.status, 0, lite.stderr);
    assert.deepEqual(run('schema', '--dialect', 'sqlite').stdout, lite.stdout);
    const pg = run('schema', '--dialect', 'postgres');
    assert.equal(pg.status, 0, pg.stderr);
    for (const out of [lite.stdout, pg.stdout]) {
      assert.equal([...out.matchAll(/^-- migration \d+: /gm)].length, Number(version), out);
      assert.match(out, /^CREATE TABLE IF NOT EXISTS schema_migrations/m);
      assert.doesNotMatch(out, /[{}]/, 'no token is left');
    }
    // SQLite keeps its rowid keys; PostgreSQL gets identities, the head's key once users exists, pg_trgm.
    assert.match(lite.stdout, /^ {2}id INTEGER PRIMARY KEY AUTOINCREMENT,$/m);
    assert.match(lite.stdout, /head_user_id BIGINT REFERENCES users\(id\) DEFERRABLE INITIALLY DEFERRED,/);
    assert.match(lite.stdout, /CREATE VIRTUAL TABLE requests_fts USING fts5/);
    assert.doesNotMatch(pg.stdout, /AUTOINCREMENT|fts5/);
    assert.match(pg.stdout, /^ {2}id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,$/m);
    assert.match(pg.stdout, /ALTER TABLE departments ADD CONSTRAINT departments_head_user_id_fkey FOREIGN KEY \(head_user_id\)/);
    assert.match(pg.stdout, /CREATE EXTENSION IF NOT EXISTS pg_trgm;/);
    const bad = run('schema', '--dialect', 'oracle');
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, "liaison schema: --dialect is sqlite or postgres, not 'oracle'\n");
  });
});
