// Stage 1 impact assessments (影响评估与资源预估), the scenario of SCENARIO.md step 3: 陈静 (平台部)
// 15 person-days feasible, 孙丽 (财务部) conditional on the general manager signing off the 200k
// budget, 吴刚 (生产部) feasible with 50 sample units and 3 working days of line time; who may assess,
// validation, If-Match on revisions, the side-by-side comparison with totals, and the end of
// assessing once the decision is taken.  The contract is docs/requests.md.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { problemAsserter, RQ, ifMatch, startDemo, scenarioRequest, approvedScenarioRequest } from '../lib/helpers.js';

const assertProblem = problemAsserter({ title: false });
const ASSESSMENT_KEYS = ['id', 'request_id', 'department_id', 'department_name', 'impact', 'person_days', 'cost', 'materials',
  'schedule_impact_days', 'verdict', 'conditions', 'assessor_id', 'assessor_name', 'version', 'created_at', 'updated_at'];

describe('impact assessments', () => {
  let server;
  let admin;
  let as; // login -> signed-in client
  let D; // department name -> id
  let U; // login -> user id
  const newRequest = (over) => scenarioRequest(as, D, over);
  const approved = (over) => approvedScenarioRequest(as, D, over);
  const put = async (login, id, dept, b, o) => (await as(login)).put(`${RQ}/${id}/assessments/${dept}`, b, o);
  async function list(id, login = 'wangfang') {
    const r = await (await as(login)).get(`${RQ}/${id}/assessments`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  }
  const PLATFORM = () => ({
    impact: '需要从当前迭代抽调两名工程师搭建演示环境', person_days: 15, cost: 0, materials: '',
    schedule_impact_days: 0, verdict: 'feasible',
  });
  const FINANCE = () => ({
    impact: '20 万预算超出部门审批权限', person_days: 2, cost: 200000, materials: '',
    schedule_impact_days: 5, verdict: 'conditional', conditions: '20 万预算需总经理签字批准',
  });
  const PRODUCTION = () => ({
    impact: '占用产线 3 个工作日生产样机', person_days: 6, cost: 15000, materials: '样机 50 台',
    schedule_impact_days: 3, verdict: 'feasible',
  });

  let rq; // the scenario's request, in assessment
  let platform; // 陈静's assessment
  let production; // 吴刚's assessment

  before(async () => {
    ({ server, as, admin, D, U } = await startDemo());
    rq = await approved();
  });
  after(async () => { await server?.stop(); });

  it('before anyone assesses: no items, every department pending, totals zero', async () => {
    const a = await list(rq.id);
    assert.deepEqual(a.items, []);
    assert.deepEqual(a.pending_department_ids, [D['平台部'], D['财务部'], D['生产部']].sort((x, y) => x - y));
    assert.deepEqual(a.totals, { person_days: 0, cost: 0, max_schedule_impact_days: 0, conditional: 0, infeasible: 0, received: 0 });
  });

  it('assessing is refused while the request is a draft (404: nobody else finds a draft) or in review (409 invalid_transition)', async () => {
    const d = await newRequest();
    assertProblem(await put('chenjing', d.id, D['平台部'], PLATFORM()), 404, 'not_found');
    assert.equal((await (await as('wangfang')).post(`${RQ}/${d.id}/submit`)).status, 200);
    assertProblem(await put('chenjing', d.id, D['平台部'], PLATFORM()), 409, 'invalid_transition');
    assert.deepEqual((await list(d.id)).items, []);
  });

  it('陈静 assesses for 平台部: 200 with the assessment and ETag; 平台部 is no longer pending', async () => {
    const r = await put('chenjing', rq.id, D['平台部'], PLATFORM());
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('etag'), '"1"');
    platform = r.json;
    assert.deepEqual(Object.keys(platform).sort(), [...ASSESSMENT_KEYS].sort());
    assert.equal(platform.request_id, rq.id);
    assert.equal(platform.department_id, D['平台部']);
    assert.equal(platform.department_name, '平台部');
    assert.equal(platform.person_days, 15);
    assert.equal(platform.cost, 0);
    assert.equal(platform.schedule_impact_days, 0);
    assert.equal(platform.verdict, 'feasible');
    assert.equal(platform.impact, PLATFORM().impact);
    assert.equal(platform.assessor_id, U.chenjing);
    assert.equal(platform.assessor_name, '陈静');
    assert.equal(platform.version, 1);
    const a = await list(rq.id);
    assert.deepEqual(a.items, [platform]);
    assert.deepEqual(a.pending_department_ids, [D['财务部'], D['生产部']].sort((x, y) => x - y));
    const g = await (await as('wangfang')).get(`${RQ}/${rq.id}`);
    assert.deepEqual(g.json.assessment_progress, { expected: 3, received: 1, pending_department_ids: a.pending_department_ids });
    assert.equal(g.json.status, 'assessing');
    assert.equal(g.json.waiting.step, 'assessment');
    assert.deepEqual(g.json.waiting.on.map((x) => x.name).sort(), ['生产部', '财务部'].sort());
  });

  it('a liaison of another department, the initiator, the reviewer, the coordinator or an administrator: 403; nothing stored', async () => {
    for (const login of ['chenjing', 'wugang', 'zhaolei', 'wangfang', 'liqiang', 'zhenghua', 'yuhong', 'zhangwei', 'admin']) {
      const r = await put(login, rq.id, D['财务部'], FINANCE());
      assertProblem(r, 403, 'forbidden');
      assert.match(r.json.detail, /liaison|head/);
    }
    // 孙丽 is 财务部's liaison, not 平台部's.
    assertProblem(await put('sunli', rq.id, D['平台部'], PLATFORM(), ifMatch(1)), 403, 'forbidden');
    const a = await list(rq.id);
    assert.deepEqual(a.items, [platform]);
  });

  it('a department that is not involved answers 404, also to its own liaison and head', async () => {
    assertProblem(await put('caiqing', rq.id, D['法务部'], PRODUCTION()), 404, 'not_found');
    assertProblem(await put('jiangwen', rq.id, D['法务部'], PRODUCTION()), 404, 'not_found');
    assertProblem(await put('chenjing', rq.id, D['法务部'], PRODUCTION()), 404, 'not_found');
    assertProblem(await put('chenjing', rq.id, D['市场部'], PRODUCTION()), 404, 'not_found', undefined);
    assertProblem(await put('chenjing', rq.id, 99999, PRODUCTION()), 404, 'not_found');
    assertProblem(await put('chenjing', 99999, D['平台部'], PLATFORM()), 404, 'not_found');
    assert.equal((await list(rq.id)).items.length, 1);
  });

  const INVALID = [
    ['verdict outside its set', { verdict: 'maybe' }, 'invalid_value', 'verdict'],
    ['verdict missing', { verdict: undefined }, 'required', 'verdict'],
    ['negative person_days', { person_days: -1 }, 'invalid_value', 'person_days'],
    ['negative cost', { cost: -0.5 }, 'invalid_value', 'cost'],
    ['negative schedule_impact_days', { schedule_impact_days: -2 }, 'invalid_value', 'schedule_impact_days'],
    ['conditional without conditions', { conditions: undefined }, 'required', 'conditions'],
    ['conditional with blank conditions', { conditions: '   ' }, 'required', 'conditions'],
    ['infeasible without conditions', { verdict: 'infeasible', conditions: '' }, 'required', 'conditions'],
    ['impact missing', { impact: undefined }, 'required', 'impact'],
    ['impact blank', { impact: '  ' }, 'required', 'impact'],
    ['person_days as text', { person_days: '2' }, 'invalid_type', 'person_days'],
    ['cost as text', { cost: '200000' }, 'invalid_type', 'cost'],
    ['schedule_impact_days not an integer', { schedule_impact_days: 1.5 }, 'invalid_type', 'schedule_impact_days'],
    ['schedule_impact_days as text', { schedule_impact_days: '5' }, 'invalid_type', 'schedule_impact_days'],
    ['verdict not text', { verdict: true }, 'invalid_type', 'verdict'],
    ['conditions not text', { conditions: ['签字'] }, 'invalid_type', 'conditions'],
    ['an unknown field', { budget: 1 }, 'unknown_field', 'budget'],
  ];
  for (const [name, change, code, field] of INVALID) {
    it(`422 ${code} on ${field}: ${name}; nothing stored`, async () => {
      const b = { ...FINANCE(), ...change };
      for (const k of Object.keys(change)) if (change[k] === undefined) delete b[k];
      assertProblem(await put('sunli', rq.id, D['财务部'], b), 422, code, field);
      const a = await list(rq.id);
      assert.ok(!a.items.some((x) => x.department_id === D['财务部']));
      assert.ok(a.pending_department_ids.includes(D['财务部']));
    });
  }

  it('孙丽 assesses for 财务部: conditional, with the 200k condition', async () => {
    const r = await put('sunli', rq.id, D['财务部'], FINANCE());
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.verdict, 'conditional');
    assert.equal(r.json.conditions, '20 万预算需总经理签字批准');
    assert.equal(r.json.cost, 200000);
    assert.equal(r.json.assessor_name, '孙丽');
    assert.deepEqual((await list(rq.id)).pending_department_ids, [D['生产部']]);
  });

  it('吴刚 assesses for 生产部: feasible, 50 units, 3 working days; nobody is pending any more', async () => {
    const r = await put('wugang', rq.id, D['生产部'], PRODUCTION());
    assert.equal(r.status, 200, r.text);
    production = r.json;
    assert.equal(production.materials, '样机 50 台');
    assert.equal(production.schedule_impact_days, 3);
    const a = await list(rq.id);
    assert.deepEqual(a.pending_department_ids, []);
    const g = (await (await as('liqiang')).get(`${RQ}/${rq.id}`)).json;
    assert.equal(g.waiting.step, 'decision');
    assert.deepEqual(g.assessment_progress, { expected: 3, received: 3, pending_department_ids: [] });
  });

  it('revising needs If-Match: 428 without, 412 when stale, 200 with the version; nothing changes when refused', async () => {
    const revised = { ...PRODUCTION(), materials: '样机 50 台，另备 5 台', person_days: 7 };
    assertProblem(await put('wugang', rq.id, D['生产部'], revised), 428, 'if_match_required');
    assertProblem(await put('wugang', rq.id, D['生产部'], revised, ifMatch(2)), 412, 'precondition_failed');
    assertProblem(await put('wugang', rq.id, D['生产部'], revised, ifMatch(17)), 412, 'precondition_failed');
    let a = await list(rq.id);
    assert.deepEqual(a.items.find((x) => x.department_id === D['生产部']), production);
    const r = await put('wugang', rq.id, D['生产部'], revised, ifMatch(1));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('etag'), '"2"');
    assert.equal(r.json.version, 2);
    assert.equal(r.json.materials, '样机 50 台，另备 5 台');
    assert.equal(r.json.person_days, 7);
    assert.equal(r.json.id, production.id, 'the same assessment, revised');
    // The old version is stale now.
    assertProblem(await put('wugang', rq.id, D['生产部'], PRODUCTION(), ifMatch(1)), 412, 'precondition_failed');
    a = await list(rq.id);
    assert.equal(a.items.find((x) => x.department_id === D['生产部']).version, 2);
    // The history records the revision.
    const h = (await (await as('wangfang')).get(`${RQ}/${rq.id}/history`)).json.items;
    assert.deepEqual(h.map((x) => x.action).slice(-4), ['assess', 'assess', 'assess', 'reassess']);
    assert.equal(h.at(-1).actor_name, '吴刚');
  });

  it('the head of the department may assess too: 黄建国 revises 生产部\'s assessment back to the scenario\'s figures', async () => {
    const r = await put('huangjianguo', rq.id, D['生产部'], PRODUCTION(), ifMatch(2));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.version, 3);
    assert.equal(r.json.assessor_id, U.huangjianguo);
    assert.equal(r.json.assessor_name, '黄建国');
    // A head may also make the first assessment (赵磊 for 平台部 on another request).
    const other = await approved({ involved_department_ids: [D['平台部']] });
    const z = await put('zhaolei', other.id, D['平台部'], PLATFORM());
    assert.equal(z.status, 200, z.text);
    assert.equal(z.json.assessor_name, '赵磊');
    // The head above (刘洋, 研发中心) is neither liaison nor head of 平台部.
    const other2 = await approved({ involved_department_ids: [D['平台部']] });
    assertProblem(await put('liuyang', other2.id, D['平台部'], PLATFORM()), 403, 'forbidden');
  });

  it('the comparison: items side by side (by department) with totals and the one condition', async () => {
    const a = await list(rq.id, 'liqiang');
    assert.deepEqual(a.items.map((x) => x.department_id), [D['平台部'], D['财务部'], D['生产部']].sort((x, y) => x - y));
    const by = Object.fromEntries(a.items.map((x) => [x.department_name, x]));
    assert.equal(by['平台部'].person_days, 15);
    assert.equal(by['平台部'].verdict, 'feasible');
    assert.equal(by['财务部'].verdict, 'conditional');
    assert.equal(by['生产部'].materials, '样机 50 台');
    assert.equal(by['生产部'].schedule_impact_days, 3);
    assert.deepEqual(a.totals, {
      person_days: 15 + 2 + 6,
      cost: 0 + 200000 + 15000,
      max_schedule_impact_days: 5,
      conditional: 1,
      infeasible: 0,
      received: 3,
    });
    assert.deepEqual(a.pending_department_ids, []);
    // Everybody who may see the request may see the comparison.
    for (const l of ['chenjing', 'zhenghua', 'caiqing']) assert.deepEqual((await list(rq.id, l)).totals, a.totals);
  });

  it('fractional person-days and costs add up', async () => {
    const r2 = await approved({ involved_department_ids: [D['平台部'], D['财务部']] });
    assert.equal((await put('chenjing', r2.id, D['平台部'], { ...PLATFORM(), person_days: 2.5, cost: 100.25 })).status, 200);
    assert.equal((await put('sunli', r2.id, D['财务部'], { ...FINANCE(), verdict: 'infeasible', person_days: 0.5, cost: 0.5, schedule_impact_days: 0 })).status, 200);
    const a = await list(r2.id);
    assert.equal(a.totals.person_days, 3);
    assert.equal(a.totals.cost, 100.75);
    assert.equal(a.totals.infeasible, 1);
    assert.equal(a.totals.conditional, 0);
    assert.equal(a.totals.max_schedule_impact_days, 0);
  });

  it('李强 accepts; afterwards assessing again answers 409 invalid_transition, with or without If-Match', async () => {
    const d = await (await as('liqiang')).post(`${RQ}/${rq.id}/decision`, { decision: 'accept', comment: '同意立项' });
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.status, 'accepted');
    assert.ok(d.json.project_id > 0);
    const before0 = await list(rq.id);
    assertProblem(await put('wugang', rq.id, D['生产部'], PRODUCTION(), ifMatch(3)), 409, 'invalid_transition');
    assertProblem(await put('wugang', rq.id, D['生产部'], PRODUCTION()), 409, 'invalid_transition');
    assertProblem(await put('chenjing', rq.id, D['平台部'], PLATFORM(), ifMatch(1)), 409, 'invalid_transition');
    assertProblem(await put('huangjianguo', rq.id, D['生产部'], PRODUCTION(), ifMatch(3)), 409, 'invalid_transition');
    assert.deepEqual(await list(rq.id), before0);
    // The comparison stays readable.
    assert.equal(before0.items.length, 3);
  });

  it('a declined or cancelled request can no longer be assessed either', async () => {
    const a = await approved();
    assert.equal((await (await as('zhenghua')).post(`${RQ}/${a.id}/decision`, { decision: 'decline', comment: '暂缓' })).status, 200);
    assertProblem(await put('chenjing', a.id, D['平台部'], PLATFORM()), 409, 'invalid_transition');
    const b = await approved();
    assert.equal((await put('chenjing', b.id, D['平台部'], PLATFORM())).status, 200);
    assert.equal((await (await as('wangfang')).post(`${RQ}/${b.id}/cancel`, { reason: '活动取消' })).status, 200);
    assertProblem(await put('sunli', b.id, D['财务部'], FINANCE()), 409, 'invalid_transition');
    assertProblem(await put('chenjing', b.id, D['平台部'], PLATFORM(), ifMatch(1)), 409, 'invalid_transition');
    assert.equal((await list(b.id)).items.length, 1);
  });
});
