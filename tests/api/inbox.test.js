// The inbox, "My work" and live updates for stage 1 (docs/requests.md, "Inbox, My work, live
// updates"): after each step exactly the people of the notifications table get one new unread item
// of the right kind (never the actor), GET /me/work lists what waits for each person, reading lowers
// the unread count, and GET /api/v1/events pushes the count as server-sent events.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Client } from '../lib/server.js';
import { problemAsserter, RQ, ifMatch, startDemo, scenarioRequest, approvedScenarioRequest } from '../lib/helpers.js';

const assertProblem = problemAsserter({ title: false, detail: false });
const ITEM_KEYS = ['id', 'kind', 'entity', 'entity_id', 'code', 'title', 'actor_id', 'actor_name', 'created_at', 'read_at', 'link', 'done'];
const WORK_KEYS = ['reviews', 'assessments', 'decisions', 'drafts', 'in_progress', 'delegated'];

// An open server-sent event stream: events as they arrive, and next() to wait for the next one.
// only: the event names to keep (the others are dropped), or null for every event.
function openEvents(url, headers = {}, only = null) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/api/v1/events`, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const s = {
        res, status: res.statusCode, headers: res.headers, events: [], taken: 0, waiters: [], buf: '', raw: '',
        next(timeoutMs = 2000) {
          if (this.taken < this.events.length) return Promise.resolve(this.events[this.taken++]);
          return new Promise((res2, rej2) => {
            const w = { res2, timer: setTimeout(() => { this.waiters = this.waiters.filter((x) => x !== w); rej2(new Error(`no event within ${timeoutMs} ms; stream so far: ${JSON.stringify(this.raw)}`)); }, timeoutMs) };
            this.waiters.push(w);
          });
        },
        close() { req.destroy(); },
      };
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        s.raw += chunk;
        s.buf += chunk.replace(/\r\n/g, '\n');
        let i;
        while ((i = s.buf.indexOf('\n\n')) >= 0) {
          const block = s.buf.slice(0, i);
          s.buf = s.buf.slice(i + 2);
          let event = null;
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const m = /^([a-z]+): ?(.*)$/.exec(line);
            if (!m) continue;
            if (m[1] === 'event') event = m[2];
            if (m[1] === 'data') data.push(m[2]);
          }
          if (event === null && data.length === 0) continue;
          if (only && !only.includes(event ?? 'message')) continue;
          s.events.push({ event: event ?? 'message', data: data.join('\n') });
          while (s.waiters.length && s.taken < s.events.length) {
            const w = s.waiters.shift();
            clearTimeout(w.timer);
            w.res2(s.events[s.taken++]);
          }
        }
      });
      res.on('error', () => {});
      resolve(s);
    });
    req.on('error', (e) => { if (e.code !== 'ECONNRESET') reject(e); });
  });
}

describe('inbox, My work and live updates', () => {
  let server;
  let admin;
  let as; // login -> signed-in client
  let D; // department name -> id
  let U; // login -> id
  let NAME; // login -> name
  let everyone; // every login of the demo company, and admin
  async function inbox(login, query = '') {
    const r = await (await as(login)).get(`/api/v1/inbox?limit=1000${query}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  }
  // Notification ids each person has now.
  async function snapshot() {
    const snap = {};
    await Promise.all(everyone.map(async (l) => { snap[l] = new Set((await inbox(l)).items.map((x) => x.id)); }));
    return snap;
  }
  // What each person got since the snapshot (only those who got something).
  async function delta(snap) {
    const out = {};
    await Promise.all(everyone.map(async (l) => {
      const fresh = (await inbox(l)).items.filter((x) => !snap[l].has(x.id));
      if (fresh.length) out[l] = fresh;
    }));
    return out;
  }
  // Runs `step` and asserts that exactly `expected` ({login: kind}) were notified, once each, about rq by actor.
  async function expectNotified(rq, actor, expected, stepFn) {
    const snap = await snapshot();
    const result = await stepFn();
    const got = await delta(snap);
    const summary = Object.fromEntries(Object.entries(got).map(([l, items]) => [l, items.map((x) => x.kind).join(',')]));
    assert.deepEqual(summary, expected, `who was notified (actor ${actor})`);
    assert.ok(!(actor in got), 'the actor is never notified of their own step');
    for (const [l, items] of Object.entries(got)) {
      assert.equal(items.length, 1, l);
      const n = items[0];
      assert.deepEqual(Object.keys(n).sort(), [...ITEM_KEYS].sort(), l);
      assert.equal(n.entity, 'request');
      assert.equal(n.entity_id, rq.id);
      assert.equal(n.code, rq.code);
      assert.equal(n.title, rq.title);
      assert.equal(n.link, `/requests/${rq.id}`);
      assert.equal(n.actor_id, actor === 'admin' ? admin.user.id : U[actor]);
      assert.equal(n.actor_name, actor === 'admin' ? admin.user.name : NAME[actor]);
      assert.equal(n.read_at, null);
      assert.ok(!Number.isNaN(Date.parse(n.created_at)));
    }
    return result;
  }
  const create = (login = 'wangfang', over = {}) => scenarioRequest(as, D, over, login);
  async function step(login, id, name, b) {
    const r = await (await as(login)).post(`${RQ}/${id}/${name}`, b);
    assert.equal(r.status, 200, `${login} ${name}: ${r.text}`);
    return r.json;
  }
  async function assess(login, id, dept, o) {
    const r = await (await as(login)).put(`${RQ}/${id}/assessments/${dept}`,
      { impact: '可控', person_days: 3, cost: 0, schedule_impact_days: 1, verdict: 'feasible' }, o);
    assert.equal(r.status, 200, `${login} assess: ${r.text}`);
    return r.json;
  }
  async function work(login) {
    const r = await (await as(login)).get('/api/v1/me/work');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json).sort(), [...WORK_KEYS, 'next_cursors'].sort());
    assert.deepEqual(r.json.next_cursors, {}, 'every list fits on its first page');
    return r.json;
  }
  // The lists of My work in which the request appears for the caller.
  async function workLists(login, id) {
    const w = await work(login);
    return WORK_KEYS.filter((k) => w[k].some((x) => x.id === id));
  }
  const approved = (over) => approvedScenarioRequest(as, D, over);

  before(async () => {
    ({ server, as, admin, D, U, NAME } = await startDemo());
    everyone = Object.keys(U);
    await Promise.all(everyone.map((l) => as(l)));
  });
  after(async () => { await server?.stop(); });

  it('the demo company starts with empty inboxes and nothing in My work', async () => {
    for (const l of ['wangfang', 'liqiang', 'chenjing', 'zhenghua']) {
      const i = await inbox(l);
      assert.deepEqual(i, { items: [], next_cursor: null, unread_count: 0 });
      const w = await work(l);
      for (const k of WORK_KEYS) assert.deepEqual(w[k], [], `${l} ${k}`);
    }
  });

  describe('the scenario, step by step', () => {
    let rq;
    it('create: nobody is notified; the draft is in 王芳\'s My work (drafts)', async () => {
      rq = await expectNotified({ id: 0 }, 'wangfang', {}, () => create());
      assert.deepEqual(await workLists('wangfang', rq.id), ['drafts']);
      assert.deepEqual(await workLists('liqiang', rq.id), []);
    });

    it('submit: the reviewer 李强 gets request.submitted and has it under reviews; 王芳 has it in progress', async () => {
      await expectNotified(rq, 'wangfang', { liqiang: 'request.submitted' }, () => step('wangfang', rq.id, 'submit'));
      assert.deepEqual(await workLists('liqiang', rq.id), ['reviews']);
      assert.deepEqual(await workLists('wangfang', rq.id), ['in_progress']);
      for (const l of ['zhangwei', 'zhenghua', 'chenjing', 'admin']) assert.deepEqual(await workLists(l, rq.id), [], l);
      // The item in My work is decorated like the request.
      const item = (await work('liqiang')).reviews.find((x) => x.id === rq.id);
      assert.deepEqual(item.allowed_actions, ['review', 'cc', 'transfer']);
      assert.equal(item.waiting.step, 'review');
    });

    it('return: 王芳 gets request.returned and has it under drafts again; it leaves 李强\'s reviews', async () => {
      await expectNotified(rq, 'liqiang', { wangfang: 'request.returned' },
        () => step('liqiang', rq.id, 'review', { decision: 'return', comment: '预算不清楚' }));
      assert.deepEqual(await workLists('wangfang', rq.id), ['drafts']);
      assert.deepEqual(await workLists('liqiang', rq.id), []);
    });

    it('edit and resubmit: the edit tells nobody, the resubmission tells 李强 again', async () => {
      const cur = (await (await as('wangfang')).get(`${RQ}/${rq.id}`)).json;
      await expectNotified(rq, 'wangfang', {}, async () => {
        const r = await (await as('wangfang')).patch(`${RQ}/${rq.id}`, { resources_needed: '预算 20 万' }, ifMatch(cur.version));
        assert.equal(r.status, 200, r.text);
      });
      await expectNotified(rq, 'wangfang', { liqiang: 'request.submitted' }, () => step('wangfang', rq.id, 'submit'));
    });

    it('approve: 王芳 gets request.approved, each involved liaison request.assess; My work lists the assessment for liaisons and heads, the decision for 李强 and 郑华', async () => {
      await expectNotified(rq, 'liqiang', {
        wangfang: 'request.approved', chenjing: 'request.assess', sunli: 'request.assess', wugang: 'request.assess',
      }, () => step('liqiang', rq.id, 'review', { decision: 'approve' }));
      for (const l of ['chenjing', 'sunli', 'wugang', 'zhaolei', 'zhoumin', 'huangjianguo']) {
        assert.deepEqual(await workLists(l, rq.id), ['assessments'], l);
      }
      assert.deepEqual(await workLists('liqiang', rq.id), ['decisions']);
      assert.deepEqual(await workLists('zhenghua', rq.id), ['decisions']);
      assert.deepEqual(await workLists('wangfang', rq.id), ['in_progress']);
      for (const l of ['liuyang', 'zhangwei', 'admin', 'caiqing']) assert.deepEqual(await workLists(l, rq.id), [], l);
    });

    it('assessments: nobody is told until the last one, then 李强 gets request.assessed; each department drops out of My work once it has assessed', async () => {
      await expectNotified(rq, 'chenjing', {}, () => assess('chenjing', rq.id, D['平台部']));
      assert.deepEqual(await workLists('chenjing', rq.id), []);
      assert.deepEqual(await workLists('zhaolei', rq.id), [], 'the head\'s department has assessed too');
      assert.deepEqual(await workLists('sunli', rq.id), ['assessments']);
      await expectNotified(rq, 'sunli', {}, () => assess('sunli', rq.id, D['财务部']));
      assert.deepEqual(await workLists('zhoumin', rq.id), []);
      await expectNotified(rq, 'wugang', { liqiang: 'request.assessed' }, () => assess('wugang', rq.id, D['生产部']));
      assert.deepEqual(await workLists('wugang', rq.id), []);
      assert.deepEqual(await workLists('liqiang', rq.id), ['decisions']);
      // A revision does not tell anyone again.
      await expectNotified(rq, 'wugang', {}, () => assess('wugang', rq.id, D['生产部'], ifMatch(1)));
    });

    it('accept: 王芳 and the liaisons and heads of the involved departments get request.accepted; it leaves every My work', async () => {
      await expectNotified(rq, 'liqiang', {
        wangfang: 'request.accepted',
        chenjing: 'request.accepted', zhaolei: 'request.accepted',
        sunli: 'request.accepted', zhoumin: 'request.accepted',
        wugang: 'request.accepted', huangjianguo: 'request.accepted',
      }, () => step('liqiang', rq.id, 'decision', { decision: 'accept' }));
      for (const l of ['wangfang', 'liqiang', 'zhenghua', 'chenjing', 'sunli', 'wugang', 'zhaolei']) {
        assert.deepEqual(await workLists(l, rq.id), [], l);
      }
    });
  });

  describe('the other outcomes', () => {
    it('reject: 王芳 gets request.rejected', async () => {
      const rq = await create();
      await step('wangfang', rq.id, 'submit');
      await expectNotified(rq, 'liqiang', { wangfang: 'request.rejected' },
        () => step('liqiang', rq.id, 'review', { decision: 'reject', comment: '不符合年度计划' }));
      assert.deepEqual(await workLists('wangfang', rq.id), []);
    });

    it('decline by the coordinator: 王芳 and the involved departments\' liaisons get request.declined', async () => {
      const rq = await approved();
      await expectNotified(rq, 'zhenghua', {
        wangfang: 'request.declined', chenjing: 'request.declined', sunli: 'request.declined', wugang: 'request.declined',
      }, () => step('zhenghua', rq.id, 'decision', { decision: 'decline', comment: '资源冲突' }));
    });

    it('cancel of a submitted request by 王芳: the reviewer it waited on gets request.cancelled, not 王芳 herself', async () => {
      const rq = await create();
      await step('wangfang', rq.id, 'submit');
      await expectNotified(rq, 'wangfang', { liqiang: 'request.cancelled' },
        () => step('wangfang', rq.id, 'cancel', { reason: '活动取消' }));
      assert.deepEqual(await workLists('liqiang', rq.id), []);
    });

    it('cancel of a returned request by an administrator: 王芳 gets request.cancelled (a draft is hers alone: 404 for the administrator)', async () => {
      const d = await create();
      assert.equal((await (await as('admin')).post(`/api/v1/requests/${d.id}/cancel`, { reason: '重复' })).status, 404);
      const r = await create();
      await step('wangfang', r.id, 'submit');
      await step('liqiang', r.id, 'review', { decision: 'return', comment: '补充' });
      await expectNotified(r, 'admin', { wangfang: 'request.cancelled' }, () => step('admin', r.id, 'cancel', { reason: '重复' }));
      assert.deepEqual(await workLists('wangfang', r.id), []);
    });

    it('cancel in assessment (nobody assessed yet): the liaisons it waited on get request.cancelled (and 王芳 when an administrator cancels)', async () => {
      const a = await approved();
      await expectNotified(a, 'wangfang', { chenjing: 'request.cancelled', sunli: 'request.cancelled', wugang: 'request.cancelled' },
        () => step('wangfang', a.id, 'cancel', { reason: '活动取消' }));
      const b = await approved();
      await expectNotified(b, 'admin', {
        wangfang: 'request.cancelled', chenjing: 'request.cancelled', sunli: 'request.cancelled', wugang: 'request.cancelled',
      }, () => step('admin', b.id, 'cancel', { reason: '活动取消' }));
      for (const l of ['chenjing', 'zhaolei', 'liqiang']) assert.deepEqual(await workLists(l, b.id), [], l);
    });

    it('cancel in assessment after 平台部 assessed: only the departments still pending were waited on', async () => {
      const rq = await approved();
      await assess('chenjing', rq.id, D['平台部']);
      const cur = (await (await as('wangfang')).get(`${RQ}/${rq.id}`)).json;
      assert.deepEqual(cur.waiting.on.map((x) => x.name).sort(), ['生产部', '财务部'].sort());
      await expectNotified(rq, 'wangfang', { sunli: 'request.cancelled', wugang: 'request.cancelled' },
        () => step('wangfang', rq.id, 'cancel', { reason: '活动取消' }));
    });

    it('cancel while waiting on the decision (every assessment in): the reviewer it waited on gets request.cancelled', async () => {
      const rq = await approved();
      await assess('chenjing', rq.id, D['平台部']);
      await assess('sunli', rq.id, D['财务部']);
      await assess('wugang', rq.id, D['生产部']);
      const cur = (await (await as('wangfang')).get(`${RQ}/${rq.id}`)).json;
      assert.deepEqual(cur.waiting.on, [{ kind: 'user', id: U.liqiang, name: '李强' }]);
      await expectNotified(rq, 'wangfang', { liqiang: 'request.cancelled' },
        () => step('wangfang', rq.id, 'cancel', { reason: '活动取消' }));
    });

    it('the actor is never notified: 李强 assesses for 市场部 last (he would get request.assessed) and accepts (he heads an involved department)', async () => {
      const rq = await create('wangfang', { involved_department_ids: [D['市场部'], D['平台部']] });
      await step('wangfang', rq.id, 'submit');
      await expectNotified(rq, 'liqiang', { wangfang: 'request.approved', xuxiaodong: 'request.assess', chenjing: 'request.assess' },
        () => step('liqiang', rq.id, 'review', { decision: 'approve' }));
      assert.deepEqual(await workLists('liqiang', rq.id), ['assessments', 'decisions']);
      await assess('chenjing', rq.id, D['平台部']);
      await expectNotified(rq, 'liqiang', {}, () => assess('liqiang', rq.id, D['市场部']));
      await expectNotified(rq, 'liqiang', {
        wangfang: 'request.accepted', xuxiaodong: 'request.accepted', chenjing: 'request.accepted', zhaolei: 'request.accepted',
      }, () => step('liqiang', rq.id, 'decision', { decision: 'accept' }));
    });

    it('one step, one notification per person: a head who is also the department\'s liaison gets request.accepted once', async () => {
      const setLiaisons = async (dept, logins) => {
        const dep = (await admin.get(`/api/v1/departments/${D[dept]}`)).json;
        const r = await admin.put(`/api/v1/departments/${D[dept]}/liaisons`, { user_ids: logins.map((l) => U[l]) }, ifMatch(dep.version));
        assert.equal(r.status, 200, r.text);
      };
      await setLiaisons('平台部', ['chenjing', 'zhaolei']);
      try {
        const rq = await create('wangfang', { involved_department_ids: [D['平台部']] });
        await step('wangfang', rq.id, 'submit');
        await expectNotified(rq, 'liqiang', { wangfang: 'request.approved', chenjing: 'request.assess', zhaolei: 'request.assess' },
          () => step('liqiang', rq.id, 'review', { decision: 'approve' }));
        await expectNotified(rq, 'liqiang', { wangfang: 'request.accepted', chenjing: 'request.accepted', zhaolei: 'request.accepted' },
          () => step('liqiang', rq.id, 'decision', { decision: 'accept', force: true, comment: '立项' }));
      } finally {
        await setLiaisons('平台部', ['chenjing']);
      }
    });

    it('one step, one notification per person: 李强 raises a request involving his own 市场部; on acceptance he is told once', async () => {
      const rq = await create('liqiang', { involved_department_ids: [D['市场部'], D['平台部']] });
      await step('liqiang', rq.id, 'submit');
      await step('zhangwei', rq.id, 'review', { decision: 'approve' });
      await expectNotified(rq, 'zhangwei', {
        liqiang: 'request.accepted', xuxiaodong: 'request.accepted', chenjing: 'request.accepted', zhaolei: 'request.accepted',
      }, () => step('zhangwei', rq.id, 'decision', { decision: 'accept', force: true, comment: '立项' }));
    });

    it('a department without liaisons: its head gets request.assess', async () => {
      const dep = (await admin.get(`/api/v1/departments/${D['法务部']}`)).json;
      const r = await admin.put(`/api/v1/departments/${D['法务部']}/liaisons`, { user_ids: [] }, ifMatch(dep.version));
      assert.equal(r.status, 200, r.text);
      const rq = await create('wangfang', { involved_department_ids: [D['法务部']] });
      await step('wangfang', rq.id, 'submit');
      await expectNotified(rq, 'liqiang', { wangfang: 'request.approved', jiangwen: 'request.assess' },
        () => step('liqiang', rq.id, 'review', { decision: 'approve' }));
      assert.deepEqual(await workLists('jiangwen', rq.id), ['assessments']);
      assert.deepEqual(await workLists('caiqing', rq.id), []);
      // A department whose only liaison is deactivated has none either.
      const xj = (await admin.get(`/api/v1/users/${U.xiejun}`)).json;
      assert.equal((await admin.patch(`/api/v1/users/${U.xiejun}`, { active: false }, ifMatch(xj.version))).status, 200);
      everyone = everyone.filter((l) => l !== 'xiejun'); // signed out for good
      const rq2 = await create('wangfang', { involved_department_ids: [D['采购部']] });
      await step('wangfang', rq2.id, 'submit');
      await expectNotified(rq2, 'liqiang', { wangfang: 'request.approved', liangbin: 'request.assess' },
        () => step('liqiang', rq2.id, 'review', { decision: 'approve' }));
    });
  });

  describe('items that ask for an action are done once the step is taken, by anyone, or the request leaves it', () => {
    // The item of `kind` about request id in login's inbox (the newest), and the unread count.
    async function item(login, id, kind) {
      const i = await inbox(login);
      return { it: i.items.find((x) => x.entity_id === id && x.kind === kind), unread: i.unread_count };
    }

    it('review, assessment by department, decision: each item is done when its step is taken, and leaves the count', async () => {
      const rq = await create('wangfang');
      await step('wangfang', rq.id, 'submit');
      const before0 = await item('liqiang', rq.id, 'request.submitted');
      assert.equal(before0.it.done, false, 'the review waits');
      await step('liqiang', rq.id, 'review', { decision: 'approve' });
      const after0 = await item('liqiang', rq.id, 'request.submitted');
      assert.equal(after0.it.done, true, 'reviewed: done');
      assert.equal(after0.it.read_at, null, 'done is not read: the item was never opened');
      assert.equal(after0.unread, before0.unread - 1, 'and it leaves the bell\'s count');
      for (const l of ['chenjing', 'sunli', 'wugang']) assert.equal((await item(l, rq.id, 'request.assess')).it.done, false, l);
      await assess('chenjing', rq.id, D['平台部']);
      assert.equal((await item('chenjing', rq.id, 'request.assess')).it.done, true, 'her department has assessed');
      assert.equal((await item('sunli', rq.id, 'request.assess')).it.done, false, 'finance has not');
      await assess('zhoumin', rq.id, D['财务部']); // the head of finance, not its liaison, writes it
      assert.equal((await item('sunli', rq.id, 'request.assess')).it.done, true, 'done by anyone who may');
      await assess('wugang', rq.id, D['生产部']);
      const decide = await item('liqiang', rq.id, 'request.assessed');
      assert.equal(decide.it.done, false, 'the decision waits');
      await step('zhenghua', rq.id, 'decision', { decision: 'accept' }); // a coordinator decides
      assert.equal((await item('liqiang', rq.id, 'request.assessed')).it.done, true, 'decided by someone else: done for him too');
      const accepted = await item('wangfang', rq.id, 'request.accepted');
      assert.equal(accepted.it.done, false, 'news that asks for nothing is never done');
    });

    it('an item done by someone else lowers the bell on the open pages of its owner', async () => {
      const chen = await as('chenjing');
      const rq = await create('wangfang', { involved_department_ids: [D['平台部']] });
      await step('wangfang', rq.id, 'submit');
      await step('liqiang', rq.id, 'review', { decision: 'approve' }); // tells 陈静: request.assess
      const start = (await inbox('chenjing')).unread_count;
      const s = await openEvents(server.url, { cookie: chen.cookie }, ['inbox']);
      try {
        assert.deepEqual(JSON.parse((await s.next()).data), { unread_count: start });
        await assess('zhaolei', rq.id, D['平台部']); // her head assesses: nothing is told to her
        const ev = await s.next(2000);
        assert.equal(ev.event, 'inbox');
        assert.deepEqual(JSON.parse(ev.data), { unread_count: start - 1 });
      } finally {
        s.close();
      }
    });

    it('a cancelled request ends every item that waited on it; a resubmission ends the revision', async () => {
      const rq = await create('wangfang');
      await step('wangfang', rq.id, 'submit');
      await step('liqiang', rq.id, 'review', { decision: 'return', comment: '补充预算' });
      assert.equal((await item('wangfang', rq.id, 'request.returned')).it.done, false, 'the revision waits on her');
      await step('wangfang', rq.id, 'submit');
      assert.equal((await item('wangfang', rq.id, 'request.returned')).it.done, true, 'resubmitted: done');
      const review = (await inbox('liqiang')).items.filter((x) => x.entity_id === rq.id && x.kind === 'request.submitted');
      assert.deepEqual(review.map((x) => x.done), [false, true], 'the second review waits, the first was done');
      await step('wangfang', rq.id, 'cancel', { reason: '不再需要' });
      assert.ok((await inbox('liqiang')).items.filter((x) => x.entity_id === rq.id && x.kind === 'request.submitted').every((x) => x.done),
        'cancelled: nothing waits on him');
      const only = await inbox('liqiang', '&unread=1');
      assert.ok(!only.items.some((x) => x.entity_id === rq.id && x.kind === 'request.submitted'), 'unread=1 leaves done items out');
    });
  });

  describe('reading', () => {
    it('unread_count counts the unread items not done; unread=1 lists only them', async () => {
      const i = await inbox('liqiang');
      assert.ok(i.items.length >= 5);
      assert.equal(i.unread_count, i.items.filter((x) => x.read_at === null && !x.done).length);
      const ids = i.items.map((x) => x.id);
      assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
      const u = await inbox('liqiang', '&unread=1');
      assert.equal(u.items.length, i.unread_count);
      assert.equal(u.unread_count, i.unread_count);
    });

    it('POST /inbox/{id}/read marks one item read and lowers unread_count by one; again changes nothing', async () => {
      const before0 = await inbox('liqiang');
      const target = before0.items.find((x) => x.read_at === null && !x.done);
      const c = await as('liqiang');
      const r = await c.post(`/api/v1/inbox/${target.id}/read`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.unread_count, before0.unread_count - 1);
      const after0 = await inbox('liqiang');
      assert.equal(after0.unread_count, before0.unread_count - 1);
      const item = after0.items.find((x) => x.id === target.id);
      assert.ok(item.read_at && !Number.isNaN(Date.parse(item.read_at)));
      assert.deepEqual(after0.items.filter((x) => x.id !== target.id), before0.items.filter((x) => x.id !== target.id));
      const again = await c.post(`/api/v1/inbox/${target.id}/read`);
      assert.equal(again.status, 200, again.text);
      assert.equal(again.json.unread_count, before0.unread_count - 1);
      assert.equal((await inbox('liqiang')).items.find((x) => x.id === target.id).read_at, item.read_at, 'the first read time stays');
      assert.ok(!(await inbox('liqiang', '&unread=1')).items.some((x) => x.id === target.id));
    });

    it('another user\'s notification answers 404 and stays unread for its owner; an unknown id answers 404', async () => {
      const theirs = (await inbox('wangfang')).items.find((x) => x.read_at === null);
      assert.ok(theirs);
      const wBefore = await inbox('wangfang');
      const lBefore = await inbox('liqiang');
      assertProblem(await (await as('liqiang')).post(`/api/v1/inbox/${theirs.id}/read`), 404, 'not_found');
      assertProblem(await (await as('liqiang')).post('/api/v1/inbox/999999/read'), 404, 'not_found');
      assert.deepEqual(await inbox('wangfang'), wBefore);
      assert.deepEqual(await inbox('liqiang'), lBefore);
      assertProblem(await new Client(server).post(`/api/v1/inbox/${theirs.id}/read`), 401, 'unauthenticated');
      assertProblem(await new Client(server).get('/api/v1/inbox'), 401, 'unauthenticated');
    });

    it('paging: limit and cursor walk the inbox newest first', async () => {
      const all = (await inbox('wangfang')).items.map((x) => x.id);
      assert.ok(all.length >= 4);
      const seen = [];
      let cursor = null;
      do {
        const r = await (await as('wangfang')).get(`/api/v1/inbox?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(r.status, 200, r.text);
        seen.push(...r.json.items.map((x) => x.id));
        cursor = r.json.next_cursor;
      } while (cursor);
      assert.deepEqual(seen, all);
    });

    it('POST /inbox/read-all: unread_count 0 for the caller, everybody else unchanged', async () => {
      const other = await inbox('chenjing');
      assert.ok(other.unread_count > 0);
      const r = await (await as('wangfang')).post('/api/v1/inbox/read-all');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.unread_count, 0);
      const w = await inbox('wangfang');
      assert.equal(w.unread_count, 0);
      assert.ok(w.items.length > 0 && w.items.every((x) => x.read_at !== null));
      assert.deepEqual((await inbox('wangfang', '&unread=1')).items, []);
      assert.deepEqual(await inbox('chenjing'), other);
    });
  });

  describe('server-sent events', () => {
    it('GET /api/v1/events without a session answers 401', async () => {
      const s = await openEvents(server.url);
      assert.equal(s.status, 401);
      s.close();
      assertProblem(await new Client(server).get('/api/v1/events'), 401, 'unauthenticated');
    });

    it('the stream starts with event: inbox and the unread count, and pushes the new count within 2 s when the user is notified or reads', async () => {
      const liqiang = await as('liqiang');
      const start = (await inbox('liqiang')).unread_count;
      assert.ok(start > 0);
      const s = await openEvents(server.url, { cookie: liqiang.cookie }, ['inbox']);
      try {
        assert.equal(s.status, 200);
        assert.match(s.headers['content-type'], /^text\/event-stream/);
        const first = await s.next();
        assert.equal(first.event, 'inbox');
        assert.deepEqual(JSON.parse(first.data), { unread_count: start });
        // 王芳 submits a request: 李强 is notified.
        const rq = await create();
        await step('wangfang', rq.id, 'submit');
        const t0 = Date.now();
        const ev = await s.next(2000);
        assert.ok(Date.now() - t0 < 2000);
        assert.equal(ev.event, 'inbox');
        assert.deepEqual(JSON.parse(ev.data), { unread_count: start + 1 });
        // Someone else being notified sends nothing on this stream.
        const other = await create('chenjing');
        await step('chenjing', other.id, 'submit'); // tells 赵磊, her head
        await assert.rejects(s.next(300), /no event/);
        // Taking the step himself makes his item done: the count drops back.
        await step('liqiang', rq.id, 'review', { decision: 'return', comment: '补充' }); // tells 王芳
        assert.deepEqual(JSON.parse((await s.next(2000)).data), { unread_count: start });
        // Reading pushes the lower count.
        const item = (await inbox('liqiang')).items.find((x) => x.read_at === null && !x.done);
        assert.equal((await liqiang.post(`/api/v1/inbox/${item.id}/read`)).status, 200);
        assert.deepEqual(JSON.parse((await s.next(2000)).data), { unread_count: start - 1 });
        assert.equal((await liqiang.post('/api/v1/inbox/read-all')).status, 200);
        assert.deepEqual(JSON.parse((await s.next(2000)).data), { unread_count: 0 });
      } finally {
        s.close();
      }
    });

    it('a change to a request reaches the open pages of everyone who may see it (event: change), and nobody else', async () => {
      const zheng = await as('zhenghua'); // a coordinator: a bystander, never told of this request
      const he = await as('hemin');        // internal clearance: may not see a confidential one
      const rq = await create('liqiang', { confidentiality: 'confidential' });
      await step('liqiang', rq.id, 'submit');
      const z = await openEvents(server.url, { cookie: zheng.cookie });
      const hm = await openEvents(server.url, { cookie: he.cookie });
      try {
        await z.next(); // the unread count first
        await hm.next();
        await step('zhangwei', rq.id, 'review', { decision: 'return', comment: '补充' });
        const ev = await z.next(2000);
        assert.equal(ev.event, 'change');
        assert.deepEqual(JSON.parse(ev.data), { entity: 'request', id: rq.id });
        await assert.rejects(hm.next(300), /no event/, 'who may not see it hears nothing');
      } finally {
        z.close();
        hm.close();
      }
    });

    it('two streams of the same user both get the event; a bearer token opens a stream too', async () => {
      const chen = await as('chenjing');
      const tok = await chen.post('/api/v1/tokens', { name: 'sse' });
      assert.equal(tok.status, 201, tok.text);
      const start = (await inbox('chenjing')).unread_count;
      const a = await openEvents(server.url, { cookie: chen.cookie }, ['inbox']);
      const b = await openEvents(server.url, { authorization: `Bearer ${tok.json.token}` }, ['inbox']);
      try {
        assert.equal(b.status, 200);
        for (const s of [a, b]) assert.deepEqual(JSON.parse((await s.next()).data), { unread_count: start });
        const rq = await create('wangfang', { involved_department_ids: [D['平台部']] });
        await step('wangfang', rq.id, 'submit');
        await step('liqiang', rq.id, 'review', { decision: 'approve' }); // tells 陈静
        for (const s of [a, b]) {
          const ev = await s.next(2000);
          assert.equal(ev.event, 'inbox');
          assert.deepEqual(JSON.parse(ev.data), { unread_count: start + 1 });
        }
      } finally {
        a.close();
        b.close();
      }
    });
  });
});
