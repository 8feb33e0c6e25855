// Who may see a request (docs/requests.md, "Who may see a request"): confidential and secret requests
// only for participants whose clearance reaches the level — everyone else gets 404 on every route and
// never finds the request in lists, search, "My work" or the inbox; internal and public requests for
// everyone.  And the request list: filters status, department_id, mine, q, and paging.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../lib/server.js';
import { problemAsserter, RQ, ifMatch, shanghaiDate, startDemo, scenarioRequest } from '../lib/helpers.js';

const assertProblem = problemAsserter({ title: false, detail: false });

describe('visibility and lists', () => {
  let server;
  let admin;
  let as; // login -> signed-in client
  let D; // department name -> id
  let U; // login -> user id
  async function setClearance(login, clearance) {
    const u = await admin.get(`/api/v1/users/${U[login]}`);
    const r = await admin.patch(`/api/v1/users/${U[login]}`, { clearance }, ifMatch(u.json.version));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.clearance, clearance);
  }
  // The scenario's request with one success criterion, involving only 平台部.
  const create = (login, over = {}) =>
    scenarioRequest(as, D, { success_criteria: ['发布会按期举办'], involved_department_ids: [D['平台部']], ...over }, login);
  async function step(login, id, name, b) {
    const r = await (await as(login)).post(`${RQ}/${id}/${name}`, b);
    assert.equal(r.status, 200, `${login} ${name}: ${r.text}`);
    return r.json;
  }
  // Every request the caller can list (following next_cursor), with an optional query.
  async function listAll(login, query = '') {
    const out = [];
    let cursor = null;
    do {
      const r = await (await as(login)).get(`${RQ}?limit=1000${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(r.status, 200, r.text);
      out.push(...r.json.items);
      cursor = r.json.next_cursor;
    } while (cursor);
    return out;
  }
  async function work(login) {
    const r = await (await as(login)).get('/api/v1/me/work');
    assert.equal(r.status, 200, r.text);
    return r.json;
  }
  const workIds = (w) => Object.values(w).flat().map((x) => x.id);
  async function inbox(login) {
    const r = await (await as(login)).get('/api/v1/inbox?limit=1000');
    assert.equal(r.status, 200, r.text);
    return r.json;
  }
  async function history(id, login = 'admin') {
    const r = await (await as(login)).get(`${RQ}/${id}/history`);
    assert.equal(r.status, 200, r.text);
    return r.json.items;
  }

  // The caller sees the request: GET, history, assessments, and it is listed and found.
  async function assertVisible(login, rq) {
    const c = await as(login);
    const g = await c.get(`${RQ}/${rq.id}`);
    assert.equal(g.status, 200, `${login} GET: ${g.text}`);
    assert.equal(g.json.code, rq.code);
    assert.equal((await c.get(`${RQ}/${rq.id}/history`)).status, 200, login);
    assert.equal((await c.get(`${RQ}/${rq.id}/assessments`)).status, 200, login);
    assert.ok((await listAll(login)).some((x) => x.id === rq.id), `${login} lists it`);
    assert.ok((await listAll(login, `q=${encodeURIComponent(rq.title)}`)).some((x) => x.id === rq.id), `${login} finds it by title`);
    assert.ok((await listAll(login, `q=${rq.code}`)).some((x) => x.id === rq.id), `${login} finds it by code`);
  }
  // The caller does not see the request: 404 on every route, exactly like a request that does not
  // exist, and it is nowhere: not listed, not found, not in My work, not in the inbox; writes change nothing.
  // `owner` is someone who does see it (an administrator, or for a draft its author), to check nothing changed.
  async function assertHidden(login, rq, owner = 'admin') {
    const c = await as(login);
    const o = owner === 'admin' ? admin : await as(owner);
    const before0 = (await o.get(`${RQ}/${rq.id}`)).json;
    const n = (await history(rq.id, owner)).length;
    const missing = await c.get(`${RQ}/999999`);
    const routes = [
      () => c.get(`${RQ}/${rq.id}`),
      () => c.get(`${RQ}/${rq.id}/history`),
      () => c.get(`${RQ}/${rq.id}/assessments`),
      () => c.patch(`${RQ}/${rq.id}`, { title: '看不见的' }, ifMatch(rq.version)),
      () => c.post(`${RQ}/${rq.id}/submit`),
      () => c.post(`${RQ}/${rq.id}/review`, { decision: 'approve' }),
      () => c.post(`${RQ}/${rq.id}/review`, { decision: 'return', comment: 'x' }),
      () => c.post(`${RQ}/${rq.id}/decision`, { decision: 'accept', force: true, comment: 'x' }),
      () => c.post(`${RQ}/${rq.id}/decision`, { decision: 'decline', comment: 'x' }),
      () => c.post(`${RQ}/${rq.id}/cancel`, { reason: 'x' }),
      ...rq.involved_department_ids.map((d) => () => c.put(`${RQ}/${rq.id}/assessments/${d}`,
        { impact: 'x', person_days: 1, cost: 0, schedule_impact_days: 0, verdict: 'feasible' })),
      ...rq.involved_department_ids.map((d) => () => c.put(`${RQ}/${rq.id}/assessments/${d}`,
        { impact: 'x', person_days: 1, cost: 0, schedule_impact_days: 0, verdict: 'feasible' }, ifMatch(1))),
      () => c.put(`${RQ}/${rq.id}/assessments/${D['法务部']}`,
        { impact: 'x', person_days: 1, cost: 0, schedule_impact_days: 0, verdict: 'feasible' }),
    ];
    for (const [i, f] of routes.entries()) {
      const r = await f();
      assertProblem(r, 404, 'not_found');
      assert.equal(r.json.detail.replace(String(rq.id), 'N'), missing.json.detail.replace('999999', 'N'),
        `route ${i} for ${login}: the same answer as for a request that does not exist`);
    }
    assert.deepEqual((await o.get(`${RQ}/${rq.id}`)).json, before0, 'nothing changed');
    assert.equal((await history(rq.id, owner)).length, n, 'nothing recorded');
    const queries = ['', `q=${encodeURIComponent(rq.title)}`, `q=${rq.code}`, `q=${rq.code.toLowerCase()}`, `status=${rq.status}`,
      `department_id=${rq.initiating_department_id}`, ...rq.involved_department_ids.map((d) => `department_id=${d}`)];
    for (const q of queries) assert.ok(!(await listAll(login, q)).some((x) => x.id === rq.id), `${login} lists it with "${q}"`);
    assert.ok(!workIds(await work(login)).includes(rq.id), `${login} has it in My work`);
    assert.ok(!(await inbox(login)).items.some((x) => x.entity === 'request' && x.entity_id === rq.id), `${login} has it in the inbox`);
    if (rq.project_id) {
      assertProblem(await c.get(`/api/v1/projects/${rq.project_id}`), 404, 'not_found');
      const p = await c.get('/api/v1/projects?limit=1000');
      assert.ok(!p.json.items.some((x) => x.id === rq.project_id), `${login} lists its project`);
    }
  }

  before(async () => {
    ({ server, as, admin, D, U } = await startDemo());
  });
  after(async () => { await server?.stop(); });

  it('the demo clearances this file relies on', async () => {
    const users = Object.fromEntries((await admin.get('/api/v1/users?limit=1000')).json.items.map((u) => [u.login, u]));
    for (const l of ['wangfang', 'chenjing', 'hanxue', 'caiqing', 'sunli']) assert.equal(users[l].clearance, 'internal', l);
    for (const l of ['liqiang', 'zhaolei', 'liuyang', 'jiangwen', 'zhoumin', 'qianfeng', 'yangfan']) assert.equal(users[l].clearance, 'confidential', l);
    for (const l of ['zhangwei', 'zhenghua']) assert.equal(users[l].clearance, 'secret', l);
    assert.equal(users.zhenghua.is_coordinator, true);
    assert.equal(users.admin.clearance, 'secret');
  });

  describe('a confidential request raised by 王芳 involving 平台部', () => {
    let rq;
    const VISIBLE = ['wangfang', 'liqiang', 'zhaolei', 'liuyang', 'zhenghua', 'zhangwei', 'admin'];
    // Participants below the clearance, and people outside (some with the clearance).
    const HIDDEN = ['chenjing', 'wangyong', 'hanxue', 'xuxiaodong', 'gaofeng', 'jiangwen', 'caiqing', 'zhoumin', 'qianfeng', 'yangfan'];

    before(async () => {
      await setClearance('wangfang', 'confidential');
      rq = await create('wangfang', { title: '新品定价策略（机密）', confidentiality: 'confidential' });
    });

    it('draft: only 王芳 finds it; everyone else, the reviewer and an administrator included, 404 everywhere (a draft is its author\'s alone)', async () => {
      await assertVisible('wangfang', rq);
      for (const l of [...VISIBLE.filter((x) => x !== 'wangfang'), ...HIDDEN]) await assertHidden(l, rq, 'wangfang');
    });

    it('submitted: visible to the initiator, the reviewer, the heads of 平台部 and above, the coordinator, the company\'s head and an administrator; 404 everywhere for participants below the clearance (陈静 internal) and for outsiders (法务部, 财务部, siblings)', async () => {
      rq = await step('wangfang', rq.id, 'submit');
      for (const l of VISIBLE) await assertVisible(l, rq);
      for (const l of HIDDEN) await assertHidden(l, rq);
    });

    it('submitted: the reviewer has it in My work; outsiders still see nothing', async () => {
      assert.ok((await work('liqiang')).reviews.some((x) => x.id === rq.id));
      assert.ok((await inbox('liqiang')).items.some((x) => x.entity_id === rq.id && x.kind === 'request.submitted'));
      for (const l of HIDDEN) await assertHidden(l, rq);
      for (const l of ['liqiang', 'zhangwei']) await assertVisible(l, rq);
    });

    it('assessing: the liaison 陈静 (internal) is neither told nor shown it; 赵磊 (head) has it in My work', async () => {
      rq = await step('liqiang', rq.id, 'review', { decision: 'approve' });
      for (const l of HIDDEN) await assertHidden(l, rq);
      const z = await work('zhaolei');
      assert.ok(z.assessments.some((x) => x.id === rq.id), 'the head of 平台部 can assess it');
      assert.ok((await work('zhenghua')).decisions.some((x) => x.id === rq.id));
      assert.ok((await work('liqiang')).decisions.some((x) => x.id === rq.id));
    });

    it('with confidential clearance (admin PATCH with If-Match) the liaison 陈静 sees it, may assess, has it in My work; lowered again, it disappears', async () => {
      await setClearance('chenjing', 'confidential');
      await assertVisible('chenjing', rq);
      const g = (await (await as('chenjing')).get(`${RQ}/${rq.id}`)).json;
      assert.deepEqual(g.allowed_actions, ['assess', 'transfer']);
      assert.deepEqual(g.my_department_ids, [D['平台部']]);
      assert.ok((await work('chenjing')).assessments.some((x) => x.id === rq.id));
      await setClearance('chenjing', 'internal');
      await assertHidden('chenjing', rq);
    });

    it('accepted: the project is as hidden as the request', async () => {
      const r = await (await as('zhaolei')).put(`${RQ}/${rq.id}/assessments/${D['平台部']}`,
        { impact: '可以支持', person_days: 3, cost: 0, schedule_impact_days: 0, verdict: 'feasible' });
      assert.equal(r.status, 200, r.text);
      rq = await step('liqiang', rq.id, 'decision', { decision: 'accept' });
      assert.ok(rq.project_id);
      for (const l of VISIBLE) {
        assert.equal((await (await as(l)).get(`/api/v1/projects/${rq.project_id}`)).status, 200, l);
        assert.ok((await (await as(l)).get('/api/v1/projects?limit=1000')).json.items.some((x) => x.id === rq.project_id), l);
      }
      for (const l of HIDDEN) await assertHidden(l, rq);
    });
  });

  describe('the initiator\'s own clearance', () => {
    it('a request raised above the initiator\'s clearance is either refused (422 on confidentiality) or stays visible to her', async () => {
      await setClearance('hanxue', 'internal');
      const c = await as('hanxue');
      const r = await c.post(RQ, {
        title: '越级机密需求', background: '背景', goal: '目标', success_criteria: ['完成'], due_date: shanghaiDate(30),
        involved_department_ids: [D['平台部']], confidentiality: 'confidential',
      });
      if (r.status === 422) {
        assertProblem(r, 422, undefined, 'confidentiality');
        return;
      }
      assert.equal(r.status, 201, r.text);
      // Created: then she must be able to read, edit, submit or cancel what she raised.
      const g = await c.get(`${RQ}/${r.json.id}`);
      assert.equal(g.status, 200,
        `韩雪 (internal) raised confidential request ${r.json.code} (201) but cannot see it afterwards: GET answers ${g.status}; ` +
        'she can never edit, submit or cancel it');
    });
  });

  describe('notifications follow visibility', () => {
    it('a liaison who loses the clearance no longer finds the notification in the inbox or its count', async () => {
      await setClearance('wangfang', 'confidential');
      await setClearance('chenjing', 'confidential');
      const rq = await create('wangfang', { title: '机密合作评估', confidentiality: 'confidential' });
      await step('wangfang', rq.id, 'submit');
      const before0 = await inbox('chenjing');
      await step('liqiang', rq.id, 'review', { decision: 'approve' });
      const told = await inbox('chenjing');
      assert.ok(told.items.some((x) => x.entity_id === rq.id && x.kind === 'request.assess'), 'told while cleared');
      assert.equal(told.unread_count, before0.unread_count + 1);
      await setClearance('chenjing', 'internal');
      const after0 = await inbox('chenjing');
      assert.ok(!after0.items.some((x) => x.entity_id === rq.id));
      assert.equal(after0.unread_count, before0.unread_count);
      assert.ok(!workIds(await work('chenjing')).includes(rq.id));
    });

    it('nobody is told of a request they may not see (the internal liaison gets no request.assess)', async () => {
      const rq = await create('wangfang', { title: '机密：渠道价格调整', confidentiality: 'confidential' });
      await step('wangfang', rq.id, 'submit');
      await step('liqiang', rq.id, 'review', { decision: 'approve' });
      // Even once allowed to see it, 陈静 has no notification about it: none was written.
      await setClearance('chenjing', 'confidential');
      assert.ok(!(await inbox('chenjing')).items.some((x) => x.entity_id === rq.id));
      await setClearance('chenjing', 'internal');
    });
  });

  describe('who assesses (assessors in the full view)', () => {
    const assessorsOf = (v) => Object.fromEntries(v.assessors.map((a) => [a.department_id, { via: a.via, ids: a.people.map((p) => p.id) }]));

    it('internal: each department\'s liaisons, who are the people the approval tells', async () => {
      const rq = await create('wangfang', { title: '内部：演示环境', involved_department_ids: [D['平台部'], D['财务部']] });
      const v = (await (await as('wangfang')).get(`${RQ}/${rq.id}`)).json;
      const a = assessorsOf(v);
      assert.deepEqual(a[D['平台部']], { via: 'liaison', ids: [U.chenjing] });
      assert.deepEqual(a[D['财务部']], { via: 'liaison', ids: [U.sunli] });
      assert.ok(v.assessors[0].people[0].name, 'with the name');
      // Lists carry no assessors (they cost a statement per page otherwise).
      const list = await listAll('wangfang', 'mine=1');
      assert.equal(list.find((x) => x.id === rq.id).assessors, undefined);
    });

    it('confidential: liaisons without the clearance are never named; the heads who are asked (and told) are', async () => {
      const rq = await create('wangfang', { title: '机密：预算与演示', confidentiality: 'confidential', involved_department_ids: [D['平台部'], D['财务部']] });
      const draft = assessorsOf((await (await as('wangfang')).get(`${RQ}/${rq.id}`)).json);
      assert.deepEqual(draft[D['平台部']], { via: 'head', ids: [U.zhaolei] }, 'a draft names whom it will ask');
      await step('wangfang', rq.id, 'submit');
      const v = await step('liqiang', rq.id, 'review', { decision: 'approve' });
      const a = assessorsOf(v);
      assert.deepEqual(a[D['平台部']], { via: 'head', ids: [U.zhaolei] });
      assert.deepEqual(a[D['财务部']], { via: 'head', ids: [U.zhoumin] });
      const named = v.assessors.flatMap((x) => x.people.map((p) => p.id));
      assert.ok(!named.includes(U.chenjing) && !named.includes(U.sunli));
      // The people named are those the approval told.
      for (const l of ['zhaolei', 'zhoumin']) assert.ok((await inbox(l)).items.some((x) => x.entity_id === rq.id && x.kind === 'request.assess'), l);
      // With the clearance, the liaison is asked again instead of the head.
      await setClearance('chenjing', 'confidential');
      const again = assessorsOf((await (await as('wangfang')).get(`${RQ}/${rq.id}`)).json);
      assert.deepEqual(again[D['平台部']], { via: 'liaison', ids: [U.chenjing] });
      await setClearance('chenjing', 'internal');
    });
  });

  describe('a secret request', () => {
    it('is hidden from confidential-clearance heads, even participating ones; visible to secret-clearance participants', async () => {
      let rq = await create('zhenghua', { title: '绝密：并购预案', confidentiality: 'secret', involved_department_ids: [D['平台部'], D['市场部']] });
      assert.equal(rq.initiating_department_id, D['总经办']);
      // Submitted (so no longer its author's alone) with a reviewer cleared for it, who then loses the clearance.
      await setClearance('qianfeng', 'secret');
      rq = await step('zhenghua', rq.id, 'submit');
      await setClearance('qianfeng', 'confidential');
      for (const l of ['zhenghua', 'zhangwei', 'admin']) await assertVisible(l, rq);
      for (const l of ['liqiang', 'zhaolei', 'liuyang', 'qianfeng', 'wangfang', 'chenjing', 'jiangwen']) await assertHidden(l, rq);
      // A confidential head raised to secret sees it.
      await setClearance('zhaolei', 'secret');
      await assertVisible('zhaolei', rq);
      await setClearance('zhaolei', 'confidential');
      await assertHidden('zhaolei', rq);
    });

    it('a secret-clearance person outside the participants does not see it', async () => {
      let rq = await create('zhenghua', { title: '绝密：组织调整', confidentiality: 'secret', involved_department_ids: [D['人力资源部']] });
      await setClearance('qianfeng', 'secret');
      rq = await step('zhenghua', rq.id, 'submit');
      await setClearance('qianfeng', 'confidential');
      await setClearance('jiangwen', 'secret');
      await assertHidden('jiangwen', rq);
      await setClearance('jiangwen', 'confidential');
    });
  });

  describe('internal and public requests', () => {
    it('are visible to every signed-in user: outsiders, public clearance, no department', async () => {
      let internal = await create('wangfang', { title: '内部：展台设计', confidentiality: 'internal' });
      let pub = await create('wangfang', { title: '公开：官网改版', confidentiality: 'public' });
      internal = await step('wangfang', internal.id, 'submit');
      pub = await step('wangfang', pub.id, 'submit');
      const u = await admin.post('/api/v1/users', { login: 'guest', name: '访客', password: 'guest-password-1', clearance: 'public' });
      assert.equal(u.status, 201, u.text);
      const g = await as('guest', 'guest-password-1');
      for (const l of ['caiqing', 'jiangwen', 'hanmei', 'guest']) {
        await assertVisible(l, internal);
        await assertVisible(l, pub);
      }
      // Visible, but nothing to do for them.
      assert.deepEqual((await g.get(`${RQ}/${internal.id}`)).json.allowed_actions, []);
      assertProblem(await g.post(`${RQ}/${internal.id}/cancel`, { reason: '不是我的' }), 403, 'forbidden');
    });

    it('without a session every request route answers 401', async () => {
      const anon = new Client(server);
      assertProblem(await anon.get(RQ), 401, 'unauthenticated');
      assertProblem(await anon.get(`${RQ}/1`), 401, 'unauthenticated');
      assertProblem(await anon.get(`${RQ}/1/history`), 401, 'unauthenticated');
      assertProblem(await anon.get('/api/v1/me/work'), 401, 'unauthenticated');
    });
  });

  describe('the request list', () => {
    let A; let B; let C; let E; let F;
    before(async () => {
      await setClearance('wangfang', 'internal');
      A = await create('wangfang', { title: '新品发布会筹备', involved_department_ids: [D['平台部'], D['财务部']] });
      // (q= also searches background and goal: keep 发布会 out of B's.)
      B = await create('wangfang', { title: '渠道推广计划', background: '渠道需要推广。', goal: '提升渠道销量。', involved_department_ids: [D['销售部']] });
      await step('wangfang', B.id, 'submit');
      C = await create('chenjing', { title: '压测环境扩容', involved_department_ids: [D['测试部']] });
      E = await create('sunli', { title: '年度预算编制 Budget-Plan', involved_department_ids: [D['市场部']] });
      F = await create('wangfang', { title: 'Launch Event 海外版', involved_department_ids: [D['生产部']] });
      // A and F stay 王芳's drafts (hers alone); B, C and E are submitted.
      await step('chenjing', C.id, 'submit');
      await step('sunli', E.id, 'submit');
    });

    it('lists newest first with next_cursor null when everything fits', async () => {
      const r = await (await as('hanxue')).get(RQ);
      assert.equal(r.status, 200);
      assert.equal(r.json.next_cursor, null);
      const ids = r.json.items.map((x) => x.id);
      assert.deepEqual(ids, [...ids].sort((x, y) => y - x));
      for (const x of [B, C, E]) assert.ok(ids.includes(x.id));
      for (const x of [A, F]) assert.ok(!ids.includes(x.id), 'someone else\'s draft is not listed');
      const own = (await (await as('wangfang')).get(RQ)).json.items.map((x) => x.id);
      for (const x of [A, B, C, E, F]) assert.ok(own.includes(x.id), 'her own drafts are');
    });

    it('status= keeps only that status', async () => {
      const sub = await listAll('hanxue', 'status=submitted');
      assert.ok(sub.length >= 1);
      assert.ok(sub.every((x) => x.status === 'submitted'));
      for (const x of [B, C, E]) assert.ok(sub.some((y) => y.id === x.id));
      assert.ok(!sub.some((x) => x.id === A.id));
      const drafts = await listAll('wangfang', 'status=draft');
      assert.ok(drafts.every((x) => x.status === 'draft' && x.initiator_id === U.wangfang));
      for (const x of [A, F]) assert.ok(drafts.some((y) => y.id === x.id));
      assert.deepEqual(await listAll('hanxue', 'status=draft'), [], 'nobody else finds a draft');
      const unknown = await (await as('hanxue')).get(`${RQ}?status=open`);
      assert.ok([400, 422].includes(unknown.status), unknown.text);
      assert.equal(unknown.json.code === 'bad_request' || unknown.json.code === 'invalid_value', true);
    });

    it('department_id= keeps requests the department raised or is involved in', async () => {
      const fin = await listAll('wangfang', `department_id=${D['财务部']}`);
      assert.ok(fin.some((x) => x.id === A.id), 'involved');
      assert.ok(fin.some((x) => x.id === E.id), 'raised');
      assert.ok(!fin.some((x) => [B.id, C.id, F.id].includes(x.id)));
      assert.ok(fin.every((x) => x.initiating_department_id === D['财务部'] || x.involved_department_ids.includes(D['财务部'])));
      const legal = await listAll('hanxue', `department_id=${D['法务部']}`);
      assert.deepEqual(legal.map((x) => x.id), []);
    });

    it('mine=1 keeps the caller\'s own requests', async () => {
      const mine = await listAll('wangfang', 'mine=1');
      assert.ok(mine.length >= 3);
      assert.ok(mine.every((x) => x.initiator_id === U.wangfang));
      for (const x of [A, B, F]) assert.ok(mine.some((y) => y.id === x.id));
      assert.ok(!mine.some((x) => x.id === C.id));
      const cj = await listAll('chenjing', 'mine=1');
      assert.deepEqual(cj.map((x) => x.id), [C.id]);
      assert.ok((await listAll('wangfang', 'mine=0')).some((x) => x.id === C.id), 'mine=0 does not filter');
    });

    it('q= matches the title (Chinese, case-insensitive Latin) and the code', async () => {
      const ids = async (q) => (await listAll('wangfang', `q=${encodeURIComponent(q)}`)).map((x) => x.id);
      assert.ok((await ids('发布会')).includes(A.id));
      assert.ok(!(await ids('发布会')).includes(B.id));
      assert.deepEqual(await ids('压测'), [C.id]);
      assert.ok((await ids('预算编制')).includes(E.id));
      assert.ok((await ids('budget-plan')).includes(E.id), 'case-insensitive');
      assert.ok((await ids('LAUNCH event')).includes(F.id), 'case-insensitive');
      assert.ok((await ids('海外版')).includes(F.id));
      assert.deepEqual(await ids(C.code), [C.id]);
      assert.deepEqual(await ids(C.code.toLowerCase()), [C.id]);
      assert.deepEqual(await ids('没有这样的需求单'), []);
      // Taken literally, not as a pattern.
      assert.deepEqual(await ids('%'), []);
      assert.deepEqual(await ids('_'), []);
      assert.deepEqual(await ids('发%会'), []);
      // Combined with the other filters.
      const both = await listAll('hanxue', `q=${encodeURIComponent('预算')}&department_id=${D['财务部']}&status=submitted`);
      assert.ok(both.some((x) => x.id === E.id));
      assert.ok(both.every((x) => x.status === 'submitted'));
      assert.deepEqual(await listAll('hanxue', `q=${encodeURIComponent('预算')}&status=returned`).then((l) => l.filter((x) => x.id === E.id)), []);
      assert.ok(!(await listAll('hanxue', `q=${encodeURIComponent('发布会')}`)).some((x) => x.id === A.id), 'nor through search');
    });

    it('paging: limit and cursor walk the whole list once, newest first; next_cursor null on the last page', async () => {
      const all = (await listAll('wangfang')).map((x) => x.id);
      assert.ok(all.length >= 6);
      const seen = [];
      let cursor = null;
      let pages = 0;
      do {
        const r = await (await as('wangfang')).get(`${RQ}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(r.status, 200, r.text);
        assert.ok(r.json.items.length <= 2);
        seen.push(...r.json.items.map((x) => x.id));
        cursor = r.json.next_cursor;
        if (cursor !== null) assert.equal(typeof cursor, 'string');
        pages++;
        assert.ok(pages < 100);
      } while (cursor);
      assert.deepEqual(seen, all);
      assert.equal(new Set(seen).size, seen.length, 'no duplicates');
      // Paging with a filter.
      const drafts = (await listAll('wangfang', 'status=draft')).map((x) => x.id);
      const first = await (await as('wangfang')).get(`${RQ}?status=draft&limit=1`);
      assert.deepEqual(first.json.items.map((x) => x.id), drafts.slice(0, 1));
      const second = await (await as('wangfang')).get(`${RQ}?status=draft&limit=1&cursor=${encodeURIComponent(first.json.next_cursor)}`);
      assert.deepEqual(second.json.items.map((x) => x.id), drafts.slice(1, 2));
      for (const bad of ['limit=0', 'limit=1001', 'limit=x']) {
        const r = await (await as('hanxue')).get(`${RQ}?${bad}`);
        assertProblem(r, 400, 'bad_request');
      }
    });
  });
});
