// Departments: create, list and page, get, validation, duplicates, If-Match, cycles, permissions,
// liaisons, delete, history, and the body limits every route shares.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, adminClient, Client } from '../lib/server.js';
import { problemAsserter, ifMatch } from '../lib/helpers.js';

const assertProblem = problemAsserter({ type: true });

const DEPT = '/api/v1/departments';

describe('departments', () => {
  let server;
  let admin;
  // The whole list, following next_cursor.
  async function allDepartments(c = admin) {
    const out = [];
    let cursor = null;
    do {
      const r = await c.get(`${DEPT}?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(r.status, 200, r.text);
      out.push(...r.json.items);
      cursor = r.json.next_cursor;
    } while (cursor);
    return out;
  }
  async function create(body, c = admin) {
    const r = await c.post(DEPT, body);
    assert.equal(r.status, 201, r.text);
    return r.json;
  }
  async function createUser(login, extra = {}) {
    const password = `${login}-password-1`;
    const r = await admin.post('/api/v1/users', { login, name: `User ${login}`, password, ...extra });
    assert.equal(r.status, 201, r.text);
    const c = new Client(server);
    await c.login(login, password);
    return { ...r.json, c };
  }
  // Asserts the department is exactly as it was.
  async function assertUnchanged(before0) {
    const now = await admin.get(`${DEPT}/${before0.id}`);
    assert.equal(now.status, 200);
    assert.deepEqual(now.json, before0);
  }

  before(async () => {
    server = await startServer();
    admin = await adminClient(server);
  });
  after(async () => { await server?.stop(); });

  describe('create, get and list', () => {
    it('POST answers 201 with the department, Location and ETag "1"', async () => {
      const r = await admin.post(DEPT, { name: 'Company' });
      assert.equal(r.status, 201, r.text);
      assert.match(r.headers.get('content-type'), /^application\/json/);
      const d = r.json;
      assert.ok(Number.isInteger(d.id) && d.id > 0);
      assert.equal(d.name, 'Company');
      assert.equal(d.parent_id, null);
      assert.equal(d.head_user_id, null);
      assert.deepEqual(d.liaison_user_ids, []);
      assert.equal(d.version, 1);
      assert.ok(!Number.isNaN(Date.parse(d.created_at)) && !Number.isNaN(Date.parse(d.updated_at)));
      assert.equal(r.headers.get('location'), `${DEPT}/${d.id}`);
      assert.equal(r.headers.get('etag'), '"1"');
      const g = await admin.get(r.headers.get('location'));
      assert.equal(g.status, 200);
      assert.deepEqual(g.json, d);
      assert.equal(g.headers.get('etag'), '"1"');
    });

    it('POST with parent and head stores both', async () => {
      const root = (await allDepartments()).find((d) => d.name === 'Company');
      const head = await createUser('headless');
      const d = await create({ name: 'Child', parent_id: root.id, head_user_id: head.id });
      assert.equal(d.parent_id, root.id);
      assert.equal(d.head_user_id, head.id);
      // A 100-character name (CJK counts as one character each) is accepted.
      const long = await create({ name: '部'.repeat(100), parent_id: root.id });
      assert.equal(long.name, '部'.repeat(100));
      const ascii = await create({ name: 'n'.repeat(100), parent_id: root.id });
      assert.equal(ascii.name.length, 100);
    });

    it('GET /departments/{id} of an unknown id answers 404 not_found', async () => {
      assertProblem(await admin.get(`${DEPT}/987654`), 404, 'not_found');
      assertProblem(await admin.get(`${DEPT}/987654/history`), 404, 'not_found');
      assertProblem(await admin.patch(`${DEPT}/987654`, { name: 'x' }, ifMatch(1)), 404, 'not_found');
      assertProblem(await admin.put(`${DEPT}/987654/liaisons`, { user_ids: [] }, ifMatch(1)), 404, 'not_found');
      assertProblem(await admin.del(`${DEPT}/987654`, ifMatch(1)), 404, 'not_found');
    });

    it('GET /departments pages with limit and next_cursor', async () => {
      const parent = await create({ name: 'Paging' });
      for (let i = 0; i < 5; i++) await create({ name: `Page ${i}`, parent_id: parent.id });
      const all = await allDepartments();
      assert.ok(all.length >= 9);
      const ids = all.map((d) => d.id);
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'in id order');
      const seen = [];
      let cursor = null;
      let pages = 0;
      do {
        const r = await admin.get(`${DEPT}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(r.status, 200);
        assert.ok(r.json.items.length <= 2);
        assert.ok('next_cursor' in r.json);
        seen.push(...r.json.items.map((d) => d.id));
        cursor = r.json.next_cursor;
        if (cursor !== null) {
          assert.equal(typeof cursor, 'string');
          assert.equal(r.json.items.length, 2, 'a page before the last is full');
        }
        pages++;
      } while (cursor && pages < 100);
      assert.deepEqual(seen, ids, 'paging visits every department once, in order');
      assert.equal(pages, Math.ceil(ids.length / 2));
      const one = await admin.get(`${DEPT}?limit=${ids.length}`);
      assert.equal(one.json.items.length, ids.length);
      assert.equal(one.json.next_cursor, null);
      assertProblem(await admin.get(`${DEPT}?limit=0`), 400, 'bad_request', 'limit');
      assertProblem(await admin.get(`${DEPT}?limit=1001`), 400, 'bad_request', 'limit');
      assertProblem(await admin.get(`${DEPT}?limit=abc`), 400, 'bad_request', 'limit');
      assertProblem(await new Client(server).get(DEPT), 401, 'unauthenticated');
    });

    it('a non-admin may read but not create or change departments (403)', async () => {
      const nora = await createUser('nora');
      const before0 = await allDepartments();
      assert.equal((await nora.c.get(DEPT)).status, 200);
      const one = await nora.c.get(`${DEPT}/${before0[0].id}`);
      assert.equal(one.status, 200);
      assertProblem(await nora.c.post(DEPT, { name: 'By nora' }), 403, 'forbidden');
      assertProblem(await nora.c.patch(`${DEPT}/${before0[0].id}`, { name: 'Renamed by nora' }, ifMatch(one.json.version)), 403, 'forbidden');
      assertProblem(await nora.c.del(`${DEPT}/${before0[0].id}`, ifMatch(one.json.version)), 403, 'forbidden');
      assert.deepEqual(await allDepartments(), before0, 'nothing changed');
    });
  });

  describe('validation (422 with field)', () => {
    let parent;
    before(async () => { parent = await create({ name: 'Validation' }); });

    const cases = [
      ['missing name', () => ({}), 'required', 'name'],
      ['null name', () => ({ name: null }), 'required', 'name'],
      ['empty name', () => ({ name: '' }), 'required', 'name'],
      ['blank name', () => ({ name: '   ' }), 'required', 'name'],
      ['name over 100 characters', () => ({ name: 'x'.repeat(101) }), 'too_long', 'name'],
      ['CJK name over 100 characters', () => ({ name: '部'.repeat(101) }), 'too_long', 'name'],
      ['unknown field head_id', () => ({ name: 'Typo', head_id: 1 }), 'unknown_field', 'head_id'],
      ['name as number', () => ({ name: 42 }), 'invalid_type', 'name'],
      ['name as array', () => ({ name: ['x'] }), 'invalid_type', 'name'],
      ['parent_id as string', (p) => ({ name: 'Typed', parent_id: String(p.id) }), 'invalid_type', 'parent_id'],
      ['parent_id as fraction', () => ({ name: 'Typed', parent_id: 1.5 }), 'invalid_type', 'parent_id'],
      ['head_user_id as boolean', () => ({ name: 'Typed', head_user_id: true }), 'invalid_type', 'head_user_id'],
      ['parent_id of no department', () => ({ name: 'Orphan', parent_id: 987654 }), 'invalid_value', 'parent_id'],
      ['head_user_id of no user', () => ({ name: 'Headless', head_user_id: 987654 }), 'invalid_value', 'head_user_id'],
    ];
    for (const [what, body, code, field] of cases) {
      it(`${what} → 422 ${code} on ${field}, nothing created`, async () => {
        const before0 = await allDepartments();
        const r = await admin.post(DEPT, body(parent));
        assertProblem(r, 422, code, field);
        assert.deepEqual(await allDepartments(), before0);
      });
    }

    it('concurrent creates of the same name under one parent: one 201, the others 409 duplicate', async () => {
      const rs = await Promise.all([...Array(6)].map(() => admin.post(DEPT, { name: 'Racer', parent_id: parent.id })));
      assert.equal(rs.filter((r) => r.status === 201).length, 1, rs.map((r) => r.status).join(','));
      for (const r of rs) if (r.status !== 201) assertProblem(r, 409, 'duplicate', 'name');
      assert.equal((await allDepartments()).filter((d) => d.name === 'Racer').length, 1);
    });

    it('a body that is not an object → 422 invalid_type', async () => {
      assertProblem(await admin.post(DEPT, ['name']), 422, 'invalid_type');
    });

    it('a duplicate name among siblings → 409 duplicate; the same name elsewhere is fine', async () => {
      await create({ name: 'Twin', parent_id: parent.id });
      const before0 = await allDepartments();
      assertProblem(await admin.post(DEPT, { name: 'Twin', parent_id: parent.id }), 409, 'duplicate', 'name');
      assert.deepEqual(await allDepartments(), before0);
      const elsewhere = await create({ name: 'Twin' });
      assert.equal(elsewhere.parent_id, null);
      assertProblem(await admin.post(DEPT, { name: 'Twin' }), 409, 'duplicate', 'name');
    });
  });

  describe('PATCH with If-Match', () => {
    let root;
    let a;
    let a1;
    let a11;
    before(async () => {
      root = await create({ name: 'Tree' });
      a = await create({ name: 'A', parent_id: root.id });
      a1 = await create({ name: 'A1', parent_id: a.id });
      a11 = await create({ name: 'A11', parent_id: a1.id });
    });

    it('a rename with the current If-Match answers 200, version 2 and ETag "2"', async () => {
      const r = await admin.patch(`${DEPT}/${a.id}`, { name: 'A renamed' }, ifMatch(1));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.name, 'A renamed');
      assert.equal(r.json.version, 2);
      assert.equal(r.json.parent_id, root.id, 'other fields kept');
      assert.equal(r.headers.get('etag'), '"2"');
      assert.ok(Date.parse(r.json.updated_at) >= Date.parse(a.updated_at));
      const g = await admin.get(`${DEPT}/${a.id}`);
      assert.equal(g.json.name, 'A renamed');
      assert.equal(g.headers.get('etag'), '"2"');
      // Weak ETag syntax is accepted too.
      const w = await admin.patch(`${DEPT}/${a.id}`, { name: 'A' }, { headers: { 'if-match': 'W/"2"' } });
      assert.equal(w.status, 200, w.text);
      assert.equal(w.json.version, 3);
    });

    it('concurrent PATCHes with the same If-Match: exactly one wins, the others answer 412', async () => {
      const cur = (await admin.get(`${DEPT}/${a1.id}`)).json;
      const rs = await Promise.all([...Array(6)].map((_, i) =>
        admin.patch(`${DEPT}/${a1.id}`, { name: `A1 race ${i}` }, ifMatch(cur.version))));
      const won = rs.filter((r) => r.status === 200);
      assert.equal(won.length, 1, rs.map((r) => r.status).join(','));
      for (const r of rs) if (r.status !== 200) assertProblem(r, 412, 'precondition_failed');
      const now = (await admin.get(`${DEPT}/${a1.id}`)).json;
      assert.equal(now.version, cur.version + 1);
      assert.equal(now.name, won[0].json.name);
    });

    it('a stale If-Match answers 412 precondition_failed and nothing changes', async () => {
      const cur = (await admin.get(`${DEPT}/${a.id}`)).json;
      const r = await admin.patch(`${DEPT}/${a.id}`, { name: 'Lost update' }, ifMatch(cur.version - 1));
      assertProblem(r, 412, 'precondition_failed');
      await assertUnchanged(cur);
      const ahead = await admin.patch(`${DEPT}/${a.id}`, { name: 'Lost update' }, ifMatch(cur.version + 5));
      assertProblem(ahead, 412, 'precondition_failed');
      await assertUnchanged(cur);
    });

    it('PATCH without If-Match answers 428 if_match_required and nothing changes', async () => {
      const cur = (await admin.get(`${DEPT}/${a.id}`)).json;
      assertProblem(await admin.patch(`${DEPT}/${a.id}`, { name: 'No precondition' }), 428, 'if_match_required');
      await assertUnchanged(cur);
      assertProblem(await admin.patch(`${DEPT}/${a.id}`, { name: 'Bad precondition' }, { headers: { 'if-match': 'banana' } }), 400, 'bad_request');
      await assertUnchanged(cur);
    });

    it('PATCH validates like POST and changes nothing when refused', async () => {
      const cur = (await admin.get(`${DEPT}/${a.id}`)).json;
      const v = cur.version;
      assertProblem(await admin.patch(`${DEPT}/${a.id}`, { name: '' }, ifMatch(v)), 422, 'required', 'name');
      assertProblem(await admin.patch(`${DEPT}/${a.id}`, { name: null }, ifMatch(v)), 422, 'required', 'name');
      assertProblem(await admin.patch(`${DEPT}/${a.id}`, { name: 'y'.repeat(101) }, ifMatch(v)), 422, 'too_long', 'name');
      assertProblem(await admin.patch(`${DEPT}/${a.id}`, { title: 'x' }, ifMatch(v)), 422, 'unknown_field', 'title');
      assertProblem(await admin.patch(`${DEPT}/${a.id}`, { parent_id: 'x' }, ifMatch(v)), 422, 'invalid_type', 'parent_id');
      assertProblem(await admin.patch(`${DEPT}/${a.id}`, { parent_id: 987654 }, ifMatch(v)), 422, 'invalid_value', 'parent_id');
      assertProblem(await admin.patch(`${DEPT}/${a.id}`, { head_user_id: 987654 }, ifMatch(v)), 422, 'invalid_value', 'head_user_id');
      const sibling = await create({ name: 'B', parent_id: root.id });
      assertProblem(await admin.patch(`${DEPT}/${a.id}`, { name: 'B' }, ifMatch(v)), 409, 'duplicate', 'name');
      assertProblem(await admin.patch(`${DEPT}/${sibling.id}`, { name: 'A' }, ifMatch(1)), 409, 'duplicate', 'name');
      await assertUnchanged(cur);
    });

    it('making a department its own parent → 422 cycle on parent_id', async () => {
      const cur = (await admin.get(`${DEPT}/${a.id}`)).json;
      assertProblem(await admin.patch(`${DEPT}/${a.id}`, { parent_id: a.id }, ifMatch(cur.version)), 422, 'cycle', 'parent_id');
      await assertUnchanged(cur);
    });

    it('moving a department under its own descendant → 422 cycle on parent_id', async () => {
      const cur = (await admin.get(`${DEPT}/${a.id}`)).json;
      assertProblem(await admin.patch(`${DEPT}/${a.id}`, { parent_id: a1.id }, ifMatch(cur.version)), 422, 'cycle', 'parent_id');
      assertProblem(await admin.patch(`${DEPT}/${a.id}`, { parent_id: a11.id }, ifMatch(cur.version)), 422, 'cycle', 'parent_id');
      const top = (await admin.get(`${DEPT}/${root.id}`)).json;
      assertProblem(await admin.patch(`${DEPT}/${root.id}`, { parent_id: a11.id }, ifMatch(top.version)), 422, 'cycle', 'parent_id');
      await assertUnchanged(cur);
      await assertUnchanged(top);
      // Moving a descendant up is fine, and so is making it a root.
      const up = await admin.patch(`${DEPT}/${a11.id}`, { parent_id: root.id }, ifMatch(1));
      assert.equal(up.status, 200, up.text);
      assert.equal(up.json.parent_id, root.id);
      const toRoot = await admin.patch(`${DEPT}/${a11.id}`, { parent_id: null }, ifMatch(2));
      assert.equal(toRoot.status, 200, toRoot.text);
      assert.equal(toRoot.json.parent_id, null);
    });
  });

  describe('liaisons (PUT /departments/{id}/liaisons)', () => {
    let dept;
    let head;
    let m1;
    let m2;
    let outsider;
    before(async () => {
      head = await createUser('lhead');
      dept = await create({ name: 'Liaised', head_user_id: head.id });
      m1 = await createUser('lmember1', { department_id: dept.id });
      m2 = await createUser('lmember2', { department_id: dept.id });
      outsider = await createUser('loutsider');
    });

    it('an admin replaces the liaisons with If-Match: 200, version grows', async () => {
      const r = await admin.put(`${DEPT}/${dept.id}/liaisons`, { user_ids: [m1.id, m2.id] }, ifMatch(1));
      assert.equal(r.status, 200, r.text);
      assert.deepEqual([...r.json.liaison_user_ids].sort(), [m1.id, m2.id].sort());
      assert.equal(r.json.version, 2);
      assert.equal(r.headers.get('etag'), '"2"');
      const g = await admin.get(`${DEPT}/${dept.id}`);
      assert.deepEqual([...g.json.liaison_user_ids].sort(), [m1.id, m2.id].sort());
    });

    it('the department\'s head may replace them too', async () => {
      const r = await head.c.put(`${DEPT}/${dept.id}/liaisons`, { user_ids: [m2.id] }, ifMatch(2));
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.liaison_user_ids, [m2.id]);
      assert.equal(r.json.version, 3);
    });

    it('another non-admin (even a member) gets 403 and nothing changes', async () => {
      const cur = (await admin.get(`${DEPT}/${dept.id}`)).json;
      assertProblem(await outsider.c.put(`${DEPT}/${dept.id}/liaisons`, { user_ids: [m1.id] }, ifMatch(cur.version)), 403, 'forbidden');
      assertProblem(await m2.c.put(`${DEPT}/${dept.id}/liaisons`, { user_ids: [m1.id] }, ifMatch(cur.version)), 403, 'forbidden');
      await assertUnchanged(cur);
    });

    it('a user who is not a member answers 422 on user_ids and nothing changes', async () => {
      const cur = (await admin.get(`${DEPT}/${dept.id}`)).json;
      const r = await admin.put(`${DEPT}/${dept.id}/liaisons`, { user_ids: [m1.id, outsider.id] }, ifMatch(cur.version));
      assert.equal(r.status, 422, r.text);
      assert.equal(r.json.field, 'user_ids');
      assertProblem(await admin.put(`${DEPT}/${dept.id}/liaisons`, { user_ids: [987654] }, ifMatch(cur.version)), 422, 'invalid_value', 'user_ids');
      assertProblem(await admin.put(`${DEPT}/${dept.id}/liaisons`, { user_ids: ['x'] }, ifMatch(cur.version)), 422, 'invalid_type', 'user_ids');
      assertProblem(await admin.put(`${DEPT}/${dept.id}/liaisons`, { user_ids: [m1.id], extra: 1 }, ifMatch(cur.version)), 422, 'unknown_field', 'extra');
      assertProblem(await admin.put(`${DEPT}/${dept.id}/liaisons`, {}, ifMatch(cur.version)), 422, 'required', 'user_ids');
      await assertUnchanged(cur);
    });

    it('a stale If-Match answers 412 and nothing changes; none answers 428', async () => {
      const cur = (await admin.get(`${DEPT}/${dept.id}`)).json;
      assertProblem(await admin.put(`${DEPT}/${dept.id}/liaisons`, { user_ids: [m1.id] }, ifMatch(cur.version - 1)), 412, 'precondition_failed');
      assertProblem(await head.c.put(`${DEPT}/${dept.id}/liaisons`, { user_ids: [m1.id] }, ifMatch(1)), 412, 'precondition_failed');
      assertProblem(await admin.put(`${DEPT}/${dept.id}/liaisons`, { user_ids: [m1.id] }), 428, 'if_match_required');
      await assertUnchanged(cur);
    });

    it('a liaison who moves to another department is no longer its liaison', async () => {
      const other = await create({ name: 'Elsewhere' });
      const mover = await createUser('lmover', { department_id: dept.id });
      const cur = (await admin.get(`${DEPT}/${dept.id}`)).json;
      const set = await admin.put(`${DEPT}/${dept.id}/liaisons`, { user_ids: [mover.id] }, ifMatch(cur.version));
      assert.equal(set.status, 200, set.text);
      const moved = await admin.patch(`/api/v1/users/${mover.id}`, { department_id: other.id }, ifMatch(mover.version));
      assert.equal(moved.status, 200, moved.text);
      const now = (await admin.get(`${DEPT}/${dept.id}`)).json;
      // PUT refuses liaisons who are not members (422); a move must not leave one behind either.
      assert.ok(!now.liaison_user_ids.includes(mover.id),
        `user ${mover.id} now belongs to department ${other.id} but is still listed as a liaison of ${dept.id}: ${JSON.stringify(now.liaison_user_ids)}`);
    });

    it('an empty list removes every liaison', async () => {
      const cur = (await admin.get(`${DEPT}/${dept.id}`)).json;
      const r = await admin.put(`${DEPT}/${dept.id}/liaisons`, { user_ids: [] }, ifMatch(cur.version));
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.liaison_user_ids, []);
    });
  });

  describe('history', () => {
    it('lists create, update and liaisons with actor and before/after', async () => {
      const head = await createUser('hhead');
      const d = await create({ name: 'Historic', head_user_id: head.id });
      const member = await createUser('hmember', { department_id: d.id });
      const u = await admin.patch(`${DEPT}/${d.id}`, { name: 'Historic 2' }, ifMatch(1));
      assert.equal(u.status, 200);
      const l = await head.c.put(`${DEPT}/${d.id}/liaisons`, { user_ids: [member.id] }, ifMatch(2));
      assert.equal(l.status, 200, l.text);
      const refused = await admin.patch(`${DEPT}/${d.id}`, { name: 'Never' }, ifMatch(1));
      assert.equal(refused.status, 412);
      const h = await head.c.get(`${DEPT}/${d.id}/history`);
      assert.equal(h.status, 200, h.text);
      const items = h.json.items;
      assert.deepEqual(items.map((e) => e.action), ['create', 'update', 'liaisons'], 'refused changes are not recorded');
      for (const e of items) {
        assert.ok(Number.isInteger(e.id));
        assert.ok(!Number.isNaN(Date.parse(e.at)), e.at);
      }
      const [c, up, li] = items;
      assert.equal(c.actor_id, admin.user.id);
      assert.equal(c.actor_name, admin.user.name);
      assert.equal(c.before, null);
      assert.equal(c.after.name, 'Historic');
      assert.equal(c.after.head_user_id, head.id);
      assert.equal(up.actor_id, admin.user.id);
      assert.equal(up.before.name, 'Historic');
      assert.equal(up.after.name, 'Historic 2');
      assert.equal(up.before.version, 1);
      assert.equal(up.after.version, 2);
      assert.equal(li.actor_id, head.id);
      assert.equal(li.actor_name, head.name);
      assert.deepEqual(li.before.liaison_user_ids, []);
      assert.deepEqual(li.after.liaison_user_ids, [member.id]);
    });
  });

  describe('DELETE', () => {
    it('answers 409 conflict while the department has sub-departments or members, 204 when empty', async () => {
      const top = await create({ name: 'Doomed' });
      const child = await create({ name: 'Doomed child', parent_id: top.id });
      const member = await createUser('doomedmember', { department_id: child.id });
      assertProblem(await admin.del(`${DEPT}/${top.id}`, ifMatch(1)), 409, 'conflict');
      assertProblem(await admin.del(`${DEPT}/${child.id}`, ifMatch(1)), 409, 'conflict');
      assert.equal((await admin.get(`${DEPT}/${top.id}`)).status, 200);
      assert.equal((await admin.get(`${DEPT}/${child.id}`)).status, 200);
      // Move the member out, then the child can go, then the parent.
      const mu = await admin.patch(`/api/v1/users/${member.id}`, { department_id: null }, ifMatch(1));
      assert.equal(mu.status, 200, mu.text);
      assertProblem(await admin.del(`${DEPT}/${child.id}`), 428, 'if_match_required');
      assertProblem(await admin.del(`${DEPT}/${child.id}`, ifMatch(7)), 412, 'precondition_failed');
      assert.equal((await admin.get(`${DEPT}/${child.id}`)).status, 200);
      const d1 = await admin.del(`${DEPT}/${child.id}`, ifMatch(1));
      assert.equal(d1.status, 204, d1.text);
      assert.equal(d1.text, '');
      assertProblem(await admin.get(`${DEPT}/${child.id}`), 404, 'not_found');
      assert.equal((await admin.del(`${DEPT}/${top.id}`, ifMatch(1))).status, 204);
      assertProblem(await admin.get(`${DEPT}/${top.id}`), 404, 'not_found');
      assert.ok(!(await allDepartments()).some((d) => d.id === top.id || d.id === child.id));
    });

    it('a department created after a delete gets a new id and a history of its own', async () => {
      const gone = await create({ name: 'Short-lived' });
      assert.equal((await admin.patch(`${DEPT}/${gone.id}`, { name: 'Short-lived 2' }, ifMatch(1))).status, 200);
      assert.equal((await admin.del(`${DEPT}/${gone.id}`, ifMatch(2))).status, 204);
      const fresh = await create({ name: 'Newcomer' });
      const h = await admin.get(`${DEPT}/${fresh.id}/history`);
      assert.equal(h.status, 200);
      assert.deepEqual(h.json.items.map((e) => [e.action, e.after?.name ?? null]), [['create', 'Newcomer']],
        'the new department does not inherit the deleted one\'s history');
      assert.notEqual(fresh.id, gone.id, 'the id of a deleted department is not given to a new one');
    });
  });

  describe('bodies: JSON, UTF-8, size and depth limits', () => {
    const json = { 'content-type': 'application/json' };

    it('malformed JSON → 400 malformed_json, nothing created', async () => {
      const before0 = await allDepartments();
      for (const raw of ['{"name":', '{name: "x"}', '{"name":"x"} trailing', "{'name':'x'}", '{"name":"a","name":"b"}', '']) {
        assertProblem(await admin.req('POST', DEPT, { raw, headers: json }), 400, 'malformed_json');
      }
      assert.deepEqual(await allDepartments(), before0);
    });

    it('bytes that are not UTF-8 → 400 invalid_utf8, nothing created', async () => {
      const before0 = await allDepartments();
      const bodies = [
        Buffer.concat([Buffer.from('{"name":"Bad '), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
        Buffer.concat([Buffer.from('{"name":"Overlong '), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
        Buffer.concat([Buffer.from('{"name":"Surrogate '), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
        Buffer.concat([Buffer.from('{"name":"Cut '), Buffer.from([0xe9, 0x83]), Buffer.from('"}')]),
      ];
      for (const raw of bodies) assertProblem(await admin.req('POST', DEPT, { raw, headers: json }), 400, 'invalid_utf8');
      assert.deepEqual(await allDepartments(), before0);
      // Proper UTF-8 is fine.
      assert.equal((await admin.req('POST', DEPT, { raw: Buffer.from('{"name":"研发部"}'), headers: json })).status, 201);
    });

    it('a body over 1 MiB → 413 body_too_large, answered without reading the rest', async () => {
      // Declared too large: the server answers before the body is sent (a plain socket, because fetch
      // fails with EPIPE when the server closes while it still writes).
      const res = await new Promise((resolve, reject) => {
        const s = net.connect(server.port, '127.0.0.1', () => {
          s.write(`POST ${DEPT} HTTP/1.1\r\nHost: test\r\nCookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrf}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${1024 * 1024 + 1}\r\n\r\n{"name":"`);
        });
        let buf = '';
        s.on('data', (d) => { buf += d; });
        s.on('end', () => resolve(buf));
        s.on('error', reject);
        s.setTimeout(5000, () => { s.destroy(); reject(new Error('no answer to a too-large body')); });
      });
      const [head, body] = res.split('\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 413 /);
      assert.match(head, /content-type: application\/problem\+json/i);
      assert.match(head, /x-request-id: \S+/i);
      assert.equal(JSON.parse(body).code, 'body_too_large');
    });

    it('a chunked body that grows over 1 MiB → 413 body_too_large', async () => {
      const before0 = await allDepartments();
      const res = await new Promise((resolve, reject) => {
        const s = net.connect(server.port, '127.0.0.1', async () => {
          s.write(`POST ${DEPT} HTTP/1.1\r\nHost: test\r\nCookie: ${admin.cookie}\r\nX-CSRF-Token: ${admin.csrf}\r\n` +
            'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n');
          const chunk = `{"name":"${'x'.repeat(64 * 1024)}`;
          for (let i = 0; i < 18; i++) s.write(`${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`);
          s.write('0\r\n\r\n');
        });
        let buf = '';
        s.on('data', (d) => { buf += d; });
        s.on('end', () => resolve(buf));
        s.on('error', (e) => (buf ? resolve(buf) : reject(e)));
        s.setTimeout(5000, () => { s.destroy(); reject(new Error('no answer to a too-large chunked body')); });
      });
      assert.match(res, /^HTTP\/1\.1 413 /);
      assert.match(res, /"code":"body_too_large"/);
      assert.deepEqual(await allDepartments(), before0);
    });

    it('a body of exactly 1 MiB is read (then refused for its content, not its size)', async () => {
      const prefix = '{"name":"';
      const raw = `${prefix}${'x'.repeat(1024 * 1024 - prefix.length - 2)}"}`;
      assert.equal(Buffer.byteLength(raw), 1024 * 1024);
      const r = await admin.req('POST', DEPT, { raw, headers: json });
      assertProblem(r, 422, 'too_long');
    });

    it('JSON nested 40 deep → 422 too_deep; 32 deep is allowed', async () => {
      const before0 = await allDepartments();
      const nest = (n) => `{"name":${'['.repeat(n - 1)}${']'.repeat(n - 1)}}`;
      assertProblem(await admin.req('POST', DEPT, { raw: nest(40), headers: json }), 422, 'too_deep');
      assertProblem(await admin.req('POST', DEPT, { raw: nest(33), headers: json }), 422, 'too_deep');
      // Brackets inside strings do not count.
      assert.equal((await admin.req('POST', DEPT, { raw: `{"name":"${'['.repeat(40)}"}`, headers: json })).status, 201);
      // 32 levels pass the depth check and fail on the type of name.
      assertProblem(await admin.req('POST', DEPT, { raw: nest(32), headers: json }), 422, 'invalid_type', 'name');
      const deepObj = `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`;
      assertProblem(await admin.req('POST', DEPT, { raw: deepObj, headers: json }), 422, 'too_deep');
      const after0 = await allDepartments();
      assert.equal(after0.length, before0.length + 1);
    });
  });
});
