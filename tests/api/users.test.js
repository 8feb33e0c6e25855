// Users: create and validation, list with q / department_id / paging, get, PATCH by administrators and
// by users themselves, password changes, self-protection of administrators, and history.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, adminClient, Client, ADMIN_PASSWORD } from '../lib/server.js';
import { assertProblem, ifMatch } from '../lib/helpers.js';

const USERS = '/api/v1/users';
const USER_KEYS = ['id', 'login', 'name', 'email', 'department_id', 'is_admin', 'is_coordinator', 'clearance', 'active',
  'version', 'created_at', 'updated_at'];

describe('users', () => {
  let server;
  let admin;
  let sales;
  let research;

  async function allUsers(query = '') {
    const out = [];
    let cursor = null;
    do {
      const sep = query ? '&' : '';
      const r = await admin.get(`${USERS}?${query}${sep}limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200, r.text);
      out.push(...r.json.items);
      cursor = r.json.next_cursor;
    } while (cursor);
    return out;
  }
  async function createUser(login, extra = {}) {
    const password = extra.password ?? `${login}-password-1`;
    const r = await admin.post(USERS, { login, name: `User ${login}`, password, ...extra });
    assert.equal(r.status, 201, r.text);
    return { ...r.json, password };
  }
  async function signIn(login, password) {
    const c = new Client(server);
    await c.login(login, password);
    return c;
  }
  async function trySignIn(login, password) {
    return new Client(server).post('/api/v1/session', { login, password });
  }
  async function current(id) {
    const r = await admin.get(`${USERS}/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  }
  async function assertUnchanged(u) {
    assert.deepEqual(await current(u.id), Object.fromEntries(USER_KEYS.map((k) => [k, u[k]])));
  }

  before(async () => {
    server = await startServer();
    admin = await adminClient(server);
    sales = (await admin.post('/api/v1/departments', { name: 'Sales' })).json;
    research = (await admin.post('/api/v1/departments', { name: 'Research' })).json;
  });
  after(async () => { await server?.stop(); });

  describe('create', () => {
    it('POST answers 201 with the user, Location and ETag, and never the password', async () => {
      const password = 'carol-secret-pw-9';
      const r = await admin.post(USERS, {
        login: 'carol', name: 'Carol Chen', email: 'carol@example.com', department_id: sales.id, password,
        is_coordinator: true, clearance: 'confidential',
      });
      assert.equal(r.status, 201, r.text);
      const u = r.json;
      assert.deepEqual(Object.keys(u).sort(), [...USER_KEYS].sort(), 'exactly the documented fields');
      assert.equal(u.login, 'carol');
      assert.equal(u.name, 'Carol Chen');
      assert.equal(u.email, 'carol@example.com');
      assert.equal(u.department_id, sales.id);
      assert.equal(u.is_admin, false);
      assert.equal(u.is_coordinator, true);
      assert.equal(u.clearance, 'confidential');
      assert.equal(u.active, true);
      assert.equal(u.version, 1);
      assert.equal(r.headers.get('location'), `${USERS}/${u.id}`);
      assert.equal(r.headers.get('etag'), '"1"');
      assert.ok(!r.text.includes(password), 'the password is not echoed');
      const g = await admin.get(`${USERS}/${u.id}`);
      assert.deepEqual(g.json, u);
      assert.ok(!g.text.includes(password));
      assert.ok(!(await admin.get(USERS)).text.includes(password));
      const h = await admin.get(`${USERS}/${u.id}/history`);
      assert.ok(!h.text.includes(password) && !/argon2|password_hash/.test(h.text), 'no password or hash in the history');
      // The password works.
      assert.equal((await trySignIn('carol', password)).status, 200);
    });

    it('defaults: clearance internal, not admin, not coordinator, active, no department, empty email', async () => {
      const u = await createUser('dave');
      assert.equal(u.clearance, 'internal');
      assert.equal(u.is_admin, false);
      assert.equal(u.is_coordinator, false);
      assert.equal(u.active, true);
      assert.equal(u.department_id, null);
      assert.equal(u.email, '');
      for (const c of ['public', 'secret']) assert.equal((await createUser(`clear-${c}`, { clearance: c })).clearance, c);
    });

    it('a duplicate login answers 409 duplicate on login, nothing created', async () => {
      await createUser('erin');
      const before0 = await allUsers();
      assertProblem(await admin.post(USERS, { login: 'erin', name: 'Other Erin', password: 'erin-other-pw' }), 409, 'duplicate', 'login');
      assertProblem(await admin.post(USERS, { login: 'admin', name: 'Second admin', password: 'admin-other-pw' }), 409, 'duplicate', 'login');
      assert.deepEqual(await allUsers(), before0);
    });

    it('concurrent creates of one login: one 201, the others 409 duplicate', async () => {
      const rs = await Promise.all([...Array(6)].map((_, i) =>
        admin.post(USERS, { login: 'racer', name: `Racer ${i}`, password: 'racer-password-1' })));
      assert.equal(rs.filter((r) => r.status === 201).length, 1, rs.map((r) => r.status).join(','));
      for (const r of rs) if (r.status !== 201) assertProblem(r, 409, 'duplicate', 'login');
      assert.equal((await allUsers('q=racer')).length, 1);
    });

    const invalid = [
      ['login with an upper-case letter', { login: 'Frank' }, 'invalid_value', 'login'],
      ['login with a space', { login: 'frank smith' }, 'invalid_value', 'login'],
      ['login with @', { login: 'frank@example' }, 'invalid_value', 'login'],
      ['login with CJK characters', { login: '王芳' }, 'invalid_value', 'login'],
      ['login of one character', { login: 'f' }, 'invalid_value', 'login'],
      ['login over 64 characters', { login: 'f'.repeat(65) }, 'too_long', 'login'],
      ['missing login', { login: undefined }, 'required', 'login'],
      ['empty login', { login: '' }, 'required', 'login'],
      ['missing name', { name: undefined }, 'required', 'name'],
      ['blank name', { name: '  ' }, 'required', 'name'],
      ['name over 100 characters', { name: '名'.repeat(101) }, 'too_long', 'name'],
      ['password of 7 characters', { password: 'seven77' }, 'weak_password', 'password'],
      ['password of 2 characters', { password: 'ab' }, 'weak_password', 'password'],
      ['email without @', { email: 'frank.example.com' }, 'invalid_value', 'email'],
      ['email without a dot in the domain', { email: 'frank@localhost' }, 'invalid_value', 'email'],
      ['email with a space', { email: 'frank smith@example.com' }, 'invalid_value', 'email'],
      ['email with two @', { email: 'frank@@example.com' }, 'invalid_value', 'email'],
      ['clearance not in the set', { clearance: 'top-secret' }, 'invalid_value', 'clearance'],
      ['clearance in capitals', { clearance: 'Secret' }, 'invalid_value', 'clearance'],
      ['unknown department_id', { department_id: 987654 }, 'invalid_value', 'department_id'],
      ['department_id as string', { department_id: '1' }, 'invalid_type', 'department_id'],
      ['is_admin as string', { is_admin: 'yes' }, 'invalid_type', 'is_admin'],
      ['clearance as number', { clearance: 2 }, 'invalid_type', 'clearance'],
      ['unknown field', { role: 'admin' }, 'unknown_field', 'role'],
    ];
    for (const [what, patch, code, field] of invalid) {
      it(`${what} → 422 ${code} on ${field}, nothing created`, async () => {
        const before0 = await allUsers();
        const body = { login: 'frank', name: 'Frank', password: 'frank-password-1', ...patch };
        for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
        assertProblem(await admin.post(USERS, body), 422, code, field);
        assert.deepEqual(await allUsers(), before0);
      });
    }

    it('a password of exactly 8 characters and logins with . _ - are accepted', async () => {
      const u = await createUser('f.r_a-nk2', { password: 'eight888' });
      assert.equal(u.login, 'f.r_a-nk2');
      assert.equal((await trySignIn('f.r_a-nk2', 'eight888')).status, 200);
    });

    it('a non-admin may not create users (403)', async () => {
      const plain = await createUser('plain');
      const c = await signIn('plain', plain.password);
      const before0 = await allUsers();
      assertProblem(await c.post(USERS, { login: 'sneaky', name: 'Sneaky', password: 'sneaky-pass-1', is_admin: true }), 403, 'forbidden');
      assert.deepEqual(await allUsers(), before0);
    });
  });

  describe('list and get', () => {
    before(async () => {
      await createUser('alice', { name: 'Alice Liddell', email: 'alice@wonder.example', department_id: research.id });
      await createUser('wangfang', { name: '王芳', department_id: sales.id });
      await createUser('wangwei', { name: '王伟', department_id: research.id });
      await createUser('fangzheng', { name: '方正' });
      await createUser('lichen', { name: '李晨', email: 'lc@corp.example', department_id: research.id });
    });
    const logins = (r) => r.json.items.map((u) => u.login).sort();

    it('q matches part of the name', async () => {
      const r = await admin.get(`${USERS}?q=Liddell`);
      assert.equal(r.status, 200);
      assert.deepEqual(logins(r), ['alice']);
    });

    it('q matches Chinese names', async () => {
      assert.deepEqual(logins(await admin.get(`${USERS}?q=${encodeURIComponent('王')}`)), ['wangfang', 'wangwei']);
      assert.deepEqual(logins(await admin.get(`${USERS}?q=${encodeURIComponent('芳')}`)), ['wangfang']);
      assert.deepEqual(logins(await admin.get(`${USERS}?q=${encodeURIComponent('李晨')}`)), ['lichen']);
      assert.deepEqual(logins(await admin.get(`${USERS}?q=${encodeURIComponent('赵')}`)), []);
    });

    it('q matches names whatever the case, as it does logins and e-mails', async () => {
      assert.deepEqual(logins(await admin.get(`${USERS}?q=ALICE%40WONDER`)), ['alice'], 'e-mail, any case');
      assert.deepEqual(logins(await admin.get(`${USERS}?q=Liddell`)), ['alice']);
      assert.deepEqual(logins(await admin.get(`${USERS}?q=liddell`)), ['alice'], 'name, lower case');
      assert.deepEqual(logins(await admin.get(`${USERS}?q=LIDDELL`)), ['alice'], 'name, upper case');
    });

    it('q matches part of the login and of the e-mail', async () => {
      assert.deepEqual(logins(await admin.get(`${USERS}?q=wang`)), ['wangfang', 'wangwei']);
      assert.deepEqual(logins(await admin.get(`${USERS}?q=fang`)), ['fangzheng', 'wangfang']);
      assert.deepEqual(logins(await admin.get(`${USERS}?q=WANGF`)), ['wangfang'], 'logins match whatever the case');
      assert.deepEqual(logins(await admin.get(`${USERS}?q=corp.example`)), ['lichen']);
    });

    it('department_id filters, alone and with q', async () => {
      const r = await admin.get(`${USERS}?department_id=${research.id}`);
      assert.equal(r.status, 200);
      assert.ok(r.json.items.every((u) => u.department_id === research.id));
      assert.deepEqual(logins(r), ['alice', 'lichen', 'wangwei']);
      assert.deepEqual(logins(await admin.get(`${USERS}?department_id=${research.id}&q=${encodeURIComponent('王')}`)), ['wangwei']);
      assert.deepEqual(logins(await admin.get(`${USERS}?department_id=987654`)), []);
      assertProblem(await admin.get(`${USERS}?department_id=abc`), 400, 'bad_request', 'department_id');
    });

    it('pages with limit and next_cursor, with and without filters', async () => {
      const all = await allUsers();
      assert.ok(all.length >= 8);
      const seen = [];
      let cursor = null;
      let pages = 0;
      do {
        const r = await admin.get(`${USERS}?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(r.status, 200);
        seen.push(...r.json.items.map((u) => u.id));
        if (r.json.next_cursor !== null) assert.equal(r.json.items.length, 3);
        cursor = r.json.next_cursor;
        pages++;
      } while (cursor && pages < 100);
      assert.deepEqual(seen, all.map((u) => u.id));
      // Filtered paging: one per page over the research department.
      const ids = [];
      cursor = null;
      do {
        const r = await admin.get(`${USERS}?department_id=${research.id}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        ids.push(...r.json.items.map((u) => u.login));
        cursor = r.json.next_cursor;
      } while (cursor && ids.length < 10);
      assert.deepEqual(ids.sort(), ['alice', 'lichen', 'wangwei']);
    });

    it('any signed-in user may list and get; GET of an unknown id answers 404', async () => {
      const fz = (await allUsers('q=fangzheng'))[0];
      const c = await signIn('fangzheng', 'fangzheng-password-1');
      const l = await c.get(`${USERS}?q=alice`);
      assert.equal(l.status, 200);
      assert.deepEqual(logins(l), ['alice']);
      const g = await c.get(`${USERS}/${fz.id}`);
      assert.equal(g.status, 200);
      assert.equal(g.headers.get('etag'), `"${fz.version}"`);
      assert.deepEqual(g.json, fz);
      assertProblem(await admin.get(`${USERS}/987654`), 404, 'not_found');
      assertProblem(await new Client(server).get(USERS), 401, 'unauthenticated');
    });
  });

  describe('PATCH by an administrator', () => {
    let gina;
    before(async () => { gina = await createUser('gina', { department_id: sales.id }); });

    it('changes any field with If-Match: 200, version 2, ETag "2"', async () => {
      const r = await admin.patch(`${USERS}/${gina.id}`, {
        name: 'Gina Ge', email: 'gina@example.com', department_id: research.id, clearance: 'secret', is_coordinator: true,
      }, ifMatch(1));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.name, 'Gina Ge');
      assert.equal(r.json.email, 'gina@example.com');
      assert.equal(r.json.department_id, research.id);
      assert.equal(r.json.clearance, 'secret');
      assert.equal(r.json.is_coordinator, true);
      assert.equal(r.json.login, 'gina');
      assert.equal(r.json.version, 2);
      assert.equal(r.headers.get('etag'), '"2"');
      assert.deepEqual(await current(gina.id), r.json);
      const moved = await admin.get(`${USERS}?department_id=${research.id}&q=gina`);
      assert.deepEqual(moved.json.items.map((u) => u.id), [gina.id]);
    });

    it('a stale If-Match answers 412 and nothing changes; none answers 428', async () => {
      const cur = await current(gina.id);
      assertProblem(await admin.patch(`${USERS}/${gina.id}`, { name: 'Lost' }, ifMatch(cur.version - 1)), 412, 'precondition_failed');
      assertProblem(await admin.patch(`${USERS}/${gina.id}`, { name: 'Lost' }), 428, 'if_match_required');
      await assertUnchanged(cur);
    });

    it('validates like create and changes nothing when refused', async () => {
      const cur = await current(gina.id);
      const v = cur.version;
      assertProblem(await admin.patch(`${USERS}/${gina.id}`, { email: 'nope' }, ifMatch(v)), 422, 'invalid_value', 'email');
      assertProblem(await admin.patch(`${USERS}/${gina.id}`, { clearance: 'cosmic' }, ifMatch(v)), 422, 'invalid_value', 'clearance');
      assertProblem(await admin.patch(`${USERS}/${gina.id}`, { department_id: 987654 }, ifMatch(v)), 422, 'invalid_value', 'department_id');
      assertProblem(await admin.patch(`${USERS}/${gina.id}`, { login: 'Gina' }, ifMatch(v)), 422, 'invalid_value', 'login');
      assertProblem(await admin.patch(`${USERS}/${gina.id}`, { login: 'carol' }, ifMatch(v)), 409, 'duplicate', 'login');
      assertProblem(await admin.patch(`${USERS}/${gina.id}`, { password: 'short' }, ifMatch(v)), 422, 'weak_password', 'password');
      assertProblem(await admin.patch(`${USERS}/${gina.id}`, { nickname: 'g' }, ifMatch(v)), 422, 'unknown_field', 'nickname');
      assertProblem(await admin.patch(`${USERS}/${gina.id}`, { active: 'no' }, ifMatch(v)), 422, 'invalid_type', 'active');
      await assertUnchanged(cur);
      assertProblem(await admin.patch(`${USERS}/987654`, { name: 'Nobody' }, ifMatch(1)), 404, 'not_found');
    });

    it('null for a field that cannot be empty answers 422 on that field and changes nothing', async () => {
      const cur = await current(gina.id);
      for (const f of ['login', 'name', 'is_admin', 'is_coordinator', 'active', 'clearance']) {
        const r = await admin.patch(`${USERS}/${gina.id}`, { [f]: null }, ifMatch(cur.version));
        assert.equal(r.status, 422, `PATCH {"${f}": null}: ${r.text}`);
        assertProblem(r, 422, ['required', 'invalid_type', 'invalid_value'], f);
      }
      await assertUnchanged(cur);
    });

    it('department_id null takes the user out of their department', async () => {
      const cur = await current(gina.id);
      const r = await admin.patch(`${USERS}/${gina.id}`, { department_id: null }, ifMatch(cur.version));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.department_id, null);
    });

    it('an administrator resetting a password signs the user out everywhere; the new password works', async () => {
      const c = await signIn('gina', gina.password);
      const cur = await current(gina.id);
      const r = await admin.patch(`${USERS}/${gina.id}`, { password: 'reset-by-admin-1' }, ifMatch(cur.version));
      assert.equal(r.status, 200, r.text);
      assert.ok(!r.text.includes('reset-by-admin-1'));
      assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated');
      assertProblem(await trySignIn('gina', gina.password), 401, 'invalid_credentials');
      assert.equal((await trySignIn('gina', 'reset-by-admin-1')).status, 200);
    });

    it('an administrator cannot deactivate themselves or drop their own admin rights (409)', async () => {
      const me = await current(admin.user.id);
      assertProblem(await admin.patch(`${USERS}/${me.id}`, { active: false }, ifMatch(me.version)), 409, 'conflict', 'active');
      assertProblem(await admin.patch(`${USERS}/${me.id}`, { is_admin: false }, ifMatch(me.version)), 409, 'conflict', 'is_admin');
      await assertUnchanged(me);
      assert.equal((await admin.get('/api/v1/me')).status, 200, 'still signed in');
      assert.equal((await trySignIn('admin', ADMIN_PASSWORD)).status, 200);
    });

    it('an administrator may deactivate and promote other users', async () => {
      const h = await createUser('henry');
      const r = await admin.patch(`${USERS}/${h.id}`, { active: false }, ifMatch(1));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.active, false);
      assertProblem(await trySignIn('henry', h.password), 401, 'invalid_credentials');
      const p = await admin.patch(`${USERS}/${h.id}`, { active: true, is_admin: true }, ifMatch(2));
      assert.equal(p.status, 200, p.text);
      const hc = await signIn('henry', h.password);
      assert.equal((await hc.post('/api/v1/departments', { name: 'Made by henry' })).status, 201);
    });
  });

  describe('PATCH by the user themselves', () => {
    let ivy;
    let ivyClient;
    let other;
    before(async () => {
      ivy = await createUser('ivy', { department_id: sales.id });
      other = await createUser('jack', { department_id: sales.id });
      ivyClient = await signIn('ivy', ivy.password);
    });

    it('may change their own name and e-mail', async () => {
      const r = await ivyClient.patch(`${USERS}/${ivy.id}`, { name: '艾薇 Ivy', email: 'ivy@example.org' }, ifMatch(1));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.name, '艾薇 Ivy');
      assert.equal(r.json.email, 'ivy@example.org');
      assert.equal(r.json.version, 2);
      assert.equal(r.json.department_id, sales.id);
      assert.equal((await ivyClient.get('/api/v1/me')).json.user.name, '艾薇 Ivy');
    });

    it('may not change is_admin, department_id, clearance, login or active (403) and nothing changes', async () => {
      const cur = await current(ivy.id);
      for (const body of [{ is_admin: true }, { department_id: research.id }, { clearance: 'secret' }, { login: 'ivy2' },
        { active: false }, { is_coordinator: true }, { name: 'Fine', is_admin: true }]) {
        const r = await ivyClient.patch(`${USERS}/${ivy.id}`, body, ifMatch(cur.version));
        assertProblem(r, 403, 'forbidden');
      }
      await assertUnchanged(cur);
    });

    it('may not change other users (403) and nothing changes', async () => {
      const cur = await current(other.id);
      assertProblem(await ivyClient.patch(`${USERS}/${other.id}`, { name: 'Hijacked' }, ifMatch(cur.version)), 403, 'forbidden');
      assertProblem(await ivyClient.patch(`${USERS}/${other.id}`, { password: 'hijacked-pw-1' }, ifMatch(cur.version)), 403, 'forbidden');
      assertProblem(await ivyClient.patch(`${USERS}/${admin.user.id}`, { name: 'Hijacked' }, ifMatch(1)), 403, 'forbidden');
      await assertUnchanged(cur);
      assert.equal((await trySignIn('jack', other.password)).status, 200);
    });

    it('a password change needs the right current_password (422 wrong_password), and nothing changes', async () => {
      const cur = await current(ivy.id);
      const wrong = await ivyClient.patch(`${USERS}/${ivy.id}`, { password: 'ivy-new-password', current_password: 'not-it' }, ifMatch(cur.version));
      assertProblem(wrong, 422, 'wrong_password', 'current_password');
      const missing = await ivyClient.patch(`${USERS}/${ivy.id}`, { password: 'ivy-new-password' }, ifMatch(cur.version));
      assertProblem(missing, 422, 'required', 'current_password');
      const weak = await ivyClient.patch(`${USERS}/${ivy.id}`, { password: 'short', current_password: ivy.password }, ifMatch(cur.version));
      assertProblem(weak, 422, 'weak_password', 'password');
      await assertUnchanged(cur);
      assertProblem(await trySignIn('ivy', 'ivy-new-password'), 401, 'invalid_credentials');
      assert.equal((await trySignIn('ivy', ivy.password)).status, 200);
    });

    it('with the right current_password the new password signs in and the old one does not', async () => {
      const cur = await current(ivy.id);
      const r = await ivyClient.patch(`${USERS}/${ivy.id}`, { password: 'ivy-new-password', current_password: ivy.password }, ifMatch(cur.version));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.version, cur.version + 1);
      assert.ok(!r.text.includes('ivy-new-password') && !r.text.includes(ivy.password));
      assert.equal((await ivyClient.get('/api/v1/me')).status, 200, 'the session that changed it goes on');
      assert.equal((await trySignIn('ivy', 'ivy-new-password')).status, 200);
      assertProblem(await trySignIn('ivy', ivy.password), 401, 'invalid_credentials');
    });
  });

  describe('history', () => {
    let kim;
    let kimClient;
    before(async () => {
      kim = await createUser('kim');
      kimClient = await signIn('kim', kim.password);
      assert.equal((await admin.patch(`${USERS}/${kim.id}`, { clearance: 'public' }, ifMatch(1))).status, 200);
      assert.equal((await kimClient.patch(`${USERS}/${kim.id}`, { name: 'Kim K' }, ifMatch(2))).status, 200);
    });

    it('administrators see it, with actor and before/after', async () => {
      const r = await admin.get(`${USERS}/${kim.id}/history`);
      assert.equal(r.status, 200, r.text);
      const items = r.json.items;
      assert.deepEqual(items.map((e) => e.action), ['create', 'update', 'update']);
      const [c, u1, u2] = items;
      assert.equal(c.actor_id, admin.user.id);
      assert.equal(c.actor_name, admin.user.name);
      assert.equal(c.before, null);
      assert.equal(c.after.login, 'kim');
      assert.equal(u1.before.clearance, 'internal');
      assert.equal(u1.after.clearance, 'public');
      assert.equal(u2.actor_id, kim.id);
      assert.equal(u2.actor_name, 'Kim K');
      assert.equal(u2.before.name, 'User kim');
      assert.equal(u2.after.name, 'Kim K');
      for (const e of items) assert.ok(!Number.isNaN(Date.parse(e.at)));
    });

    it('the user sees their own history', async () => {
      const r = await kimClient.get(`${USERS}/${kim.id}/history`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.items.length, 3);
    });

    it('other users get 403; an unknown user 404', async () => {
      const lee = await createUser('lee');
      const c = await signIn('lee', lee.password);
      assertProblem(await c.get(`${USERS}/${kim.id}/history`), 403, 'forbidden');
      assertProblem(await kimClient.get(`${USERS}/${admin.user.id}/history`), 403, 'forbidden');
      assertProblem(await admin.get(`${USERS}/987654/history`), 404, 'not_found');
    });
  });
});
