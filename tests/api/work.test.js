// GET /api/v1/me/work narrows its lists in SQL; these cases check it misses no one: the head above reviews a
// head's own request, a head (not only the liaison) finds assessments, a coordinator finds every decision.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RQ, startDemo, scenarioRequest } from '../lib/helpers.js';

let demo;
before(async () => { demo = await startDemo(); });
after(async () => { await demo.server.stop(); });

const work = async (login) => {
  const r = await (await demo.as(login)).get('/api/v1/me/work');
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const codes = (list) => list.map((x) => x.code);

test('a request raised by a head is reviewed by the head above, and found in that head\'s work', async () => {
  const { as, D } = demo;
  const rq = await scenarioRequest(as, D, { title: '市场部负责人的需求' }, 'liqiang');
  assert.equal((await (await as('liqiang')).post(`${RQ}/${rq.id}/submit`)).status, 200);
  assert.ok(codes((await work('zhangwei')).reviews).includes(rq.code), 'the general manager reviews it');
  assert.ok(!codes((await work('liqiang')).reviews).includes(rq.code), 'not the initiator himself');
  assert.ok(codes((await work('liqiang')).in_progress).includes(rq.code));
  const ok = await (await as('zhangwei')).post(`${RQ}/${rq.id}/review`, { decision: 'approve' });
  assert.equal(ok.status, 200, ok.text);
  // The departments' heads see what their departments must assess, as the liaisons do.
  for (const login of ['chenjing', 'zhaolei', 'sunli', 'zhoumin', 'wugang']) {
    assert.ok(codes((await work(login)).assessments).includes(rq.code), login);
  }
  assert.ok(!codes((await work('wangfang')).assessments).includes(rq.code));
  // Deciding: the reviewer and every coordinator; nobody else.
  assert.ok(codes((await work('zhangwei')).decisions).includes(rq.code));
  assert.ok(codes((await work('zhenghua')).decisions).includes(rq.code));
  assert.ok(!codes((await work('liuyang')).decisions).includes(rq.code));
  assert.ok(!codes((await work('chenjing')).decisions).includes(rq.code));
});
