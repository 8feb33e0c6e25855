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

test('My work pages its lists instead of stopping: next_cursors names a list that has more, list=NAME walks it', async () => {
  const { as, D } = demo;
  const made = [];
  for (let i = 0; i < 7; i++) made.push((await scenarioRequest(as, D, { title: `翻页草稿 ${i}` }, 'hanxue')).code);
  const first = await (await as('hanxue')).get('/api/v1/me/work?limit=3');
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.drafts.length, 3);
  assert.equal(typeof first.json.next_cursors.drafts, 'string', 'the drafts list has more');
  assert.equal(first.json.next_cursors.reviews, undefined, 'an empty list has no cursor');
  const seen = codes(first.json.drafts);
  let cursor = first.json.next_cursors.drafts;
  while (cursor) {
    const r = await (await as('hanxue')).get(`/api/v1/me/work?list=drafts&limit=3&cursor=${encodeURIComponent(cursor)}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 3);
    seen.push(...codes(r.json.items));
    cursor = r.json.next_cursor;
  }
  assert.deepEqual([...seen].sort(), [...made].sort(), 'every draft once, none lost');
  const bad = await (await as('hanxue')).get('/api/v1/me/work?list=nothing');
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.field, 'list');
});

test('a list whose newest candidates are refused by the rules goes on below them: a head\'s own requests are not his to review', async () => {
  const { as, D } = demo;
  const submit = async (login, title) => {
    const rq = await scenarioRequest(as, D, { title }, login);
    const r = await (await as(login)).post(`${RQ}/${rq.id}/submit`);
    assert.equal(r.status, 200, r.text);
    return rq.code;
  };
  const staff = [await submit('wangfang', '待李强初审 1'), await submit('wangfang', '待李强初审 2')];
  const own = [];
  for (let i = 0; i < 5; i++) own.push(await submit('liqiang', `李强自己的需求 ${i}`)); // newer, his own: the head above reviews them
  const first = await (await as('liqiang')).get('/api/v1/me/work?limit=1');
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.reviews.length, 1, 'a page is found below five refused candidates');
  assert.equal(first.json.reviews[0].code, staff[1], 'the newest he may review');
  const seen = [];
  let cursor = '';
  do {
    const r = await (await as('liqiang')).get(`/api/v1/me/work?list=reviews&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    seen.push(...codes(r.json.items));
    cursor = r.json.next_cursor;
  } while (cursor);
  for (const c of staff) assert.ok(seen.includes(c), `${c} is in his reviews`);
  for (const c of own) assert.ok(!seen.includes(c), `${c} (his own) is not`);
  assert.equal(new Set(seen).size, seen.length, 'none twice');
  for (const c of own) assert.ok(codes((await work('zhangwei')).reviews).includes(c), 'the head above reviews them');
});
