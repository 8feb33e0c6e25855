// Projects (项目) and their follow-ups (跟进事项), docs/projects.md: what the accepted request carries into its
// project (goal, success criteria, the assessments and their totals), the follow-ups an acceptance creates
// (domain/project.h FU-1..FU-3: one per conditional or overridden infeasible assessment, and the decision's comment
// when the acceptance carried conditions or needed force), GET /api/v1/projects/{id}/follow-ups, the open count in
// the project list, and visibility exactly as the request's.  (A stage-1 store upgraded: stage1-upgrade.test.js.)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startServer } from '../lib/server.js';
import { assertProblem, RQ, ifMatch, startDemo, approvedScenarioRequest } from '../lib/helpers.js';

const PRJ = '/api/v1/projects';
const FULL_ONLY = ['goal', 'success_criteria', 'assessments', 'assessment_totals', 'follow_ups', 'request_code'];

describe('projects and follow-ups', () => {
  let server;
  let admin;
  let as;
  let D;
  let U;

  before(async () => {
    ({ server, as, admin, D, U } = await startDemo());
  });
  after(async () => { await server?.stop(); });

  async function assess(login, id, dept, over = {}) {
    const r = await (await as(login)).put(`${RQ}/${id}/assessments/${dept}`, {
      impact: '影响可控', person_days: 1, cost: 0, materials: '', schedule_impact_days: 0, verdict: 'feasible', ...over,
    });
    assert.equal(r.status, 200, `${login} assesses: ${r.text}`);
    return r.json;
  }
  async function decide(login, id, body) {
    const r = await (await as(login)).post(`${RQ}/${id}/decision`, body);
    assert.equal(r.status, 200, `${login} decides: ${r.text}`);
    assert.equal(r.json.status, 'accepted');
    assert.ok(r.json.project_id > 0);
    return r.json.project_id;
  }
  async function project(id, login = 'wangfang') {
    const r = await (await as(login)).get(`${PRJ}/${id}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  }
  async function followUps(id, query = '', login = 'wangfang') {
    const r = await (await as(login)).get(`${PRJ}/${id}/follow-ups${query}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  }
  async function listAll(login) {
    const out = [];
    let cursor = null;
    do {
      const r = await (await as(login)).get(`${PRJ}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(r.status, 200, r.text);
      out.push(...r.json.items);
      cursor = r.json.next_cursor;
    } while (cursor);
    return out;
  }

  describe('the scenario: 孙丽 conditional, 李强 accepts with a comment', () => {
    let rq;
    let pid;
    before(async () => {
      rq = await approvedScenarioRequest(as, D);
      await assess('chenjing', rq.id, D['平台部'], { impact: '两名工程师离开当前迭代', person_days: 15, schedule_impact_days: 2 });
      await assess('sunli', rq.id, D['财务部'], {
        impact: '20 万预算', person_days: 2, cost: 200000, verdict: 'conditional', conditions: '20 万预算需张总签字',
      });
      await assess('wugang', rq.id, D['生产部'], {
        impact: '50 台样机', person_days: 3, cost: 5000.5, materials: '50 台样机', schedule_impact_days: 3,
      });
      pid = await decide('liqiang', rq.id, { decision: 'accept', comment: '同意，预算签字后执行' });
    });

    it('the project carries the goal, the success criteria, every assessment with its verdict, and the totals', async () => {
      const p = await project(pid);
      assert.equal(p.request_id, rq.id);
      assert.equal(p.request_code, rq.code);
      assert.equal(p.goal, '按期举办发布会。');
      assert.deepEqual(p.success_criteria, ['发布会按期举办', '至少 30 家媒体到场']);
      assert.deepEqual(p.assessments.map((a) => [a.department_name, a.verdict]).sort(),
        [['平台部', 'feasible'], ['财务部', 'conditional'], ['生产部', 'feasible']].sort());
      const fin = p.assessments.find((a) => a.department_id === D['财务部']);
      assert.equal(fin.conditions, '20 万预算需张总签字');
      assert.equal(fin.cost, 200000);
      assert.equal(fin.assessor_name, '孙丽');
      assert.deepEqual(p.assessment_totals, {
        person_days: 20, cost: 205000.5, max_schedule_impact_days: 3, expected: 3, received: 3, feasible: 2, conditional: 1,
        infeasible: 0,
      });
      // What stage 1 already answered is still there.
      assert.equal(p.status, 'planning');
      assert.equal(p.lead_department_id, D['市场部']);
      assert.equal(p.liaisons[D['财务部']], U.sunli);
    });

    it('one follow-up per conditional assessment, then the decision\'s comment; open, no task yet', async () => {
      const p = await project(pid);
      assert.equal(p.open_follow_ups, 2);
      assert.equal(p.follow_ups.length, 2);
      const [fin, dec] = p.follow_ups;
      assert.equal(fin.project_id, pid);
      assert.equal(fin.source, 'assessment');
      assert.equal(fin.department_id, D['财务部']);
      assert.equal(fin.department_name, '财务部');
      assert.equal(fin.text, '20 万预算需张总签字');
      assert.equal(fin.status, 'open');
      assert.equal(fin.task_id, null);
      assert.equal(fin.raised_by_id, U.sunli);
      assert.equal(fin.raised_by_name, '孙丽');
      assert.equal(fin.created_at, p.created_at, 'created with the project');
      assert.equal(dec.source, 'decision');
      assert.equal(dec.department_id, null);
      assert.equal(dec.text, '同意，预算签字后执行');
      assert.equal(dec.raised_by_id, U.liqiang);
      assert.ok(fin.id < dec.id);
    });

    it('GET /projects/{id}/follow-ups: the same follow-ups, oldest first, paged, filtered by status', async () => {
      const p = await project(pid);
      const all = await followUps(pid);
      assert.deepEqual(all, { items: p.follow_ups, next_cursor: null });
      const first = await followUps(pid, '?limit=1');
      assert.deepEqual(first.items, [p.follow_ups[0]]);
      assert.ok(first.next_cursor);
      const second = await followUps(pid, `?limit=1&cursor=${encodeURIComponent(first.next_cursor)}`);
      assert.deepEqual(second, { items: [p.follow_ups[1]], next_cursor: null });
      assert.deepEqual((await followUps(pid, '?status=open')).items, p.follow_ups);
      assert.deepEqual((await followUps(pid, '?status=covered')).items, []);
      const c = await as('wangfang');
      assertProblem(await c.get(`${PRJ}/${pid}/follow-ups?status=done`), 400, 'bad_request', 'status');
      assertProblem(await c.get(`${PRJ}/${pid}/follow-ups?limit=0`), 400, 'bad_request', 'limit');
      assertProblem(await c.get(`${PRJ}/999999/follow-ups`), 404, 'not_found');
    });

    it('the list shows each project with its open follow-ups, without the full view\'s fields', async () => {
      for (const login of ['wangfang', 'chenjing', 'sunli', 'zhenghua']) {
        const item = (await listAll(login)).find((x) => x.id === pid);
        assert.ok(item, `${login} lists it`);
        assert.equal(item.open_follow_ups, 2, login);
        assert.equal(item.code, (await project(pid)).code);
        for (const k of FULL_ONLY) assert.ok(!(k in item), `${k} only in the full view`);
        assert.ok(item.liaisons && item.departments, 'as stage 1 answered');
      }
    });

    it('nothing after the acceptance changes them: the request is final', async () => {
      const before0 = await project(pid);
      const r = await (await as('sunli')).put(`${RQ}/${rq.id}/assessments/${D['财务部']}`,
        { impact: 'x', person_days: 1, cost: 0, schedule_impact_days: 0, verdict: 'feasible' }, ifMatch(1));
      assert.equal(r.status, 409, r.text);
      assert.deepEqual(await project(pid), before0);
    });
  });

  describe('which conditions become follow-ups', () => {
    it('two conditional assessments give two, in department order; no comment, no decision follow-up', async () => {
      const rq = await approvedScenarioRequest(as, D);
      await assess('wugang', rq.id, D['生产部'], { verdict: 'conditional', conditions: '样机需提前两周下单' });
      await assess('sunli', rq.id, D['财务部'], { verdict: 'conditional', conditions: '预算需张总签字' });
      await assess('chenjing', rq.id, D['平台部']);
      const pid = await decide('liqiang', rq.id, { decision: 'accept' });
      const p = await project(pid);
      const byDept = [[D['财务部'], '预算需张总签字'], [D['生产部'], '样机需提前两周下单']].sort((a, b) => a[0] - b[0]);
      assert.deepEqual(p.follow_ups.map((f) => [f.department_id, f.text]), byDept);
      assert.ok(p.follow_ups.every((f) => f.source === 'assessment' && f.status === 'open'));
      assert.equal(p.open_follow_ups, 2);
    });

    it('every assessment feasible: the decision\'s comment is only a comment, and there is nothing to follow up', async () => {
      const rq = await approvedScenarioRequest(as, D);
      for (const [l, d] of [['chenjing', '平台部'], ['sunli', '财务部'], ['wugang', '生产部']]) {
        await assess(l, rq.id, D[d], { conditions: '提前一周通知' }); // a feasible verdict's remark is no condition
      }
      const pid = await decide('zhenghua', rq.id, { decision: 'accept', comment: '同意' });
      const p = await project(pid);
      assert.deepEqual(p.follow_ups, []);
      assert.equal(p.open_follow_ups, 0);
      assert.equal(p.assessment_totals.feasible, 3);
      assert.deepEqual(await followUps(pid), { items: [], next_cursor: null });
    });

    it('forced over an infeasible verdict: that department\'s conditions and the decision\'s comment', async () => {
      const rq = await approvedScenarioRequest(as, D);
      await assess('chenjing', rq.id, D['平台部'], { verdict: 'infeasible', conditions: '人手不足，需外包' });
      await assess('sunli', rq.id, D['财务部']);
      await assess('wugang', rq.id, D['生产部']);
      const pid = await decide('liqiang', rq.id, { decision: 'accept', force: true, comment: '平台部外包解决人手' });
      const p = await project(pid);
      assert.deepEqual(p.follow_ups.map((f) => [f.source, f.department_id, f.text, f.raised_by_id]), [
        ['assessment', D['平台部'], '人手不足，需外包', U.chenjing],
        ['decision', null, '平台部外包解决人手', U.liqiang],
      ]);
      assert.equal(p.assessment_totals.infeasible, 1);
    });

    it('forced before anyone assessed: the decision\'s comment alone, by the coordinator who decided', async () => {
      const rq = await approvedScenarioRequest(as, D);
      const pid = await decide('zhenghua', rq.id, { decision: 'accept', force: true, comment: '时间紧，先立项' });
      const p = await project(pid);
      assert.deepEqual(p.follow_ups.map((f) => [f.source, f.text, f.raised_by_id, f.raised_by_name]),
        [['decision', '时间紧，先立项', U.zhenghua, '郑华']]);
      assert.deepEqual(p.assessments, []);
      assert.deepEqual(p.assessment_totals, {
        person_days: 0, cost: 0, max_schedule_impact_days: 0, expected: 3, received: 0, feasible: 0, conditional: 0, infeasible: 0,
      });
    });

    it('a declined request has no project and leaves no follow-ups behind', async () => {
      const rq = await approvedScenarioRequest(as, D);
      await assess('sunli', rq.id, D['财务部'], { verdict: 'conditional', conditions: '预算需签字' });
      const before0 = (await admin.get(`${PRJ}?limit=1000`)).json.items.length;
      const r = await (await as('liqiang')).post(`${RQ}/${rq.id}/decision`, { decision: 'decline', comment: '本季度不做' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.project_id, null);
      assert.equal((await admin.get(`${PRJ}?limit=1000`)).json.items.length, before0);
    });
  });

  describe('what a page costs (liaison_db_statements_total)', () => {
    async function statements(route) {
      const text = (await admin.get('/metrics')).text;
      const m = text.match(new RegExp(`^liaison_db_statements_total\\{route="${route.replace(/[?{}]/g, '\\$&')}"\\} (\\d+)$`, 'm'));
      return m ? Number(m[1]) : 0;
    }
    async function cost(path, route) {
      const before0 = await statements(route);
      const r = await (await as('wangfang')).get(path);
      assert.equal(r.status, 200, r.text);
      return { n: (await statements(route)) - before0, json: r.json };
    }

    it('a list of 12 projects costs what a list of 2 costs; a project page and its follow-ups a bounded number', async () => {
      for (let i = 0; i < 12; i++) {
        const rq = await approvedScenarioRequest(as, D, { title: `项目 ${i}` });
        await assess('sunli', rq.id, D['财务部'], { verdict: 'conditional', conditions: `条件 ${i}` });
        await decide('zhenghua', rq.id, { decision: 'accept', force: true, comment: `先立项 ${i}` });
      }
      const small = await cost(`${PRJ}?limit=2`, 'GET /api/v1/projects');
      const large = await cost(`${PRJ}?limit=12`, 'GET /api/v1/projects');
      assert.equal(small.json.items.length, 2);
      assert.equal(large.json.items.length, 12);
      assert.ok(large.json.items.every((x) => x.open_follow_ups === 2));
      assert.ok(small.n > 0, 'the counter counts');
      assert.equal(large.n, small.n, `limit=2: ${small.n} statements, limit=12: ${large.n}`);
      const id = large.json.items[0].id;
      const page = await cost(`${PRJ}/${id}`, 'GET /api/v1/projects/{id}');
      assert.ok(page.n <= 10, `GET /projects/{id} runs ${page.n} statements`);
      const fus = await cost(`${PRJ}/${id}/follow-ups`, 'GET /api/v1/projects/{id}/follow-ups');
      assert.equal(fus.json.items.length, 2);
      assert.ok(fus.n <= 4, `GET /projects/{id}/follow-ups runs ${fus.n} statements`);
    });
  });

  describe('visible exactly like the project (its request)', () => {
    let pid;
    const VISIBLE = ['wangfang', 'liqiang', 'zhaolei', 'liuyang', 'zhenghua', 'zhangwei', 'admin'];
    const HIDDEN = ['chenjing', 'sunli', 'zhoumin', 'wugang', 'hanxue'];

    before(async () => {
      const w = await admin.get(`/api/v1/users/${U.wangfang}`);
      assert.equal((await admin.patch(`/api/v1/users/${U.wangfang}`, { clearance: 'confidential' }, ifMatch(w.json.version))).status, 200);
      const rq = await approvedScenarioRequest(as, D, {
        title: '新品定价（机密）', confidentiality: 'confidential', involved_department_ids: [D['平台部']],
      });
      await assess('zhaolei', rq.id, D['平台部'], { verdict: 'conditional', conditions: '需要保密机房' });
      pid = await decide('liqiang', rq.id, { decision: 'accept', comment: '机房由平台部安排' });
    });

    it('whoever sees the request sees the project, its follow-ups and the open count', async () => {
      for (const l of VISIBLE) {
        const p = await project(pid, l);
        assert.equal(p.follow_ups.length, 2, l);
        assert.equal((await followUps(pid, '', l)).items.length, 2, l);
        assert.equal((await listAll(l)).find((x) => x.id === pid)?.open_follow_ups, 2, l);
      }
    });

    it('anyone else: 404 exactly as for a project that does not exist, and never in a list', async () => {
      for (const l of HIDDEN) {
        const c = await as(l);
        const missing = await c.get(`${PRJ}/999999`);
        for (const path of [`${PRJ}/${pid}`, `${PRJ}/${pid}/follow-ups`, `${PRJ}/${pid}/follow-ups?status=open`]) {
          const r = await c.get(path);
          assertProblem(r, 404, 'not_found');
          assert.equal(r.json.detail.replace(String(pid), 'N'), missing.json.detail.replace('999999', 'N'), `${l} ${path}`);
        }
        assert.ok(!(await listAll(l)).some((x) => x.id === pid), `${l} lists it`);
      }
    });
  });
});
