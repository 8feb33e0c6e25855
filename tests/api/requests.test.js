// Stage 1 requests (需求单): create and its validation, edit (If-Match), the whole state machine
// (submit, review, assessment, decision, cancel) with every refused step (409 for the status,
// 403 for the role), history, `waiting` and `allowed_actions`, the reviewer rule, and the project
// an accepted request creates.  The contract is docs/requests.md.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, DEMO_PASSWORD } from '../lib/server.js';
import { assertProblem, RQ, ifMatch, shanghaiDate, startDemo, advanceClock, setClock, serverNow } from '../lib/helpers.js';

const YEAR = Number(shanghaiDate().slice(0, 4));
const CODE_RE = /^REQ-\d{4}-\d{4}$/;
const codeNumber = (code) => Number(code.slice(-4));
const LIST_ONLY_ABSENT = ['background', 'goal', 'success_criteria', 'resources_needed', 'expected_outcome', 'risks',
  'allowed_actions', 'my_department_ids'];

describe('requests', () => {
  let server;
  let admin;
  let as; // login -> signed-in client (cached)
  let D; // department name -> id
  let U; // login -> user id
  // The scenario's request (step 1), with overrides.
  function body(over = {}) {
    return {
      title: '新品发布会',
      background: '公司将于八周后发布新一代产品，需要举办一场发布会。',
      goal: '按期举办发布会，扩大新品的媒体曝光。',
      success_criteria: ['发布会按期举办', '至少 30 家媒体到场'],
      resources_needed: '平台部的演示环境；财务部的预算；生产部的样机。',
      expected_outcome: '媒体报道不少于 50 篇。',
      due_date: shanghaiDate(56),
      risks: '样机可能延期。',
      involved_department_ids: [D['平台部'], D['财务部'], D['生产部']],
      confidentiality: 'internal',
      priority: 'high',
      ...over,
    };
  }
  async function create(login = 'wangfang', over = {}) {
    const r = await (await as(login)).post(RQ, body(over));
    assert.equal(r.status, 201, r.text);
    return r.json;
  }
  async function get(id, login = 'wangfang') {
    const r = await (await as(login)).get(`${RQ}/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  }
  async function act(login, id, step, b) {
    return (await as(login)).post(`${RQ}/${id}/${step}`, b);
  }
  async function ok(login, id, step, b) {
    const r = await act(login, id, step, b);
    assert.equal(r.status, 200, `${login} ${step}: ${r.text}`);
    return r.json;
  }
  const assess = (login, id, dept, over = {}) => (async () => {
    const r = await (await as(login)).put(`${RQ}/${id}/assessments/${dept}`, {
      impact: '影响可控', person_days: 5, cost: 1000, materials: '', schedule_impact_days: 1, verdict: 'feasible', ...over,
    });
    assert.equal(r.status, 200, `${login} assess ${dept}: ${r.text}`);
    return r.json;
  })();
  // Moves a fresh request of wangfang's to `status`.
  async function requestIn(status, over = {}) {
    const rq = await create('wangfang', over);
    if (status === 'draft') return get(rq.id);
    await ok('wangfang', rq.id, 'submit');
    if (status === 'submitted') return get(rq.id);
    if (status === 'returned') { await ok('liqiang', rq.id, 'review', { decision: 'return', comment: '请补充' }); return get(rq.id); }
    if (status === 'rejected') { await ok('liqiang', rq.id, 'review', { decision: 'reject', comment: '不做' }); return get(rq.id); }
    await ok('liqiang', rq.id, 'review', { decision: 'approve' });
    if (status === 'assessing') return get(rq.id);
    if (status === 'cancelled') { await ok('wangfang', rq.id, 'cancel', { reason: '不需要了' }); return get(rq.id); }
    if (status === 'declined') { await ok('liqiang', rq.id, 'decision', { decision: 'decline', comment: '资源不足' }); return get(rq.id); }
    if (status === 'accepted') { await ok('liqiang', rq.id, 'decision', { decision: 'accept', force: true, comment: '先立项' }); return get(rq.id); }
    throw new Error(status);
  }
  // The request exactly as it was, as seen by wangfang (and nothing added to its history).
  async function assertUnchanged(rq, historyLength) {
    assert.deepEqual(await get(rq.id), rq);
    if (historyLength !== undefined) {
      const h = await (await as('wangfang')).get(`${RQ}/${rq.id}/history`);
      assert.equal(h.json.items.length, historyLength, 'nothing recorded');
    }
  }
  async function historyOf(id) {
    const h = await (await as('wangfang')).get(`${RQ}/${id}/history`);
    assert.equal(h.status, 200, h.text);
    return h.json.items;
  }
  async function myRequests(login = 'wangfang') {
    const r = await (await as(login)).get(`${RQ}?mine=1&limit=1000`);
    assert.equal(r.status, 200, r.text);
    return r.json.items.map((x) => x.id);
  }

  before(async () => {
    ({ server, as, admin, D, U } = await startDemo());
  });
  after(async () => { await server?.stop(); });

  describe('create', () => {
    it('POST answers 201 with Location, ETag and the draft: code, status, initiator, initiating department, defaults', async () => {
      const w = await as('wangfang');
      const b = body();
      const r = await w.post(RQ, b);
      assert.equal(r.status, 201, r.text);
      const rq = r.json;
      assert.match(rq.code, CODE_RE);
      assert.ok(rq.code.startsWith(`REQ-${YEAR}-`), rq.code);
      assert.equal(r.headers.get('location'), `${RQ}/${rq.id}`);
      assert.equal(r.headers.get('etag'), '"1"');
      assert.equal(rq.status, 'draft');
      assert.equal(rq.version, 1);
      assert.equal(rq.initiator_id, U.wangfang);
      assert.equal(rq.initiator_name, '王芳');
      assert.equal(rq.initiating_department_id, D['市场部']);
      assert.equal(rq.initiating_department_name, '市场部');
      assert.equal(rq.reviewer_id, U.liqiang);
      assert.equal(rq.project_id, null);
      assert.equal(rq.submitted_at, null);
      for (const k of ['title', 'background', 'goal', 'resources_needed', 'expected_outcome', 'due_date', 'risks',
        'confidentiality', 'priority']) assert.equal(rq[k], b[k], k);
      assert.deepEqual(rq.success_criteria, b.success_criteria);
      assert.deepEqual([...rq.involved_department_ids].sort((x, y) => x - y), [...b.involved_department_ids].sort((x, y) => x - y));
      assert.deepEqual(rq.waiting, { step: 'draft', since: rq.status_changed_at, on: [{ kind: 'user', id: U.wangfang, name: '王芳' }] });
      assert.deepEqual(rq.assessment_progress, { expected: 3, received: 0, pending_department_ids: rq.involved_department_ids });
      assert.deepEqual(rq.allowed_actions, ['edit', 'submit', 'cancel']);
      assert.deepEqual(rq.my_department_ids, []);
      for (const k of ['created_at', 'updated_at', 'status_changed_at']) assert.ok(!Number.isNaN(Date.parse(rq[k])), k);
      // GET answers the same resource and ETag.
      const g = await w.get(`${RQ}/${rq.id}`);
      assert.equal(g.status, 200);
      assert.equal(g.headers.get('etag'), '"1"');
      assert.deepEqual(g.json, rq);
      // History: one "create" step.
      const h = await historyOf(rq.id);
      assert.equal(h.length, 1);
      assert.equal(h[0].action, 'create');
      assert.equal(h[0].actor_id, U.wangfang);
      assert.equal(h[0].actor_name, '王芳');
    });

    it('optional fields may be left out; confidentiality defaults to internal, priority to normal', async () => {
      const b = body();
      for (const k of ['resources_needed', 'expected_outcome', 'risks', 'confidentiality', 'priority']) delete b[k];
      const r = await (await as('wangfang')).post(RQ, b);
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.confidentiality, 'internal');
      assert.equal(r.json.priority, 'normal');
      for (const c of ['public', 'internal', 'confidential', 'secret']) {
        const x = await (await as('zhangwei')).post(RQ, body({ confidentiality: c, involved_department_ids: [D['平台部']] }));
        assert.equal(x.status, 201, x.text);
        assert.equal(x.json.confidentiality, c);
      }
      for (const p of ['low', 'normal', 'high', 'urgent']) assert.equal((await create('wangfang', { priority: p })).priority, p);
    });

    it('codes are REQ-YYYY-NNNN, unique and increasing by one across initiators', async () => {
      const a = await create('wangfang');
      const b = await create('chenjing', { involved_department_ids: [D['市场部']] });
      const c = await create('wangfang');
      for (const x of [a, b, c]) assert.match(x.code, CODE_RE);
      assert.equal(codeNumber(b.code), codeNumber(a.code) + 1);
      assert.equal(codeNumber(c.code), codeNumber(b.code) + 1);
      assert.equal(b.initiating_department_id, D['平台部'], "the caller's department");
      assert.equal(b.reviewer_id, U.zhaolei);
    });

    it('a due date today is accepted; the initiating department may also be listed beside another', async () => {
      const rq = await create('wangfang', { due_date: shanghaiDate(0), involved_department_ids: [D['市场部'], D['平台部']] });
      assert.equal(rq.due_date, shanghaiDate(0));
      assert.deepEqual(rq.involved_department_ids.sort((x, y) => x - y), [D['平台部'], D['市场部']].sort((x, y) => x - y));
    });

    it('limits: a 200-character title, 20 criteria and a 500-character criterion are accepted', async () => {
      const rq = await create('wangfang', {
        title: '发'.repeat(200), success_criteria: Array.from({ length: 20 }, (_, i) => `标准 ${i + 1}`),
      });
      assert.equal(rq.title.length, 200);
      assert.equal(rq.success_criteria.length, 20);
      const r2 = await create('wangfang', { success_criteria: ['准'.repeat(500)] });
      assert.equal(r2.success_criteria[0], '准'.repeat(500));
    });

    const omit = (k) => (b) => { delete b[k]; return b; };
    const set = (k, v) => (b) => { b[k] = v; return b; };
    const INVALID = [
      ['title missing', omit('title'), 'required', 'title'],
      ['title empty', set('title', ''), 'required', 'title'],
      ['title blank', set('title', '   '), 'required', 'title'],
      ['title over 200 characters', set('title', '题'.repeat(201)), 'too_long', 'title'],
      ['title not text', set('title', 42), 'invalid_type', 'title'],
      ['background missing', omit('background'), 'required', 'background'],
      ['background blank', set('background', ' \n\t '), 'required', 'background'],
      ['background over 5000 characters', set('background', '背'.repeat(5001)), 'too_long', 'background'],
      ['goal missing', omit('goal'), 'required', 'goal'],
      ['goal blank', set('goal', '  '), 'required', 'goal'],
      ['risks over 5000 characters', set('risks', 'r'.repeat(5001)), 'too_long', 'risks'],
      ['success_criteria missing', omit('success_criteria'), 'required', 'success_criteria'],
      ['no success criteria', set('success_criteria', []), 'required', 'success_criteria'],
      ['an empty criterion', set('success_criteria', ['按期举办', '']), 'required', 'success_criteria'],
      ['a blank criterion', set('success_criteria', ['   ']), 'required', 'success_criteria'],
      ['21 criteria', set('success_criteria', Array.from({ length: 21 }, (_, i) => `c${i}`)), 'too_long', 'success_criteria'],
      ['a criterion over 500 characters', set('success_criteria', ['ok', '准'.repeat(501)]), 'too_long', 'success_criteria'],
      ['a criterion that is not text', set('success_criteria', [3]), 'invalid_type', 'success_criteria'],
      ['success_criteria not a list', set('success_criteria', '按期举办'), 'invalid_type', 'success_criteria'],
      ['due_date missing', omit('due_date'), 'required', 'due_date'],
      ['due_date in the past', set('due_date', shanghaiDate(-1)), 'date_in_past', 'due_date'],
      ['due_date long past', set('due_date', '2020-01-01'), 'date_in_past', 'due_date'],
      ['due_date malformed', set('due_date', '2027/01/20'), 'invalid_value', 'due_date'],
      ['due_date impossible', set('due_date', `${YEAR + 1}-02-30`), 'invalid_value', 'due_date'],
      ['due_date month 13', set('due_date', `${YEAR + 1}-13-01`), 'invalid_value', 'due_date'],
      ['due_date words', set('due_date', 'tomorrow'), 'invalid_value', 'due_date'],
      ['involved departments missing', omit('involved_department_ids'), 'required', 'involved_department_ids'],
      ['involved departments empty', (b) => { b.involved_department_ids = []; return b; }, 'required', 'involved_department_ids'],
      ['only the initiator\'s own department', (b) => { b.involved_department_ids = [D['市场部']]; return b; }, 'required', 'involved_department_ids'],
      ['a duplicate department', (b) => { b.involved_department_ids = [D['平台部'], D['财务部'], D['平台部']]; return b; }, 'duplicate', 'involved_department_ids'],
      ['an unknown department', (b) => { b.involved_department_ids = [D['平台部'], 9999]; return b; }, 'invalid_value', 'involved_department_ids'],
      ['a department id that is not a number', (b) => { b.involved_department_ids = [String(D['平台部'])]; return b; }, 'invalid_type', 'involved_department_ids'],
      ['31 departments', (b) => { b.involved_department_ids = Array.from({ length: 31 }, (_, i) => i + 1); return b; }, 'too_long', 'involved_department_ids'],
      ['confidentiality outside its set', set('confidentiality', 'top-secret'), 'invalid_value', 'confidentiality'],
      ['priority outside its set', set('priority', 'critical'), 'invalid_value', 'priority'],
      ['an unknown field', set('budget', 200000), 'unknown_field', 'budget'],
    ];
    // A draft needs only its title (RQ-7): what is missing is refused when it is submitted, with the same code
    // and field, and the request stays a draft.
    const AT_SUBMIT = INVALID.filter(([name, , code, field]) => code === 'required' && field !== 'title'
      && !/an empty criterion|a blank criterion/.test(name));
    for (const [name, change, code, field] of AT_SUBMIT) {
      it(`a draft may be saved without it, but submit answers 422 ${code} on ${field}: ${name}; the draft stays`, async () => {
        const w = await as('wangfang');
        const r = await w.post(RQ, change(body()));
        assert.equal(r.status, 201, r.text);
        const s = await w.post(`${RQ}/${r.json.id}/submit`);
        assertProblem(s, 422, code, field);
        const now = await get(r.json.id);
        assert.equal(now.status, 'draft');
        assert.equal(now.submitted_at, null);
      });
    }

    it('a draft with only a title: 201, the rest empty (due_date null); submit names the first missing field; filled in, it submits', async () => {
      const w = await as('wangfang');
      const r = await w.post(RQ, { title: '只有标题的草稿' });
      assert.equal(r.status, 201, r.text);
      const d = r.json;
      assert.equal(d.status, 'draft');
      assert.equal(d.background, '');
      assert.equal(d.goal, '');
      assert.deepEqual(d.success_criteria, []);
      assert.equal(d.due_date, null);
      assert.deepEqual(d.involved_department_ids, []);
      assertProblem(await w.post(`${RQ}/${d.id}/submit`), 422, 'required', 'background');
      const filled = body();
      delete filled.title;
      const p = await w.patch(`${RQ}/${d.id}`, filled, ifMatch(d.version));
      assert.equal(p.status, 200, p.text);
      assert.equal(p.json.due_date, filled.due_date);
      const s = await w.post(`${RQ}/${d.id}/submit`);
      assert.equal(s.status, 200, s.text);
      assert.equal(s.json.status, 'submitted');
    });

    for (const [name, change, code, field] of INVALID.filter((x) => !AT_SUBMIT.includes(x))) {
      it(`422 ${code} on ${field}: ${name}; nothing is created`, async () => {
        const before0 = await myRequests();
        const r = await (await as('wangfang')).post(RQ, change(body()));
        assertProblem(r, 422, code, field);
        assert.equal(r.headers.get('location'), null);
        assert.deepEqual(await myRequests(), before0);
      });
    }

    it('a refused create does not use up a code', async () => {
      const a = await create('wangfang');
      assertProblem(await (await as('wangfang')).post(RQ, body({ title: '' })), 422, 'required', 'title');
      const b = await create('wangfang');
      assert.equal(codeNumber(b.code), codeNumber(a.code) + 1);
    });

    it('a user without a department answers 422 no_department; nothing is created', async () => {
      const r = await admin.post('/api/v1/users', { login: 'nodept', name: '无部门', password: 'nodept-password-1' });
      assert.equal(r.status, 201, r.text);
      const c = new Client(server);
      await c.login('nodept', 'nodept-password-1');
      assertProblem(await c.post(RQ, body()), 422, 'no_department');
      assert.deepEqual((await c.get(`${RQ}?mine=1`)).json.items, []);
    });

    it('without a session: 401', async () => {
      assertProblem(await new Client(server).post(RQ, body()), 401, 'unauthenticated');
    });
  });

  describe('edit (PATCH)', () => {
    it('the initiator edits a draft with If-Match: 200, version and ETag grow, the status stays, history records it', async () => {
      const rq = await create();
      const w = await as('wangfang');
      const r = await w.patch(`${RQ}/${rq.id}`, { title: '新品发布会（修订）', success_criteria: ['按期举办'], priority: 'urgent' }, ifMatch(1));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get('etag'), '"2"');
      assert.equal(r.json.version, 2);
      assert.equal(r.json.title, '新品发布会（修订）');
      assert.deepEqual(r.json.success_criteria, ['按期举办']);
      assert.equal(r.json.priority, 'urgent');
      assert.equal(r.json.goal, rq.goal, 'fields left out stay');
      assert.equal(r.json.status, 'draft');
      assert.equal(r.json.code, rq.code);
      assert.deepEqual(await get(rq.id), r.json);
      const h = await historyOf(rq.id);
      assert.deepEqual(h.map((x) => x.action), ['create', 'update']);
      assert.equal(h[1].actor_name, '王芳');
      // The involved departments can be changed too.
      const r2 = await w.patch(`${RQ}/${rq.id}`, { involved_department_ids: [D['平台部']] }, ifMatch(2));
      assert.equal(r2.status, 200, r2.text);
      assert.deepEqual(r2.json.involved_department_ids, [D['平台部']]);
      assert.deepEqual(r2.json.assessment_progress, { expected: 1, received: 0, pending_department_ids: [D['平台部']] });
    });

    it('without If-Match 428, with a stale one 412; nothing changes', async () => {
      const rq = await create();
      const w = await as('wangfang');
      assertProblem(await w.patch(`${RQ}/${rq.id}`, { title: '改了' }), 428, 'if_match_required');
      assertProblem(await w.patch(`${RQ}/${rq.id}`, { title: '改了' }, ifMatch(7)), 412, 'precondition_failed');
      assert.equal((await w.patch(`${RQ}/${rq.id}`, { title: '第一次' }, ifMatch(1))).status, 200);
      const now = await get(rq.id);
      assertProblem(await w.patch(`${RQ}/${rq.id}`, { title: '第二次' }, ifMatch(1)), 412, 'precondition_failed');
      await assertUnchanged(now, 2);
    });

    it('invalid fields answer 422 with the field; nothing changes', async () => {
      const rq = await create();
      const w = await as('wangfang');
      const cases = [
        [{ title: '' }, 'required', 'title'],
        [{ success_criteria: ['按期举办', ' '] }, 'required', 'success_criteria'],
        [{ due_date: '2020-01-01' }, 'date_in_past', 'due_date'],
        [{ involved_department_ids: [D['平台部'], D['平台部']] }, 'duplicate', 'involved_department_ids'],
        [{ confidentiality: 'open' }, 'invalid_value', 'confidentiality'],
        [{ status: 'accepted' }, 'unknown_field', 'status'],
        [{ initiator_id: U.liqiang }, 'unknown_field', 'initiator_id'],
      ];
      for (const [b, code, field] of cases) assertProblem(await w.patch(`${RQ}/${rq.id}`, b, ifMatch(1)), 422, code, field);
      await assertUnchanged(rq, 1);
    });

    it('a draft may be emptied of required fields (RQ-7); submitting it then answers 422 naming the field; nothing is submitted', async () => {
      const rq = await create();
      const w = await as('wangfang');
      const cases = [
        [{ goal: '  ' }, 'required', 'goal'],
        [{ success_criteria: [] }, 'required', 'success_criteria'],
        [{ involved_department_ids: [D['市场部']] }, 'required', 'involved_department_ids'],
      ];
      let version = rq.version;
      for (const [b, code, field] of cases) {
        const p = await w.patch(`${RQ}/${rq.id}`, b, ifMatch(version));
        assert.equal(p.status, 200, p.text);
        version = p.json.version;
        assertProblem(await w.post(`${RQ}/${rq.id}/submit`), 422, code, field);
        const back = await w.patch(`${RQ}/${rq.id}`, { goal: rq.goal, success_criteria: rq.success_criteria, involved_department_ids: rq.involved_department_ids }, ifMatch(version));
        assert.equal(back.status, 200, back.text);
        version = back.json.version;
      }
      assert.equal((await get(rq.id)).status, 'draft');
      assert.equal((await w.post(`${RQ}/${rq.id}/submit`)).status, 200);
    });

    it('someone else (the reviewer, a liaison, an administrator): 404 on a draft, which is its author\'s alone, and 403 on a returned request; nothing changes', async () => {
      const rq = await create();
      for (const c of [await as('liqiang'), await as('chenjing'), await as('zhenghua'), admin]) {
        const r = await c.patch(`${RQ}/${rq.id}`, { title: '别人改的' }, ifMatch(1));
        assertProblem(r, 404, 'not_found');
      }
      await assertUnchanged(rq, 1);
      const ret = await requestIn('returned');
      const n = (await historyOf(ret.id)).length;
      for (const c of [await as('liqiang'), await as('chenjing'), await as('zhenghua'), admin]) {
        const r = await c.patch(`${RQ}/${ret.id}`, { title: '别人改的' }, ifMatch(ret.version));
        assertProblem(r, 403, 'forbidden');
      }
      await assertUnchanged(ret, n);
    });

    it('after submit 409 invalid_transition; in returned it is allowed and the status stays returned', async () => {
      const rq = await requestIn('submitted');
      const w = await as('wangfang');
      assertProblem(await w.patch(`${RQ}/${rq.id}`, { title: '提交后改' }, ifMatch(rq.version)), 409, 'invalid_transition');
      await assertUnchanged(rq, 2);
      await ok('liqiang', rq.id, 'review', { decision: 'return', comment: '预算不清楚' });
      const ret = await get(rq.id);
      const r = await w.patch(`${RQ}/${rq.id}`, { resources_needed: '预算明细：场地 8 万，媒体 12 万' }, ifMatch(ret.version));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.status, 'returned');
      assert.equal(r.json.resources_needed, '预算明细：场地 8 万，媒体 12 万');
      for (const s of ['assessing', 'rejected', 'accepted', 'declined', 'cancelled']) {
        const x = await requestIn(s);
        const n = (await historyOf(x.id)).length;
        assertProblem(await w.patch(`${RQ}/${x.id}`, { title: '改' }, ifMatch(x.version)), 409, 'invalid_transition');
        await assertUnchanged(x, n);
      }
    });
  });

  describe('the state machine', () => {
    it('the scenario: submit, return (comment), revise, resubmit, approve, three assessments, accept — waiting, allowed_actions and history at each step', async () => {
      const rq = await create();
      const id = rq.id;
      // Submit.
      const s1 = await ok('wangfang', id, 'submit');
      assert.equal(s1.status, 'submitted');
      assert.equal(s1.version, 2);
      assert.ok(s1.submitted_at);
      assert.deepEqual(s1.waiting, { step: 'review', since: s1.status_changed_at, on: [{ kind: 'user', id: U.liqiang, name: '李强' }] });
      assert.deepEqual(s1.allowed_actions, ['cancel', 'withdraw', 'urge', 'cc'], 'before the review she may withdraw it, or urge it');
      assert.deepEqual((await get(id, 'liqiang')).allowed_actions, ['review', 'cc', 'transfer']);
      assert.deepEqual((await get(id, 'zhenghua')).allowed_actions, ['cc'], 'a coordinator decides later, and may copy people in');
      assert.deepEqual((await get(id, 'zhangwei')).allowed_actions, []);
      assert.deepEqual((await get(id, 'chenjing')).allowed_actions, []);
      assert.deepEqual((await admin.get(`${RQ}/${id}`)).json.allowed_actions, ['cancel']);
      // Return without a comment: 422, nothing changes.
      assertProblem(await act('liqiang', id, 'review', { decision: 'return' }), 422, 'required', 'comment');
      assertProblem(await act('liqiang', id, 'review', { decision: 'return', comment: '  ' }), 422, 'required', 'comment');
      await assertUnchanged(await get(id), 2);
      // Return with a comment.
      const s2 = await ok('liqiang', id, 'review', { decision: 'return', comment: '预算不够具体，请补充明细' });
      assert.equal(s2.status, 'returned');
      assert.deepEqual(s2.waiting.on, [{ kind: 'user', id: U.wangfang, name: '王芳' }]);
      assert.equal(s2.waiting.step, 'revision');
      assert.deepEqual(s2.allowed_actions, ['cc'], 'the reviewer can only copy people in on a returned request');
      assert.deepEqual((await get(id)).allowed_actions, ['edit', 'submit', 'cancel', 'cc']);
      // Revise and resubmit.
      const s3 = await (await as('wangfang')).patch(`${RQ}/${id}`, { resources_needed: '预算 20 万：场地 8 万、媒体 12 万' }, ifMatch(s2.version));
      assert.equal(s3.status, 200, s3.text);
      const s4 = await ok('wangfang', id, 'submit', { comment: '已补充预算明细' });
      assert.equal(s4.status, 'submitted');
      assert.equal(s4.submitted_at, s1.submitted_at, 'submitted_at is the first submission');
      assert.equal(s4.waiting.step, 'review');
      // Approve.
      const s5 = await ok('liqiang', id, 'review', { decision: 'approve', comment: '同意' });
      assert.equal(s5.status, 'assessing');
      const pending = [D['平台部'], D['财务部'], D['生产部']].sort((x, y) => x - y);
      assert.equal(s5.waiting.step, 'assessment');
      assert.deepEqual(s5.waiting.on, [
        { kind: 'department', id: D['平台部'], name: '平台部' },
        { kind: 'department', id: D['财务部'], name: '财务部' },
        { kind: 'department', id: D['生产部'], name: '生产部' },
      ].sort((x, y) => x.id - y.id));
      assert.deepEqual(s5.assessment_progress, { expected: 3, received: 0, pending_department_ids: pending });
      assert.deepEqual(s5.allowed_actions, ['decide', 'cc', 'countersign']);
      assert.deepEqual((await get(id)).allowed_actions, ['cancel', 'urge', 'cc'], 'reviewed: no withdrawing any more');
      const cj = await get(id, 'chenjing');
      assert.deepEqual(cj.allowed_actions, ['assess', 'transfer']);
      assert.deepEqual(cj.my_department_ids, [D['平台部']]);
      assert.deepEqual((await get(id, 'zhaolei')).my_department_ids, [D['平台部']], 'the head assesses too');
      assert.deepEqual((await get(id, 'zhaolei')).allowed_actions, ['assess', 'transfer']);
      assert.deepEqual((await get(id, 'zhenghua')).allowed_actions, ['decide', 'cc', 'countersign']);
      assert.deepEqual((await get(id, 'liuyang')).allowed_actions, [], 'the head above 平台部 does not assess');
      assert.deepEqual((await get(id, 'liuyang')).my_department_ids, []);
      // Assessments; the waiting list shrinks.
      await assess('chenjing', id, D['平台部'], { person_days: 15 });
      let now = await get(id);
      assert.deepEqual(now.waiting.on.map((x) => x.id), pending.filter((x) => x !== D['平台部']));
      assert.equal(now.assessment_progress.received, 1);
      await assess('sunli', id, D['财务部'], { verdict: 'conditional', conditions: '20 万预算需总经理签字' });
      await assess('wugang', id, D['生产部'], { materials: '50 台样机', schedule_impact_days: 3 });
      now = await get(id);
      assert.equal(now.waiting.step, 'decision');
      assert.deepEqual(now.waiting.on, [{ kind: 'user', id: U.liqiang, name: '李强' }]);
      assert.deepEqual(now.assessment_progress, { expected: 3, received: 3, pending_department_ids: [] });
      assert.deepEqual((await get(id, 'chenjing')).allowed_actions, ['assess'], 'revising stays possible until the decision');
      // Accept.
      const s6 = await ok('liqiang', id, 'decision', { decision: 'accept', comment: '立项' });
      assert.equal(s6.status, 'accepted');
      assert.equal(typeof s6.project_id, 'number');
      assert.equal(s6.waiting, null);
      assert.deepEqual(s6.allowed_actions, []);
      for (const l of ['wangfang', 'chenjing', 'zhenghua']) assert.deepEqual((await get(id, l)).allowed_actions, [], l);
      assert.deepEqual((await admin.get(`${RQ}/${id}`)).json.allowed_actions, []);
      // History: every step in order, with who and the comment.
      const h = await historyOf(id);
      assert.deepEqual(h.map((x) => x.action),
        ['create', 'submit', 'return', 'update', 'submit', 'approve', 'assess', 'assess', 'assess', 'accept']);
      assert.deepEqual(h.map((x) => x.actor_name), ['王芳', '王芳', '李强', '王芳', '王芳', '李强', '陈静', '孙丽', '吴刚', '李强']);
      assert.deepEqual(h.map((x) => x.actor_id),
        [U.wangfang, U.wangfang, U.liqiang, U.wangfang, U.wangfang, U.liqiang, U.chenjing, U.sunli, U.wugang, U.liqiang]);
      assert.equal(h[2].note, '预算不够具体，请补充明细');
      assert.equal(h[4].note, '已补充预算明细');
      assert.equal(h[5].note, '同意');
      assert.equal(h[9].note, '立项');
      for (let i = 1; i < h.length; i++) assert.ok(Date.parse(h[i].at) >= Date.parse(h[i - 1].at), 'in order');
      for (let i = 1; i < h.length; i++) assert.ok(h[i].id > h[i - 1].id, 'in order');
    });

    it('waiting.since is when the request entered its step; for the decision step, when the last assessment arrived', async () => {
      const rq = await requestIn('assessing');
      assert.equal(rq.waiting.step, 'assessment');
      assert.equal(rq.waiting.since, rq.status_changed_at, 'the assessment step began with the approval');
      // Each assessment comes a minute after the step before it (the dev clock moves), so the times differ.
      await advanceClock(server, 60e3);
      const first = await assess('chenjing', rq.id, D['平台部']);
      assert.ok(Date.parse(first.created_at) > Date.parse(rq.status_changed_at) + 30e3,
        `the clock moved: assessed ${first.created_at}, approved ${rq.status_changed_at}`);
      assert.equal((await get(rq.id)).waiting.since, rq.status_changed_at, 'still in the assessment step');
      await assess('sunli', rq.id, D['财务部']);
      await advanceClock(server, 60e3);
      const last = await assess('wugang', rq.id, D['生产部']);
      const now = await get(rq.id);
      assert.equal(now.waiting.step, 'decision');
      assert.ok(Date.parse(now.waiting.since) >= Date.parse(last.created_at),
        `waiting.since ${now.waiting.since} is before the last assessment arrived (${last.created_at}): it is still the approval time ${rq.status_changed_at}`);
    });

    it('reject needs a comment; a rejected request is closed', async () => {
      const rq = await requestIn('submitted');
      assertProblem(await act('liqiang', rq.id, 'review', { decision: 'reject' }), 422, 'required', 'comment');
      await assertUnchanged(rq, 2);
      const r = await ok('liqiang', rq.id, 'review', { decision: 'reject', comment: '与年度计划不符' });
      assert.equal(r.status, 'rejected');
      assert.equal(r.waiting, null);
      const h = await historyOf(rq.id);
      assert.equal(h.at(-1).action, 'reject');
      assert.equal(h.at(-1).note, '与年度计划不符');
    });

    it('review input: decision outside its set 422, missing 422, unknown field 422', async () => {
      const rq = await requestIn('submitted');
      assertProblem(await act('liqiang', rq.id, 'review', { decision: 'maybe', comment: 'x' }), 422, 'invalid_value', 'decision');
      assertProblem(await act('liqiang', rq.id, 'review', { comment: 'x' }), 422, 'required', 'decision');
      assertProblem(await act('liqiang', rq.id, 'review', { decision: 'approve', note: 'x' }), 422, 'unknown_field', 'note');
      assertProblem(await act('liqiang', rq.id, 'review', { decision: 'approve', comment: 5 }), 422, 'invalid_type', 'comment');
      await assertUnchanged(rq, 2);
    });

    // Every step a status does not allow answers 409 whoever asks, even someone who would otherwise hold the role.
    const STEPS = {
      edit: async (login, rq) => (await as(login)).patch(`${RQ}/${rq.id}`, { title: '改' }, ifMatch(rq.version)),
      submit: (login, rq) => act(login, rq.id, 'submit'),
      approve: (login, rq) => act(login, rq.id, 'review', { decision: 'approve' }),
      return: (login, rq) => act(login, rq.id, 'review', { decision: 'return', comment: '退回' }),
      reject: (login, rq) => act(login, rq.id, 'review', { decision: 'reject', comment: '驳回' }),
      assess: async (login, rq) => (await as(login)).put(`${RQ}/${rq.id}/assessments/${D['平台部']}`,
        { impact: '无', person_days: 1, cost: 0, schedule_impact_days: 0, verdict: 'feasible' }),
      accept: (login, rq) => act(login, rq.id, 'decision', { decision: 'accept', force: true, comment: '强制' }),
      decline: (login, rq) => act(login, rq.id, 'decision', { decision: 'decline', comment: '不做' }),
      cancel: (login, rq) => act(login, rq.id, 'cancel', { reason: '撤回' }),
    };
    // Who would hold the role for each step (so that the refusal is the status's, not the role's).
    const HOLDER = { edit: 'wangfang', submit: 'wangfang', approve: 'liqiang', return: 'liqiang', reject: 'liqiang',
      assess: 'chenjing', accept: 'liqiang', decline: 'zhenghua', cancel: 'wangfang' };
    const ALLOWED = {
      draft: ['edit', 'submit', 'cancel'],
      submitted: ['approve', 'return', 'reject', 'cancel'],
      returned: ['edit', 'submit', 'cancel'],
      assessing: ['assess', 'accept', 'decline', 'cancel'],
      rejected: [], accepted: [], declined: [], cancelled: [],
    };
    for (const [status, allowed] of Object.entries(ALLOWED)) {
      const refused = Object.keys(STEPS).filter((s) => !allowed.includes(s));
      it(`${status}: ${refused.join(', ')} answer 409 invalid_transition (also for a caller without the role); nothing changes`, async () => {
        const rq = await requestIn(status);
        const n = (await historyOf(rq.id)).length;
        for (const s of refused) {
          for (const login of [HOLDER[s], 'hanxue', 'admin']) {
            const r = await STEPS[s](login, rq);
            if (status === 'draft' && login !== 'wangfang') {
              assertProblem(r, 404, 'not_found'); // nobody else finds a draft
              continue;
            }
            assertProblem(r, 409, 'invalid_transition');
            assert.match(r.json.detail, new RegExp(status), `${s} by ${login}: the detail names the status`);
          }
        }
        await assertUnchanged(rq, n);
      });
    }

    it('wrong roles answer 403 forbidden with a sentence; nothing changes', async () => {
      const draft = await requestIn('draft');
      const n = 1;
      // Nobody else finds a draft: 404, as for a request that does not exist.
      assertProblem(await act('liqiang', draft.id, 'submit'), 404, 'not_found'); // the reviewer submitting wangfang's draft
      assertProblem(await act('hanxue', draft.id, 'submit'), 404, 'not_found'); // a colleague
      assertProblem(await admin.post(`${RQ}/${draft.id}/submit`), 404, 'not_found');
      assertProblem(await act('liqiang', draft.id, 'cancel', { reason: '我来撤' }), 404, 'not_found');
      await assertUnchanged(draft, n);
      const ret = await requestIn('returned');
      assertProblem(await act('liqiang', ret.id, 'submit'), 403, 'forbidden'); // the reviewer submitting wangfang's request
      assertProblem(await act('hanxue', ret.id, 'submit'), 403, 'forbidden'); // a colleague
      assertProblem(await admin.post(`${RQ}/${ret.id}/submit`), 403, 'forbidden');
      assertProblem(await act('liqiang', ret.id, 'cancel', { reason: '我来撤' }), 403, 'forbidden');
      await assertUnchanged(ret, 3);

      const sub = await requestIn('submitted');
      for (const login of ['wangfang', 'hanxue', 'zhangwei', 'zhenghua', 'liuyang', 'chenjing']) {
        const r = await act(login, sub.id, 'review', { decision: 'approve' });
        assertProblem(r, 403, 'forbidden');
        assert.match(r.json.detail, /review/);
      }
      assertProblem(await admin.post(`${RQ}/${sub.id}/review`, { decision: 'approve' }), 403, 'forbidden');
      assertProblem(await act('wangfang', sub.id, 'review', { decision: 'return', comment: '自己退' }), 403, 'forbidden');
      for (const login of ['liqiang', 'chenjing', 'zhenghua']) assertProblem(await act(login, sub.id, 'cancel', { reason: '撤' }), 403, 'forbidden');
      await assertUnchanged(sub, 2);

      const ass = await requestIn('assessing');
      const m = (await historyOf(ass.id)).length;
      for (const login of ['chenjing', 'wangfang', 'zhangwei', 'zhaolei', 'sunli']) {
        const r = await act(login, ass.id, 'decision', { decision: 'accept', force: true, comment: '我来定' });
        assertProblem(r, 403, 'forbidden');
        assert.match(r.json.detail, /decide/);
        assertProblem(await act(login, ass.id, 'decision', { decision: 'decline', comment: '不做' }), 403, 'forbidden');
      }
      assertProblem(await admin.post(`${RQ}/${ass.id}/decision`, { decision: 'decline', comment: '不做' }), 403, 'forbidden');
      for (const login of ['liqiang', 'chenjing', 'zhenghua', 'zhangwei']) {
        const r = await act(login, ass.id, 'cancel', { reason: '撤' });
        assertProblem(r, 403, 'forbidden');
        assert.match(r.json.detail, /initiator|administrator/);
      }
      await assertUnchanged(ass, m);
    });

    it('a step with the wrong role but a missing comment answers 403 (the role is checked first)', async () => {
      const sub = await requestIn('submitted');
      assertProblem(await act('wangfang', sub.id, 'review', { decision: 'reject' }), 403, 'forbidden');
      await assertUnchanged(sub, 2);
    });
  });

  describe('cancel', () => {
    it('the initiator cancels with a reason from draft, submitted, returned and assessing; the reason is in the history', async () => {
      for (const status of ['draft', 'submitted', 'returned', 'assessing']) {
        const rq = await requestIn(status);
        const n = (await historyOf(rq.id)).length;
        assertProblem(await act('wangfang', rq.id, 'cancel', {}), 422, 'required', 'reason');
        assertProblem(await act('wangfang', rq.id, 'cancel', { reason: '   ' }), 422, 'required', 'reason');
        assertProblem(await act('wangfang', rq.id, 'cancel', { reason: 'x', comment: 'y' }), 422, 'unknown_field', 'comment');
        await assertUnchanged(rq, n);
        const r = await ok('wangfang', rq.id, 'cancel', { reason: `活动取消（${status}）` });
        assert.equal(r.status, 'cancelled');
        assert.equal(r.waiting, null);
        assert.deepEqual(r.allowed_actions, []);
        const h = await historyOf(rq.id);
        assert.equal(h.length, n + 1);
        assert.equal(h.at(-1).action, 'cancel');
        assert.equal(h.at(-1).note, `活动取消（${status}）`);
        assert.equal(h.at(-1).actor_name, '王芳');
      }
    });

    it('an administrator cancels someone else\'s request (not a draft, which only its author finds)', async () => {
      const draft = await requestIn('draft');
      assertProblem(await admin.post(`${RQ}/${draft.id}/cancel`, { reason: '重复的需求单' }), 404, 'not_found');
      for (const status of ['returned', 'assessing']) {
        const rq = await requestIn(status);
        assert.deepEqual((await admin.get(`${RQ}/${rq.id}`)).json.allowed_actions, ['cancel']);
        const r = await admin.post(`${RQ}/${rq.id}/cancel`, { reason: '重复的需求单' });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.status, 'cancelled');
        const h = await historyOf(rq.id);
        assert.equal(h.at(-1).action, 'cancel');
        assert.equal(h.at(-1).actor_id, admin.user.id);
        assert.equal(h.at(-1).note, '重复的需求单');
      }
    });

    it('a body is required on cancel (422 or 400 without one)', async () => {
      const rq = await requestIn('draft');
      const r = await (await as('wangfang')).req('POST', `${RQ}/${rq.id}/cancel`);
      assert.ok([400, 422].includes(r.status), r.text);
      await assertUnchanged(rq, 1);
    });
  });

  describe('the decision', () => {
    it('accept before every assessment is in: 409 assessments_missing (none, then two of three); nothing changes', async () => {
      const rq = await requestIn('assessing');
      assertProblem(await act('liqiang', rq.id, 'decision', { decision: 'accept' }), 409, 'assessments_missing');
      await assess('chenjing', rq.id, D['平台部']);
      await assess('sunli', rq.id, D['财务部']);
      const now = await get(rq.id);
      const n = (await historyOf(rq.id)).length;
      const r = await act('liqiang', rq.id, 'decision', { decision: 'accept', comment: '够了' });
      assertProblem(r, 409, 'assessments_missing');
      await assertUnchanged(now, n);
      // force: false is the same as no force.
      assertProblem(await act('liqiang', rq.id, 'decision', { decision: 'accept', force: false }), 409, 'assessments_missing');
    });

    it('accept with an infeasible verdict: 409 infeasible_verdict; force without comment 422; force with comment accepts', async () => {
      const rq = await requestIn('assessing');
      await assess('chenjing', rq.id, D['平台部'], { verdict: 'infeasible', conditions: '人手不足' });
      await assess('sunli', rq.id, D['财务部']);
      await assess('wugang', rq.id, D['生产部']);
      const now = await get(rq.id);
      const n = (await historyOf(rq.id)).length;
      assertProblem(await act('liqiang', rq.id, 'decision', { decision: 'accept' }), 409, 'infeasible_verdict');
      assertProblem(await act('liqiang', rq.id, 'decision', { decision: 'accept', force: true }), 422, 'required', 'comment');
      assertProblem(await act('liqiang', rq.id, 'decision', { decision: 'accept', force: true, comment: ' ' }), 422, 'required', 'comment');
      assertProblem(await act('liqiang', rq.id, 'decision', { decision: 'accept', force: 'yes', comment: 'x' }), 422, 'invalid_type', 'force');
      assertProblem(await act('liqiang', rq.id, 'decision', { decision: 'approve' }), 422, 'invalid_value', 'decision');
      await assertUnchanged(now, n);
      const r = await ok('liqiang', rq.id, 'decision', { decision: 'accept', force: true, comment: '平台部外包解决人手' });
      assert.equal(r.status, 'accepted');
      assert.ok(r.project_id > 0);
      const h = await historyOf(rq.id);
      assert.equal(h.at(-1).action, 'accept');
      assert.equal(h.at(-1).note, '平台部外包解决人手');
    });

    it('force with a comment accepts even before the assessments are in', async () => {
      const rq = await requestIn('assessing');
      const r = await ok('liqiang', rq.id, 'decision', { decision: 'accept', force: true, comment: '时间紧，先立项' });
      assert.equal(r.status, 'accepted');
      assert.ok(r.project_id > 0);
    });

    it('the coordinator 郑华 may decide; decline needs a comment; a declined request has no project', async () => {
      const rq = await requestIn('assessing');
      assertProblem(await act('zhenghua', rq.id, 'decision', { decision: 'decline' }), 422, 'required', 'comment');
      await assertUnchanged(rq, 3);
      const r = await ok('zhenghua', rq.id, 'decision', { decision: 'decline', comment: '本季度资源已排满' });
      assert.equal(r.status, 'declined');
      assert.equal(r.project_id, null);
      assert.equal(r.waiting, null);
      const h = await historyOf(rq.id);
      assert.equal(h.at(-1).action, 'decline');
      assert.equal(h.at(-1).actor_name, '郑华');
      assert.equal(h.at(-1).note, '本季度资源已排满');
      // And accept.
      const rq2 = await requestIn('assessing');
      for (const [l, d] of [['chenjing', '平台部'], ['sunli', '财务部'], ['wugang', '生产部']]) await assess(l, rq2.id, D[d]);
      const a = await ok('zhenghua', rq2.id, 'decision', { decision: 'accept' });
      assert.equal(a.status, 'accepted');
      assert.ok(a.project_id > 0);
    });

    it('accept creates a project: PRJ code, status planning, lead = initiating department, involved ones assisting with their liaisons', async () => {
      const rq = await requestIn('assessing');
      for (const [l, d] of [['chenjing', '平台部'], ['sunli', '财务部'], ['wugang', '生产部']]) await assess(l, rq.id, D[d]);
      const r = await act('liqiang', rq.id, 'decision', { decision: 'accept' });
      assert.equal(r.status, 200, r.text);
      const pid = r.json.project_id;
      assert.equal((await get(rq.id)).project_id, pid);
      const p = await (await as('wangfang')).get(`/api/v1/projects/${pid}`);
      assert.equal(p.status, 200, p.text);
      assert.equal(p.headers.get('etag'), `"${p.json.version}"`);
      assert.match(p.json.code, new RegExp(`^PRJ-${YEAR}-\\d{4}$`));
      assert.equal(p.json.status, 'planning');
      assert.equal(p.json.name, rq.title);
      assert.equal(p.json.request_id, rq.id);
      assert.equal(p.json.lead_department_id, D['市场部']);
      const roles = Object.fromEntries(p.json.departments.map((x) => [x.department_id, x.role]));
      assert.deepEqual(roles, { [D['市场部']]: 'lead', [D['平台部']]: 'assisting', [D['财务部']]: 'assisting', [D['生产部']]: 'assisting' });
      assert.equal(p.json.liaisons[D['平台部']], U.chenjing);
      assert.equal(p.json.liaisons[D['财务部']], U.sunli);
      assert.equal(p.json.liaisons[D['生产部']], U.wugang);
      assert.equal(p.json.liaisons[D['市场部']], U.xuxiaodong);
      // Listed.
      const list = await (await as('chenjing')).get('/api/v1/projects');
      assert.equal(list.status, 200);
      const item = list.json.items.find((x) => x.id === pid);
      assert.ok(item, 'the project is listed');
      assert.equal(item.status, 'planning');
      assert.ok('next_cursor' in list.json);
      // Deciding again: 409.
      assertProblem(await act('liqiang', rq.id, 'decision', { decision: 'accept' }), 409, 'invalid_transition');
      assertProblem(await act('liqiang', rq.id, 'decision', { decision: 'decline', comment: 'x' }), 409, 'invalid_transition');
      // One project per request.
      const all = (await admin.get('/api/v1/projects?limit=1000')).json.items.filter((x) => x.request_id === rq.id);
      assert.equal(all.length, 1);
    });

    it('when the initiating department is also listed as involved, the project has it once, as lead', async () => {
      const rq = await requestIn('assessing', { involved_department_ids: [D['市场部'], D['平台部']] });
      const r = await ok('zhenghua', rq.id, 'decision', { decision: 'accept', force: true, comment: '立项' });
      const p = (await (await as('wangfang')).get(`/api/v1/projects/${r.project_id}`)).json;
      assert.deepEqual(p.departments.map((x) => [x.department_id, x.role]).sort((a, b) => a[0] - b[0]),
        [[D['平台部'], 'assisting'], [D['市场部'], 'lead']].sort((a, b) => a[0] - b[0]));
    });

    it('an unknown project answers 404', async () => {
      assertProblem(await (await as('wangfang')).get('/api/v1/projects/999999'), 404, 'not_found');
    });
  });

  describe('who reviews', () => {
    it('when the head of 市场部 raises a request himself, the head above (the company\'s head 张伟) reviews and decides', async () => {
      const rq = await create('liqiang');
      assert.equal(rq.initiating_department_id, D['市场部']);
      assert.equal(rq.reviewer_id, U.zhangwei);
      const s = await ok('liqiang', rq.id, 'submit');
      assert.deepEqual(s.waiting.on, [{ kind: 'user', id: U.zhangwei, name: '张伟' }]);
      assert.deepEqual(s.allowed_actions, ['cancel', 'withdraw', 'urge', 'cc'], 'he may not review his own request');
      assertProblem(await act('liqiang', rq.id, 'review', { decision: 'approve' }), 403, 'forbidden');
      assert.deepEqual((await get(rq.id, 'zhangwei')).allowed_actions, ['review', 'cc', 'transfer']);
      await ok('zhangwei', rq.id, 'review', { decision: 'approve' });
      assertProblem(await act('liqiang', rq.id, 'decision', { decision: 'accept', force: true, comment: '我定' }), 403, 'forbidden');
      const a = await get(rq.id, 'zhangwei');
      assert.deepEqual(a.allowed_actions, ['decide', 'cc', 'countersign']);
      for (const [l, d] of [['chenjing', '平台部'], ['sunli', '财务部'], ['wugang', '生产部']]) await assess(l, rq.id, D[d]);
      assert.deepEqual((await get(rq.id)).waiting.on, [{ kind: 'user', id: U.zhangwei, name: '张伟' }]);
      const d = await ok('zhangwei', rq.id, 'decision', { decision: 'accept' });
      assert.equal(d.status, 'accepted');
    });

    it('a department without a head: the first head above reviews; with no head anywhere above, submit answers 409', async () => {
      const sub = await admin.post('/api/v1/departments', { name: '品牌组', parent_id: D['市场部'] });
      assert.equal(sub.status, 201, sub.text);
      const u = await admin.post('/api/v1/users', { login: 'pinpai', name: '品牌专员', password: 'pinpai-password-1', department_id: sub.json.id });
      assert.equal(u.status, 201, u.text);
      const c = new Client(server);
      await c.login('pinpai', 'pinpai-password-1');
      const r = await c.post(RQ, body());
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.initiating_department_id, sub.json.id);
      assert.equal(r.json.reviewer_id, U.liqiang);
      const s = await c.post(`${RQ}/${r.json.id}/submit`);
      assert.equal(s.status, 200, s.text);
      assert.deepEqual(s.json.waiting.on, [{ kind: 'user', id: U.liqiang, name: '李强' }]);
      // A separate root without any head.
      const root = await admin.post('/api/v1/departments', { name: '独立工作室' });
      assert.equal(root.status, 201, root.text);
      const u2 = await admin.post('/api/v1/users', { login: 'duli', name: '独立', password: 'duli-password-1', department_id: root.json.id });
      assert.equal(u2.status, 201, u2.text);
      const c2 = new Client(server);
      await c2.login('duli', 'duli-password-1');
      const r2 = await c2.post(RQ, body());
      assert.equal(r2.status, 201, r2.text);
      assert.equal(r2.json.reviewer_id, null);
      const s2 = await c2.post(`${RQ}/${r2.json.id}/submit`);
      assertProblem(s2, 409);
      assert.equal((await c2.get(`${RQ}/${r2.json.id}`)).json.status, 'draft');
    });
  });

  describe('visibility of routes', () => {
    it('an unknown request answers 404 on every route', async () => {
      const w = await as('wangfang');
      assertProblem(await w.get(`${RQ}/999999`), 404, 'not_found');
      assertProblem(await w.get(`${RQ}/999999/history`), 404, 'not_found');
      assertProblem(await w.get(`${RQ}/999999/assessments`), 404, 'not_found');
      assertProblem(await w.patch(`${RQ}/999999`, { title: 'x' }, ifMatch(1)), 404, 'not_found');
      assertProblem(await w.post(`${RQ}/999999/cancel`, { reason: 'x' }), 404, 'not_found');
      assertProblem(await w.post(`${RQ}/999999/submit`, { comment: 'x' }), 404, 'not_found');
      assertProblem(await w.post(`${RQ}/999999/submit`), 404, 'not_found');
      assertProblem(await (await as('liqiang')).post(`${RQ}/999999/review`, { decision: 'approve' }), 404, 'not_found');
      assertProblem(await (await as('liqiang')).post(`${RQ}/999999/decision`, { decision: 'accept' }), 404, 'not_found');
    });

    it('lists carry the request without the long texts and without allowed_actions', async () => {
      const rq = await create();
      const r = await (await as('wangfang')).get(`${RQ}?mine=1`);
      const item = r.json.items.find((x) => x.id === rq.id);
      assert.ok(item);
      for (const k of LIST_ONLY_ABSENT) assert.ok(!(k in item), k);
      for (const k of ['code', 'title', 'status', 'waiting', 'assessment_progress', 'reviewer_id', 'involved_department_ids',
        'initiator_name', 'initiating_department_name', 'version']) assert.deepEqual(item[k], rq[k], k);
    });
  });

  describe('dates and the clock', () => {
    it('a draft whose due date has passed cannot be submitted (422 date_in_past); the code counter starts again each year', async () => {
      const rq = await create('wangfang', { due_date: shanghaiDate(3) });
      const offset = server.clockOffset; // the pinned clock, to go back to
      try {
        await setClock(server, serverNow(server) + 5 * 86400e3);
        assertProblem(await act('wangfang', rq.id, 'submit'), 422, 'date_in_past', 'due_date');
        assert.equal((await get(rq.id)).status, 'draft');
        // Moving the due date makes it submittable again.
        const p = await (await as('wangfang')).patch(`${RQ}/${rq.id}`, { due_date: shanghaiDate(30) }, ifMatch(1));
        assert.equal(p.status, 200, p.text);
        assert.equal((await act('wangfang', rq.id, 'submit')).status, 200);
        // Next year: REQ-<next year>-0001.
        await setClock(server, Date.parse(`${YEAR + 1}-01-05T09:00:00+08:00`));
        const c = new Client(server); // earlier sessions may have expired at that date
        await c.login('wangfang', DEMO_PASSWORD);
        const r = await c.post(RQ, body({ due_date: `${YEAR + 1}-03-01` }));
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.code, `REQ-${YEAR + 1}-0001`);
        const r2 = await c.post(RQ, body({ due_date: `${YEAR + 1}-03-01` }));
        assert.equal(r2.json.code, `REQ-${YEAR + 1}-0002`);
      } finally {
        await setClock(server, Date.now() + offset);
      }
    });
  });
});
