// The approval actions of DingTalk and Feishu on a request (docs/requests.md, "Approval actions"):
// 撤回 withdraw, copy, 催办 urge ... Each: success, each refusal, visibility, the inbox item done and
// the count dropping.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assertProblem, RQ, startDemo, scenarioRequest, setClock, PINNED_NOW, shanghaiDate } from '../lib/helpers.js';

describe('approval actions', () => {
  let demo;
  before(async () => { demo = await startDemo(); });
  after(async () => { await demo.server.stop(); });

  const post = async (login, path, body) => (await demo.as(login)).post(path, body);
  const submitted = async (over = {}, login = 'wangfang') => {
    const rq = await scenarioRequest(demo.as, demo.D, over, login);
    const r = await post(login, `${RQ}/${rq.id}/submit`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const inbox = async (login) => (await (await demo.as(login)).get('/api/v1/inbox?limit=1000')).json;

  describe('撤回 withdraw', () => {
    it('the initiator takes a submitted request back to draft: the reviewer\'s item is done, and the draft is hers alone again', async () => {
      const rq = await submitted();
      const before0 = await inbox('liqiang');
      assert.ok(before0.items.some((x) => x.entity_id === rq.id && x.kind === 'request.submitted' && !x.done));
      assert.deepEqual((await (await demo.as('wangfang')).get(`${RQ}/${rq.id}`)).json.allowed_actions.includes('withdraw'), true);
      const r = await post('wangfang', `${RQ}/${rq.id}/withdraw`, { comment: '预算还要再核一下' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.status, 'draft');
      assert.ok(r.json.allowed_actions.includes('submit') && r.json.allowed_actions.includes('edit'));
      assert.equal((await (await demo.as('liqiang')).get(`${RQ}/${rq.id}`)).status, 404, 'a draft is its initiator\'s alone');
      const after0 = await inbox('liqiang');
      assert.ok(!after0.items.some((x) => x.entity_id === rq.id), 'the item of a request he may no longer see is gone');
      assert.equal(after0.unread_count, before0.unread_count - 1, 'and the count dropped');
      const h = (await (await demo.as('wangfang')).get(`${RQ}/${rq.id}/history`)).json;
      const last = h.items[h.items.length - 1];
      assert.equal(last.action, 'withdraw');
      assert.equal(last.note, '预算还要再核一下');
      // Submitted again, it waits on the reviewer again.
      assert.equal((await post('wangfang', `${RQ}/${rq.id}/submit`)).status, 200);
      assert.ok((await inbox('liqiang')).items.some((x) => x.entity_id === rq.id && x.kind === 'request.submitted' && !x.done));
    });

    it('refuses: another person 403, a draft or a reviewed request 409, an unknown one 404', async () => {
      const rq = await submitted();
      assertProblem(await post('liqiang', `${RQ}/${rq.id}/withdraw`), 403, 'forbidden');
      assertProblem(await post('zhenghua', `${RQ}/${rq.id}/withdraw`), 403, 'forbidden');
      const draft = await scenarioRequest(demo.as, demo.D);
      assertProblem(await post('wangfang', `${RQ}/${draft.id}/withdraw`), 409, 'invalid_transition');
      assert.equal((await post('liqiang', `${RQ}/${rq.id}/review`, { decision: 'approve' })).status, 200);
      assertProblem(await post('wangfang', `${RQ}/${rq.id}/withdraw`), 409, 'invalid_transition');
      assertProblem(await post('wangfang', `${RQ}/999999/withdraw`), 404, 'not_found');
      assertProblem(await post('wangfang', `${RQ}/${rq.id}/withdraw`, { comment: 'x'.repeat(5001) }), 422, 'too_long', 'comment');
    });
  });

  describe('copy', () => {
    it('anyone who may see a request copies it as their own new draft; the timeline says from which', async () => {
      const src = await submitted({ title: '新品发布会（原）', priority: 'high' });
      const r = await post('chenjing', `${RQ}/${src.id}/copy`);
      assert.equal(r.status, 201, r.text);
      assert.equal(r.headers.get('location'), `${RQ}/${r.json.id}`);
      const c = r.json;
      assert.notEqual(c.id, src.id);
      assert.notEqual(c.code, src.code);
      assert.equal(c.status, 'draft');
      assert.equal(c.initiator_id, demo.U.chenjing);
      assert.equal(c.initiating_department_id, demo.D['平台部'], 'the copier\'s department');
      for (const k of ['title', 'background', 'goal', 'success_criteria', 'resources_needed', 'expected_outcome', 'due_date',
        'risks', 'involved_department_ids', 'confidentiality', 'priority']) assert.deepEqual(c[k], src[k], k);
      const h = (await (await demo.as('chenjing')).get(`${RQ}/${c.id}/history`)).json.items;
      assert.deepEqual(h.map((x) => x.action), ['create', 'copy']);
      assert.equal(h[1].note, src.code);
      assert.equal((await (await demo.as('wangfang')).get(`${RQ}/${c.id}`)).status, 404, 'the copy is a draft: hers alone');
      assert.equal((await (await demo.as('wangfang')).get(`${RQ}/${src.id}`)).json.status, 'submitted', 'the source is untouched');
    });

    it('refuses what the caller may not see (404) and a draft of someone else (404)', async () => {
      const secret = await submitted({ confidentiality: 'confidential' }, 'liqiang'); // above 王芳's clearance
      assertProblem(await post('wangfang', `${RQ}/${secret.id}/copy`), 404, 'not_found');
      const draft = await scenarioRequest(demo.as, demo.D);
      assertProblem(await post('chenjing', `${RQ}/${draft.id}/copy`), 404, 'not_found');
      const mine = await post('wangfang', `${RQ}/${draft.id}/copy`);
      assert.equal(mine.status, 201, 'her own draft she may copy');
    });
  });

  describe('催办 urge', () => {
    const H = 3600e3;
    it('the initiator reminds whoever the step waits on; again within 4 working hours is 429 with Retry-After', async () => {
      await setClock(demo.server, PINNED_NOW); // a Wednesday, 10:00 in Shanghai
      const rq = await submitted();
      const before0 = await inbox('liqiang');
      const r = await post('wangfang', `${RQ}/${rq.id}/urge`, { comment: '下周就要定了，麻烦尽快' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.status, 'submitted', 'the request itself does not change');
      assert.equal(r.json.version, rq.version);
      const after0 = await inbox('liqiang');
      const item = after0.items.find((x) => x.entity_id === rq.id && x.kind === 'request.urged');
      assert.ok(item, 'the reviewer is reminded');
      assert.equal(item.actor_name, '王芳');
      assert.equal(after0.unread_count, before0.unread_count + 1);
      const again = await post('wangfang', `${RQ}/${rq.id}/urge`);
      assertProblem(again, 429, 'urged_recently');
      // (the server's clock runs on from the pinned instant: a second either way)
      const near = (v, want) => assert.ok(Math.abs(Number(v) - want) <= 1, `Retry-After ${v}, about ${want}`);
      near(again.headers.get('retry-after'), 5 * 3600); // four working hours from 10:00 end at 15:00 (lunch does not count)
      await setClock(demo.server, PINNED_NOW + 3 * H); // 13:00: two working hours passed (lunch does not count)
      const later = await post('wangfang', `${RQ}/${rq.id}/urge`);
      assertProblem(later, 429, 'urged_recently');
      near(later.headers.get('retry-after'), 2 * 3600);
      await setClock(demo.server, PINNED_NOW + 5 * H + 2000); // 15:00 and a moment
      assert.equal((await post('wangfang', `${RQ}/${rq.id}/urge`)).status, 200);
      const h = (await (await demo.as('wangfang')).get(`${RQ}/${rq.id}/history`)).json.items.filter((x) => x.action === 'urge');
      assert.deepEqual(h.map((x) => x.note), ['下周就要定了，麻烦尽快', null]);
      await setClock(demo.server, PINNED_NOW);
    });

    it('during the assessment it reminds the departments still to assess, not those done', async () => {
      await setClock(demo.server, PINNED_NOW);
      const rq = await submitted();
      assert.equal((await post('liqiang', `${RQ}/${rq.id}/review`, { decision: 'approve' })).status, 200);
      const put = await (await demo.as('chenjing')).put(`${RQ}/${rq.id}/assessments/${demo.D['平台部']}`,
        { impact: '可控', person_days: 3, cost: 0, schedule_impact_days: 1, verdict: 'feasible' });
      assert.equal(put.status, 200, put.text);
      assert.equal((await post('wangfang', `${RQ}/${rq.id}/urge`)).status, 200);
      const urged = async (l) => (await inbox(l)).items.some((x) => x.entity_id === rq.id && x.kind === 'request.urged');
      assert.equal(await urged('sunli'), true, 'finance has not assessed');
      assert.equal(await urged('wugang'), true, 'production has not assessed');
      assert.equal(await urged('chenjing'), false, 'the platform has');
      assert.equal(await urged('liqiang'), false, 'the decision does not wait on him yet');
    });

    it('refuses: someone else 403, a draft or a closed request 409, what one may not see 404', async () => {
      const rq = await submitted();
      assertProblem(await post('liqiang', `${RQ}/${rq.id}/urge`), 403, 'forbidden');
      const draft = await scenarioRequest(demo.as, demo.D);
      assertProblem(await post('wangfang', `${RQ}/${draft.id}/urge`), 409, 'invalid_transition');
      assert.equal((await post('wangfang', `${RQ}/${rq.id}/cancel`, { reason: '不需要了' })).status, 200);
      assertProblem(await post('wangfang', `${RQ}/${rq.id}/urge`), 409, 'invalid_transition');
      assertProblem(await post('chenjing', `${RQ}/${draft.id}/urge`), 404, 'not_found');
    });
  });

  describe('抄送 cc', () => {
    it('the initiator copies in someone who could not see a confidential request: now they may read it, and are told', async () => {
      const rq = await submitted({ confidentiality: 'confidential', involved_department_ids: [demo.D['平台部'], demo.D['财务部']] }, 'liqiang');
      const yang = await demo.as('yangfan'); // 产品部's head: confidential clearance, no part in it
      assert.equal((await yang.get(`${RQ}/${rq.id}`)).status, 404);
      const r = await post('liqiang', `${RQ}/${rq.id}/cc`, { user_ids: [demo.U.yangfan] });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.cc_user_ids, [demo.U.yangfan]);
      const seen = await yang.get(`${RQ}/${rq.id}`);
      assert.equal(seen.status, 200, 'copied in: he may read it');
      assert.equal(seen.json.allowed_actions.length, 0, 'and do nothing else');
      assert.ok((await yang.get(`${RQ}?limit=100`)).json.items.some((x) => x.id === rq.id), 'it is in his list');
      assert.ok((await inbox('yangfan')).items.some((x) => x.entity_id === rq.id && x.kind === 'request.cc'), 'he is told');
      const h = (await (await demo.as('liqiang')).get(`${RQ}/${rq.id}/history`)).json.items.filter((x) => x.action === 'cc');
      assert.deepEqual(h.map((x) => x.note), ['杨帆']);
      // Again: nothing new, nobody told twice.
      const before0 = (await inbox('yangfan')).items.length;
      assert.equal((await post('liqiang', `${RQ}/${rq.id}/cc`, { user_ids: [demo.U.yangfan] })).status, 200);
      assert.equal((await inbox('yangfan')).items.length, before0);
    });

    it('one whose clearance is too low is refused with 422 naming them, and nobody of the list is added', async () => {
      const rq = await submitted({ confidentiality: 'confidential' }, 'liqiang');
      const r = await post('liqiang', `${RQ}/${rq.id}/cc`, { user_ids: [demo.U.songjie, demo.U.hemin] });
      assertProblem(r, 422, 'clearance_too_low', 'user_ids');
      assert.match(r.json.detail, /何敏 \(internal\)/);
      assert.doesNotMatch(r.json.detail, /宋杰/);
      assert.equal((await (await demo.as('songjie')).get(`${RQ}/${rq.id}`)).status, 404, 'not even the one who could');
      assert.deepEqual((await (await demo.as('liqiang')).get(`${RQ}/${rq.id}`)).json.cc_user_ids, []);
    });

    it('refuses: an unknown person 422, an empty list 422, someone else 403, a draft 409', async () => {
      const rq = await submitted();
      assertProblem(await post('wangfang', `${RQ}/${rq.id}/cc`, { user_ids: [999999] }), 422, 'not_found', 'user_ids');
      assertProblem(await post('wangfang', `${RQ}/${rq.id}/cc`, { user_ids: [] }), 422, 'required', 'user_ids');
      assertProblem(await post('wangfang', `${RQ}/${rq.id}/cc`, {}), 422, 'required', 'user_ids');
      assertProblem(await post('chenjing', `${RQ}/${rq.id}/cc`, { user_ids: [demo.U.hanxue] }), 403, 'forbidden');
      const ok = await post('liqiang', `${RQ}/${rq.id}/cc`, { user_ids: [demo.U.hanxue] });
      assert.equal(ok.status, 200, 'the reviewer (who decides) may copy people in');
      const draft = await scenarioRequest(demo.as, demo.D);
      assertProblem(await post('wangfang', `${RQ}/${draft.id}/cc`, { user_ids: [demo.U.hanxue] }), 409, 'invalid_transition');
    });
  });

  describe('转交 transfer', () => {
    const get = async (login, id) => (await (await demo.as(login)).get(`${RQ}/${id}`)).json;
    const workHas = async (login, list, id) => (await (await (await demo.as(login)).get('/api/v1/me/work')).json)[list]
      .some((x) => x.id === id);

    it('the reviewer hands the review to a colleague who may see it: it waits on them now, his task is done', async () => {
      const rq = await submitted();
      const r = await post('liqiang', `${RQ}/${rq.id}/transfer`, { to_user_id: demo.U.xuxiaodong, comment: '我出差，请晓东初审' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.reviewer_id, demo.U.xuxiaodong);
      assert.deepEqual(r.json.waiting.on.map((p) => p.id), [demo.U.xuxiaodong]);
      assert.deepEqual(r.json.allowed_actions.includes('review'), false, 'no longer his to review');
      assert.ok((await get('xuxiaodong', rq.id)).allowed_actions.includes('review'), 'his colleague reviews now');
      assert.ok(await workHas('xuxiaodong', 'reviews', rq.id), 'in her My work');
      assert.ok(!(await workHas('liqiang', 'reviews', rq.id)), 'not in his');
      const li = (await inbox('liqiang')).items.find((x) => x.entity_id === rq.id && x.kind === 'request.submitted');
      assert.equal(li.done, true, 'his review task is done');
      const xu = (await inbox('xuxiaodong')).items.find((x) => x.entity_id === rq.id && x.kind === 'request.transferred');
      assert.ok(xu && !xu.done, 'she is told, and it waits on her');
      const h = (await (await demo.as('liqiang')).get(`${RQ}/${rq.id}/history`)).json.items.filter((x) => x.action === 'transfer');
      assert.deepEqual(h.map((x) => x.note), ['徐晓东：我出差，请晓东初审']);
      // She reviews; the request goes on; her item is done.
      assert.equal((await post('xuxiaodong', `${RQ}/${rq.id}/review`, { decision: 'approve' })).status, 200);
      assert.equal((await inbox('xuxiaodong')).items.find((x) => x.entity_id === rq.id && x.kind === 'request.transferred').done, true);
      assertProblem(await post('liqiang', `${RQ}/${rq.id}/review`, { decision: 'approve' }), 409, 'invalid_transition');
    });

    it('an assessor hands the department\'s assessment to a colleague; the others still to assess are untouched', async () => {
      const rq = await submitted();
      assert.equal((await post('liqiang', `${RQ}/${rq.id}/review`, { decision: 'approve' })).status, 200);
      const r = await post('chenjing', `${RQ}/${rq.id}/transfer`, { to_user_id: demo.U.wangyong });
      assert.equal(r.status, 200, r.text);
      const view = await get('wangyong', rq.id);
      assert.ok(view.allowed_actions.includes('assess'), '王勇 assesses for 平台部 now');
      assert.deepEqual(view.my_department_ids, [demo.D['平台部']]);
      assert.ok(view.waiting.on.some((p) => p.kind === 'user' && p.id === demo.U.wangyong));
      assert.ok(view.waiting.on.some((p) => p.kind === 'department' && p.id === demo.D['财务部']), 'finance still waits as a department');
      assert.ok(await workHas('wangyong', 'assessments', rq.id));
      assert.equal((await inbox('chenjing')).items.find((x) => x.entity_id === rq.id && x.kind === 'request.assess').done, true);
      const put = await (await demo.as('wangyong')).put(`${RQ}/${rq.id}/assessments/${demo.D['平台部']}`,
        { impact: '可控', person_days: 3, cost: 0, schedule_impact_days: 1, verdict: 'feasible' });
      assert.equal(put.status, 200, put.text);
      assert.equal((await inbox('wangyong')).items.find((x) => x.entity_id === rq.id && x.kind === 'request.transferred').done, true);
      // 催办 now reminds him no more (assessed) but the departments still to assess.
      assert.equal((await post('wangfang', `${RQ}/${rq.id}/urge`)).status, 200);
      assert.ok(!(await inbox('wangyong')).items.some((x) => x.entity_id === rq.id && x.kind === 'request.urged'));
    });

    it('refuses: someone who may not see it 422, oneself 422, someone else\'s step 403, a draft 409', async () => {
      const secret = await submitted({ confidentiality: 'confidential' }, 'liqiang');
      assertProblem(await post('zhangwei', `${RQ}/${secret.id}/transfer`, { to_user_id: demo.U.hemin }), 422, 'cannot_see', 'to_user_id');
      assertProblem(await post('zhangwei', `${RQ}/${secret.id}/transfer`, { to_user_id: demo.U.zhangwei }), 422, 'invalid_value', 'to_user_id');
      assertProblem(await post('zhangwei', `${RQ}/${secret.id}/transfer`, { to_user_id: 999999 }), 422, 'not_found', 'to_user_id');
      assertProblem(await post('zhangwei', `${RQ}/${secret.id}/transfer`, {}), 422, 'required', 'to_user_id');
      const rq = await submitted();
      assertProblem(await post('wangfang', `${RQ}/${rq.id}/transfer`, { to_user_id: demo.U.hanxue }), 403, 'forbidden');
      assertProblem(await post('chenjing', `${RQ}/${rq.id}/transfer`, { to_user_id: demo.U.hanxue }), 403, 'forbidden');
      const draft = await scenarioRequest(demo.as, demo.D);
      assertProblem(await post('wangfang', `${RQ}/${draft.id}/transfer`, { to_user_id: demo.U.hanxue }), 409, 'invalid_transition');
    });
  });

  describe('加签 countersign', () => {
    // Approved, and every involved department has assessed: the decision is 李强's.
    async function readyToDecide() {
      const rq = await submitted({ involved_department_ids: [demo.D['平台部']] });
      assert.equal((await post('liqiang', `${RQ}/${rq.id}/review`, { decision: 'approve' })).status, 200);
      const put = await (await demo.as('chenjing')).put(`${RQ}/${rq.id}/assessments/${demo.D['平台部']}`,
        { impact: '可控', person_days: 3, cost: 20000, schedule_impact_days: 1, verdict: 'conditional', conditions: '需总经理批准预算' });
      assert.equal(put.status, 200, put.text);
      return rq;
    }

    it('the decider adds the general manager; accepting waits for him; his approval lets the decision through', async () => {
      const rq = await readyToDecide();
      const r = await post('liqiang', `${RQ}/${rq.id}/countersign`, { user_id: demo.U.zhangwei, comment: '预算超出部门权限' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.waiting.step, 'countersign');
      assert.deepEqual(r.json.waiting.on.map((p) => p.id), [demo.U.zhangwei]);
      assert.deepEqual(r.json.countersigns.map((x) => [x.user_id, x.decision]), [[demo.U.zhangwei, null]]);
      assertProblem(await post('liqiang', `${RQ}/${rq.id}/decision`, { decision: 'accept' }), 409, 'countersign_pending');
      const z = (await (await demo.as('zhangwei')).get(`${RQ}/${rq.id}`)).json;
      assert.ok(z.allowed_actions.includes('countersign_answer'));
      const work = (await (await demo.as('zhangwei')).get('/api/v1/me/work')).json;
      assert.ok(work.decisions.some((x) => x.id === rq.id), 'in his My work');
      const item = (await inbox('zhangwei')).items.find((x) => x.entity_id === rq.id && x.kind === 'request.countersign');
      assert.ok(item && !item.done);
      const a = await post('zhangwei', `${RQ}/${rq.id}/countersign/answer`, { decision: 'approve', comment: '同意' });
      assert.equal(a.status, 200, a.text);
      assert.equal(a.json.countersigns[0].decision, 'approve');
      assert.equal(a.json.waiting.step, 'decision');
      assert.equal((await inbox('zhangwei')).items.find((x) => x.entity_id === rq.id && x.kind === 'request.countersign').done, true);
      assert.ok((await inbox('liqiang')).items.some((x) => x.entity_id === rq.id && x.kind === 'request.countersigned'), 'the decider is told');
      assertProblem(await post('zhangwei', `${RQ}/${rq.id}/countersign/answer`, { decision: 'reject', comment: '改主意' }), 403, 'forbidden');
      const ok = await post('liqiang', `${RQ}/${rq.id}/decision`, { decision: 'accept', comment: '按条件执行', force: false });
      assert.equal(ok.status, 200, ok.text);
      const h = (await (await demo.as('liqiang')).get(`${RQ}/${rq.id}/history`)).json.items.map((x) => x.action);
      assert.ok(h.includes('countersign') && h.includes('countersign_approve'));
    });

    it('a rejection is shown to the decider, who still decides', async () => {
      const rq = await readyToDecide();
      assert.equal((await post('liqiang', `${RQ}/${rq.id}/countersign`, { user_id: demo.U.zhoumin })).status, 200);
      assertProblem(await post('zhoumin', `${RQ}/${rq.id}/countersign/answer`, { decision: 'reject' }), 422, 'required', 'comment');
      const r = await post('zhoumin', `${RQ}/${rq.id}/countersign/answer`, { decision: 'reject', comment: '预算不足' });
      assert.equal(r.status, 200, r.text);
      const seen = (await (await demo.as('liqiang')).get(`${RQ}/${rq.id}`)).json;
      assert.deepEqual(seen.countersigns.map((x) => [x.name, x.decision, x.comment]), [['周敏', 'reject', '预算不足']]);
      assert.ok(seen.allowed_actions.includes('decide'));
      assert.equal((await post('liqiang', `${RQ}/${rq.id}/decision`, { decision: 'decline', comment: '财务不同意' })).status, 200);
    });

    it('refuses: not the decider 403, before the assessment 409, oneself or the initiator 422, twice 409, who may not see it 422', async () => {
      const early = await submitted();
      assertProblem(await post('liqiang', `${RQ}/${early.id}/countersign`, { user_id: demo.U.zhangwei }), 409, 'invalid_transition');
      const rq = await readyToDecide();
      assertProblem(await post('chenjing', `${RQ}/${rq.id}/countersign`, { user_id: demo.U.zhangwei }), 403, 'forbidden');
      assertProblem(await post('liqiang', `${RQ}/${rq.id}/countersign`, { user_id: demo.U.liqiang }), 422, 'invalid_value', 'user_id');
      assertProblem(await post('liqiang', `${RQ}/${rq.id}/countersign`, { user_id: demo.U.wangfang }), 422, 'invalid_value', 'user_id');
      assert.equal((await post('zhenghua', `${RQ}/${rq.id}/countersign`, { user_id: demo.U.zhangwei })).status, 200, 'a coordinator decides too');
      assertProblem(await post('liqiang', `${RQ}/${rq.id}/countersign`, { user_id: demo.U.zhangwei }), 409, 'already_added', 'user_id');
      const secret = await submitted({ confidentiality: 'confidential', involved_department_ids: [demo.D['平台部']] }, 'liqiang');
      assert.equal((await post('zhangwei', `${RQ}/${secret.id}/review`, { decision: 'approve' })).status, 200);
      assertProblem(await post('zhangwei', `${RQ}/${secret.id}/countersign`, { user_id: demo.U.hemin }), 422, 'cannot_see', 'user_id');
      assertProblem(await post('hemin', `${RQ}/${rq.id}/countersign/answer`, { decision: 'approve' }), 403, 'forbidden');
    });
  });

  describe('代理人 a deputy while away', () => {
    const put = async (login, body) => (await demo.as(login)).put('/api/v1/me/delegation', body);

    it('李强 names 徐晓东 for this week: his reviews reach her, she reviews on his behalf; ended, they stop', async () => {
      await setClock(demo.server, PINNED_NOW);
      const set = await put('liqiang', { deputy_id: demo.U.xuxiaodong, from: shanghaiDate(0), to: shanghaiDate(4) });
      assert.equal(set.status, 200, set.text);
      assert.equal(set.json.active, true);
      assert.equal(set.json.deputy_name, '徐晓东');
      assert.deepEqual((await (await demo.as('liqiang')).get('/api/v1/me/delegation')).json.to, shanghaiDate(4));
      const rq = await submitted();
      assert.ok((await inbox('xuxiaodong')).items.some((x) => x.entity_id === rq.id && x.kind === 'request.submitted'),
        'the review that waits on him reaches his deputy too');
      const seen = (await (await demo.as('xuxiaodong')).get(`${RQ}/${rq.id}`)).json;
      assert.ok(seen.allowed_actions.includes('review'), 'she may review for him');
      const work = (await (await demo.as('xuxiaodong')).get('/api/v1/me/work')).json;
      const mine = work.delegated.find((x) => x.id === rq.id);
      assert.ok(mine, 'in her My work, among what waits on those she stands in for');
      assert.equal(mine.on_behalf_of, demo.U.liqiang);
      assert.ok(!work.reviews.some((x) => x.id === rq.id), 'not among her own reviews');
      const r = await post('xuxiaodong', `${RQ}/${rq.id}/review`, { decision: 'approve', comment: '同意' });
      assert.equal(r.status, 200, r.text);
      const h = (await (await demo.as('liqiang')).get(`${RQ}/${rq.id}/history`)).json.items.find((x) => x.action === 'approve');
      assert.equal(h.actor_name, '徐晓东');
      assert.equal(h.note, '代李强办理：同意', 'recorded on behalf of him');
      assert.equal((await (await demo.as('liqiang')).del('/api/v1/me/delegation')).status, 204);
      assert.equal((await (await demo.as('liqiang')).get('/api/v1/me/delegation')).status, 204, 'none: no content');
      const later = await submitted();
      assert.ok(!(await inbox('xuxiaodong')).items.some((x) => x.entity_id === later.id), 'no longer forwarded');
      assert.ok(!(await (await demo.as('xuxiaodong')).get(`${RQ}/${later.id}`)).json.allowed_actions.includes('review'));
      assert.ok(!(await (await demo.as('xuxiaodong')).get('/api/v1/me/work')).json.delegated.some((x) => x.id === later.id));
    });

    it('what the deputy may not see stays with the absent person, and they are told so', async () => {
      await setClock(demo.server, PINNED_NOW);
      assert.equal((await put('zhaolei', { deputy_id: demo.U.chenjing, from: shanghaiDate(0), to: shanghaiDate(2) })).status, 200);
      const rq = await submitted({ confidentiality: 'confidential', involved_department_ids: [demo.D['平台部']] }, 'liqiang');
      assert.equal((await post('zhangwei', `${RQ}/${rq.id}/review`, { decision: 'approve' })).status, 200); // asks 平台部's head
      const zl = (await inbox('zhaolei')).items.filter((x) => x.entity_id === rq.id).map((x) => x.kind);
      assert.ok(zl.includes('request.assess') && zl.includes('request.kept'), `赵磊 keeps it: ${zl}`);
      assert.ok(!(await inbox('chenjing')).items.some((x) => x.entity_id === rq.id), '陈静 hears nothing of it');
      assert.equal((await (await demo.as('chenjing')).get(`${RQ}/${rq.id}`)).status, 404);
      assert.equal((await (await demo.as('zhaolei')).del('/api/v1/me/delegation')).status, 204);
    });

    it('refuses: oneself, someone unknown, dates out of order or over, a missing field (422)', async () => {
      await setClock(demo.server, PINNED_NOW);
      assertProblem(await put('liqiang', { deputy_id: demo.U.liqiang, from: shanghaiDate(0), to: shanghaiDate(1) }), 422, 'invalid_value', 'deputy_id');
      assertProblem(await put('liqiang', { deputy_id: 999999, from: shanghaiDate(0), to: shanghaiDate(1) }), 422, 'not_found', 'deputy_id');
      assertProblem(await put('liqiang', { deputy_id: demo.U.hanxue, from: shanghaiDate(3), to: shanghaiDate(1) }), 422, 'invalid_value', 'to');
      assertProblem(await put('liqiang', { deputy_id: demo.U.hanxue, from: shanghaiDate(-9), to: shanghaiDate(-2) }), 422, 'date_in_past', 'to');
      assertProblem(await put('liqiang', { deputy_id: demo.U.hanxue, from: '2030-02-30', to: shanghaiDate(1) }), 422, 'invalid_date', 'from');
      assertProblem(await put('liqiang', { deputy_id: demo.U.hanxue, from: shanghaiDate(0) }), 422, 'required', 'to');
      assertProblem(await (await demo.as('liqiang')).del('/api/v1/me/delegation'), 404, 'not_found');
    });
  });
});
