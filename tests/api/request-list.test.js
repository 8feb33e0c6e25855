// The request list (docs/requests.md, "The list"): filters on several statuses and priorities, a due-date
// range and "waiting on me"; sorting by created, due_date, priority, status and code with keyset paging
// that neither loses nor repeats a request; the CSV and XLSX export of exactly what the filter shows; the
// same visibility as everywhere; and 400 naming the parameter for anything unreadable.
// Each filter's answer is checked against the whole list filtered here, so the demo's own requests count too.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { problemAsserter, RQ, shanghaiDate, startDemo, scenarioRequest } from '../lib/helpers.js';

const assertProblem = problemAsserter({ title: false, detail: false });
const XLSX_PY = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'xlsx.py');
const STATUS_ORDER = ['draft', 'submitted', 'returned', 'rejected', 'assessing', 'accepted', 'declined', 'cancelled'];
const PRIORITY_ORDER = ['low', 'normal', 'high', 'urgent'];

describe('the request list: filters, sorting, export', () => {
  let server; let as; let D; let U;
  const R = {}; // name -> request

  before(async () => {
    ({ server, as, D, U } = await startDemo());
    const step = async (login, id, name, body) => {
      const r = await (await as(login)).post(`${RQ}/${id}/${name}`, body);
      assert.equal(r.status, 200, `${login} ${name}: ${r.text}`);
      return r.json;
    };
    const raise = (login, title, over = {}) => scenarioRequest(as, D, { title, involved_department_ids: [D['平台部'], D['财务部']], ...over }, login);
    // 王芳 (市场部): a draft without a due date, drafts and requests in every open step, priorities and due dates apart.
    R.draft = await raise('wangfang', '草稿：没有日期', { due_date: undefined, priority: 'low' });
    R.draft2 = await raise('wangfang', '草稿：紧急', { due_date: shanghaiDate(10), priority: 'urgent' });
    R.submitted = await step('wangfang', (await raise('wangfang', '待初审：高', { due_date: shanghaiDate(20), priority: 'high' })).id, 'submit');
    R.submitted2 = await step('wangfang', (await raise('wangfang', '待初审：普通', { due_date: shanghaiDate(30) })).id, 'submit');
    R.assessing = await step('wangfang', (await raise('wangfang', '评估中：紧急', { due_date: shanghaiDate(20), priority: 'urgent' })).id, 'submit');
    R.assessing = await step('liqiang', R.assessing.id, 'review', { decision: 'approve' });
    R.returned = await step('wangfang', (await raise('wangfang', '已退回：低', { due_date: shanghaiDate(40), priority: 'low' })).id, 'submit');
    R.returned = await step('liqiang', R.returned.id, 'review', { decision: 'return', comment: '请补充预算。' });
    R.cancelled = await step('wangfang', (await raise('wangfang', '已取消：高', { due_date: shanghaiDate(15), priority: 'high' })).id, 'cancel', { reason: '不做了。' });
    // 陈静 (平台部): in assessment, which 平台部 has assessed already (it no longer waits on 陈静), and another that still waits.
    R.platformDone = await step('chenjing', (await raise('chenjing', '平台部已评估', { involved_department_ids: [D['财务部'], D['平台部']], due_date: shanghaiDate(25) })).id, 'submit');
    R.platformDone = await step('zhaolei', R.platformDone.id, 'review', { decision: 'approve' });
    const assess = await (await as('chenjing')).put(`${RQ}/${R.platformDone.id}/assessments/${D['平台部']}`,
      { impact: '无', person_days: 1, cost: 0, schedule_impact_days: 0, verdict: 'feasible' });
    assert.equal(assess.status, 200, assess.text);
    // Texts a spreadsheet must take as text: a comma, quotes, a formula.
    R.tricky = await raise('wangfang', '=HYPERLINK("http://evil.example","点我"), 预算', { due_date: shanghaiDate(35), priority: 'normal' });
    R.plus = await raise('wangfang', '+1 加急', { due_date: shanghaiDate(36) });
    // 李强 (市场部 head, clearance confidential): a confidential request that 王芳 (internal) may not see.
    R.secret = await step('liqiang', (await raise('liqiang', '机密：人员调整', { confidentiality: 'confidential', due_date: shanghaiDate(12), priority: 'urgent' })).id, 'submit');
  });
  after(async () => { await server?.stop(); });

  // Every item of the list for login with a query, following next_cursor with pages of `limit`.
  async function listAll(login, query = '', limit = 1000) {
    const out = [];
    let cursor = null;
    let pages = 0;
    do {
      const r = await (await as(login)).get(`${RQ}?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(r.status, 200, `${query}: ${r.text}`);
      out.push(...r.json.items);
      cursor = r.json.next_cursor;
      assert.ok(++pages < 500, 'the pages end');
    } while (cursor);
    return out;
  }
  const ids = (items) => items.map((x) => x.id);

  it('several statuses at once: comma-separated, repeated, or one as before', async () => {
    const all = await listAll('wangfang');
    const want = ids(all.filter((x) => ['submitted', 'assessing'].includes(x.status)));
    assert.ok(want.includes(R.submitted.id) && want.includes(R.assessing.id));
    assert.deepEqual(ids(await listAll('wangfang', 'status=submitted,assessing')), want);
    assert.deepEqual(ids(await listAll('wangfang', 'status=submitted&status=assessing')), want);
    assert.deepEqual(ids(await listAll('wangfang', 'status=assessing,submitted,')), want, 'an empty item is no status');
    assert.deepEqual(ids(await listAll('wangfang', 'status=draft')), ids(all.filter((x) => x.status === 'draft')));
    const many = ['draft', 'returned', 'cancelled', 'rejected', 'accepted'];
    assert.deepEqual(ids(await listAll('wangfang', `status=${many.join(',')}`)), ids(all.filter((x) => many.includes(x.status))));
    assert.deepEqual(ids(await listAll('wangfang', `status=${STATUS_ORDER.join(',')}`)), ids(all), 'every status: all');
  });

  it('priority, one or several', async () => {
    const all = await listAll('wangfang');
    assert.deepEqual(ids(await listAll('wangfang', 'priority=urgent')), ids(all.filter((x) => x.priority === 'urgent')));
    const hu = ids(all.filter((x) => ['high', 'urgent'].includes(x.priority)));
    assert.ok(hu.includes(R.submitted.id) && hu.includes(R.draft2.id) && !hu.includes(R.draft.id));
    assert.deepEqual(ids(await listAll('wangfang', 'priority=high,urgent')), hu);
    assert.deepEqual(ids(await listAll('wangfang', 'priority=high&priority=urgent')), hu);
  });

  it('a due-date range, both ends inclusive; a request without a due date is in no range', async () => {
    const all = await listAll('wangfang');
    const from = shanghaiDate(20); const to = shanghaiDate(30);
    const inRange = ids(all.filter((x) => x.due_date && x.due_date >= from && x.due_date <= to));
    assert.ok(inRange.includes(R.submitted.id) && inRange.includes(R.submitted2.id), 'both ends count');
    assert.deepEqual(ids(await listAll('wangfang', `due_from=${from}&due_to=${to}`)), inRange);
    assert.deepEqual(ids(await listAll('wangfang', `due_from=${from}`)), ids(all.filter((x) => x.due_date && x.due_date >= from)));
    const upTo = ids(await listAll('wangfang', `due_to=${to}`));
    assert.deepEqual(upTo, ids(all.filter((x) => x.due_date && x.due_date <= to)));
    assert.ok(!upTo.includes(R.draft.id), 'no due date: not "before" any date');
    assert.deepEqual(ids(await listAll('wangfang', `due_from=${from}&due_to=${from}`)), ids(all.filter((x) => x.due_date === from)));
  });

  it('filters combine: statuses, priorities, due range, mine, department, search', async () => {
    const all = await listAll('wangfang');
    const from = shanghaiDate(10); const to = shanghaiDate(40);
    const q = `status=draft,submitted,assessing&priority=urgent,high&due_from=${from}&due_to=${to}&mine=1`;
    const want = ids(all.filter((x) => ['draft', 'submitted', 'assessing'].includes(x.status) && ['urgent', 'high'].includes(x.priority)
      && x.due_date && x.due_date >= from && x.due_date <= to && x.initiator_id === U.wangfang));
    assert.deepEqual(want.sort(), [R.draft2.id, R.submitted.id, R.assessing.id].sort());
    assert.deepEqual(ids(await listAll('wangfang', q)).sort(), want);
    assert.deepEqual(ids(await listAll('wangfang', `${q}&sort=due_date`)), [R.draft2.id, R.assessing.id, R.submitted.id].sort((a, b) => a - b)
      .sort((a, b) => (all.find((x) => x.id === a).due_date.localeCompare(all.find((x) => x.id === b).due_date)) || a - b));
    assert.deepEqual(ids(await listAll('wangfang', `q=${encodeURIComponent('评估中')}&priority=urgent`)), [R.assessing.id]);
    assert.deepEqual(ids(await listAll('wangfang', `q=${encodeURIComponent('评估中')}&priority=low`)), []);
    assert.deepEqual(ids(await listAll('wangfang', `department_id=${D['平台部']}&status=assessing&priority=urgent`)), [R.assessing.id]);
  });

  // "Waiting on me" is what My work lists for the caller to act on: reviews, assessments, decisions, drafts.
  async function myWorkIds(login) {
    const w = (await (await as(login)).get('/api/v1/me/work?limit=1000')).json;
    return new Set(['reviews', 'assessments', 'decisions', 'drafts'].flatMap((k) => w[k].map((x) => x.id)));
  }
  for (const login of ['wangfang', 'liqiang', 'chenjing', 'zhaolei', 'zhoumin', 'sunli', 'zhenghua', 'zhangwei']) {
    it(`waiting on me is My work's to-do for ${login}, in any order and with other filters`, async () => {
      const all = await listAll(login);
      const mine = await myWorkIds(login);
      const want = ids(all.filter((x) => mine.has(x.id)));
      assert.deepEqual(ids(await listAll(login, 'waiting_on=me')), want);
      assert.deepEqual(ids(await listAll(login, 'waiting_on=me', 1)), want, 'one a page');
      const byDue = await listAll(login, 'waiting_on=me&sort=-due_date', 2);
      assert.deepEqual(ids(byDue).sort((a, b) => a - b), [...want].sort((a, b) => a - b));
      assert.deepEqual(ids(await listAll(login, 'waiting_on=me&priority=urgent')), ids(all.filter((x) => mine.has(x.id) && x.priority === 'urgent')));
    });
  }

  it('waiting on me: the review for the reviewer, an assessment not yet given, the initiator\'s drafts and returns', async () => {
    const liqiang = ids(await listAll('liqiang', 'waiting_on=me'));
    assert.ok(liqiang.includes(R.submitted.id) && liqiang.includes(R.submitted2.id), 'reviews');
    assert.ok(liqiang.includes(R.assessing.id), 'the decision (the reviewer decides)');
    assert.ok(!liqiang.includes(R.returned.id) && !liqiang.includes(R.cancelled.id));
    assert.ok(!liqiang.includes(R.secret.id), 'his own request waits on the head above him');
    const wangfang = ids(await listAll('wangfang', 'waiting_on=me'));
    assert.ok(wangfang.includes(R.draft.id) && wangfang.includes(R.returned.id), 'drafts and returned requests');
    assert.ok(!wangfang.includes(R.submitted.id), 'in review it waits on 李强');
    const chenjing = ids(await listAll('chenjing', 'waiting_on=me'));
    assert.ok(chenjing.includes(R.assessing.id), '平台部 still to assess');
    assert.ok(!chenjing.includes(R.platformDone.id), '平台部 has assessed');
    const sunli = ids(await listAll('sunli', 'waiting_on=me'));
    assert.ok(sunli.includes(R.platformDone.id) && sunli.includes(R.assessing.id), '财务部 still to assess both');
    const zhenghua = ids(await listAll('zhenghua', 'waiting_on=me'));
    assert.ok(zhenghua.includes(R.platformDone.id) && zhenghua.includes(R.assessing.id), 'a coordinator decides');
  });

  // Sorted: the key, then the id, in the same direction; blank due dates last either way.
  const key = {
    created: (x) => [0],
    due_date: (x, desc) => [x.due_date ? x.due_date : (desc ? '' : '9999-99-99')],
    priority: (x) => [PRIORITY_ORDER.indexOf(x.priority)],
    status: (x) => [STATUS_ORDER.indexOf(x.status)],
    code: (x) => [x.code],
  };
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  function expectOrder(items, sort, desc) {
    return [...items].sort((a, b) => {
      const c = cmp(key[sort](a, desc)[0], key[sort](b, desc)[0]) || cmp(a.id, b.id);
      return desc ? -c : c;
    });
  }
  for (const sort of ['created', 'due_date', 'priority', 'status', 'code']) {
    it(`sort=${sort} both ways, paged by 3 with nothing lost or repeated`, async () => {
      const all = await listAll('wangfang');
      for (const [query, desc] of [[`sort=${sort}`, false], [`sort=-${sort}`, true], [`sort=${sort}&order=desc`, true], [`sort=${sort}&order=asc`, false]]) {
        const paged = await listAll('wangfang', query, 3);
        assert.equal(new Set(ids(paged)).size, paged.length, `${query}: no repeats`);
        assert.deepEqual(ids(paged), ids(expectOrder(all, sort, desc)), `${query}: every request, in order`);
        assert.deepEqual(ids(await listAll('wangfang', query)), ids(paged), `${query}: one page is the same`);
      }
      // With filters and a search as well.
      const q = `sort=-${sort}&status=draft,submitted,returned,cancelled`;
      const filtered = all.filter((x) => ['draft', 'submitted', 'returned', 'cancelled'].includes(x.status));
      assert.deepEqual(ids(await listAll('wangfang', q, 2)), ids(expectOrder(filtered, sort, true)));
      const found = await listAll('wangfang', `sort=${sort}&q=${encodeURIComponent('草稿')}`, 1);
      assert.deepEqual(ids(found), ids(expectOrder(all.filter((x) => x.title.includes('草稿')), sort, false)));
    });
  }

  it('the default is newest first, and its cursor is still an id', async () => {
    const r = await (await as('wangfang')).get(`${RQ}?limit=2`);
    assert.equal(r.status, 200);
    assert.ok(r.json.items[0].id > r.json.items[1].id);
    assert.equal(r.json.next_cursor, String(r.json.items[1].id));
    const s = await (await as('wangfang')).get(`${RQ}?limit=2&sort=priority`);
    assert.match(s.json.next_cursor, /^(low|normal|high|urgent)~\d+$/);
  });

  it('bad parameters answer 400 naming the parameter, and the list is unchanged', async () => {
    const c = await as('wangfang');
    const bad = async (query, field) => assertProblem(await c.get(`${RQ}?${query}`), 400, 'bad_request', field);
    await bad('status=bogus', 'status');
    await bad('status=draft,bogus', 'status');
    await bad('status=draft&status=Draft', 'status');
    await bad('priority=highest', 'priority');
    await bad('due_from=2026-13-01', 'due_from');
    await bad('due_from=tomorrow', 'due_from');
    await bad('due_to=2026-02-30', 'due_to');
    await bad('due_from=2026-12-03&due_to=2026-12-02', 'due_to');
    await bad('sort=title', 'sort');
    await bad('sort=--code', 'sort');
    await bad('order=up', 'order');
    await bad('sort=-code&order=asc', 'order');
    await bad('waiting_on=you', 'waiting_on');
    await bad('cursor=abc', 'cursor');
    await bad('sort=priority&cursor=123', 'cursor');
    await bad('sort=priority&cursor=highest~12', 'cursor');
    await bad('sort=due_date&cursor=2026-02-30~12', 'cursor');
    await bad('sort=code&cursor=REQ%20X~12', 'cursor');
    await bad('sort=status&cursor=draft~0', 'cursor');
    await bad(`cursor=${'9'.repeat(300)}`, 'cursor');
    await bad('limit=0', 'limit');
    // The export reads the same parameters, and its own.
    const exp = async (query, field) => assertProblem(await c.get(`${RQ}/export?${query}`), 400, 'bad_request', field);
    await exp('format=pdf', 'format');
    await exp('lang=fr', 'lang');
    await exp('sort=title', 'sort');
    await exp('due_from=2026-12-03&due_to=2026-12-01', 'due_to');
    await exp('status=open', 'status');
  });

  // A raw GET for a file: status, headers and the bytes.
  async function download(login, path, headers = {}) {
    const c = await as(login);
    const r = await fetch(server.url + path, { headers: { cookie: c.cookie, ...headers } });
    return { status: r.status, headers: r.headers, buf: Buffer.from(await r.arrayBuffer()) };
  }
  // RFC 4180 records of a CSV text (quoted fields may hold commas, quotes and line breaks).
  function parseCsv(text) {
    const rows = []; let row = []; let f = ''; let q = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (q) {
        if (ch === '"' && text[i + 1] === '"') { f += '"'; i++; } else if (ch === '"') q = false; else f += ch;
      } else if (ch === '"') q = true;
      else if (ch === ',') { row.push(f); f = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(f); rows.push(row); row = []; f = ''; i++; } else f += ch;
    }
    assert.equal(f, '', 'the file ends with CRLF');
    return rows;
  }

  it('CSV: exactly what the filter shows, in its order, UTF-8 with BOM, quoted, formulas defused, Chinese header', async () => {
    const query = 'status=draft,submitted,returned&sort=-due_date';
    const shown = await listAll('wangfang', query, 2);
    const r = await download('wangfang', `${RQ}/export?format=csv&${query}`);
    assert.equal(r.status, 200, r.buf.toString());
    assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
    assert.equal(r.headers.get('content-disposition'), `attachment; filename="requests-${shanghaiDate(0)}.csv"`);
    assert.deepEqual([...r.buf.subarray(0, 3)], [0xEF, 0xBB, 0xBF], 'a BOM first');
    const rows = parseCsv(r.buf.subarray(3).toString('utf8'));
    assert.deepEqual(rows[0], ['编号', '标题', '状态', '优先级', '密级', '发起部门', '发起人', '期望完成日期', '当前环节', '等待处理人', '提交时间', '创建时间']);
    assert.deepEqual(rows.slice(1).map((x) => x[0]), shown.map((x) => x.code), 'the same requests in the same order');
    const byCode = Object.fromEntries(rows.slice(1).map((x) => [x[0], x]));
    const tricky = byCode[R.tricky.code];
    assert.equal(tricky[1], `'${R.tricky.title}`, 'a formula is shown as text, quote and comma kept');
    assert.equal(byCode[R.plus.code][1], "'+1 加急");
    assert.match(r.buf.toString('utf8'), /"'=HYPERLINK\(""http:\/\/evil\.example"",""点我""\), 预算"/, 'RFC 4180 quoting');
    const sub = byCode[R.submitted.code];
    assert.deepEqual(sub.slice(2, 10), ['待初审', '高', '内部', '市场部', '王芳', R.submitted.due_date, '需求初审', '李强']);
    assert.match(sub[10], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    assert.equal(byCode[R.draft.code][7], '', 'no due date');
    assert.equal(byCode[R.draft.code][10], '', 'never submitted');
    assert.equal(byCode[R.returned.code][8], '退回修改');
  });

  it('CSV in English from ?lang=en or Accept-Language; without either, Chinese', async () => {
    const header = async (path, h) => parseCsv((await download('wangfang', path, h)).buf.subarray(3).toString('utf8'))[0];
    const en = ['Code', 'Title', 'Status', 'Priority', 'Confidentiality', 'Initiating department', 'Raised by', 'Due date', 'Current step', 'Waiting on', 'Submitted', 'Created'];
    assert.deepEqual(await header(`${RQ}/export?lang=en`), en);
    assert.deepEqual(await header(`${RQ}/export`, { 'accept-language': 'en-US,en;q=0.9,zh-CN;q=0.5' }), en);
    assert.equal((await header(`${RQ}/export`, { 'accept-language': 'zh-TW;q=0.9, en;q=0.4' }))[0], '编号');
    assert.equal((await header(`${RQ}/export`, { 'accept-language': 'fr, *;q=0.1' }))[0], '编号');
    assert.equal((await header(`${RQ}/export?lang=zh-CN`, { 'accept-language': 'en' }))[0], '编号', '?lang wins');
    const rows = parseCsv((await download('wangfang', `${RQ}/export?lang=en&status=submitted&priority=high`)).buf.subarray(3).toString('utf8'));
    const sub = rows.find((x) => x[0] === R.submitted.code);
    assert.deepEqual(sub.slice(2, 5), ['In review', 'High', 'Internal']);
  });

  it('XLSX: the same rows, a bold header, due dates as dates, sensible widths', async () => {
    const query = 'waiting_on=me&sort=priority';
    const shown = await listAll('wangfang', query);
    const r = await download('wangfang', `${RQ}/export?format=xlsx&${query}`);
    assert.equal(r.status, 200, r.buf.toString());
    assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(r.headers.get('content-disposition'), `attachment; filename="requests-${shanghaiDate(0)}.xlsx"`);
    assert.equal(r.buf.subarray(0, 2).toString(), 'PK', 'a zip');
    const dir = mkdtempSync(join(tmpdir(), 'liaison-xlsx-'));
    try {
      writeFileSync(join(dir, 'r.xlsx'), r.buf);
      const sheet = JSON.parse(execFileSync('python3', [XLSX_PY, join(dir, 'r.xlsx')], { encoding: 'utf8' }));
      const [head, ...rows] = sheet.rows;
      assert.equal(head[0].v, '编号');
      assert.equal(head[7].v, '期望完成日期');
      assert.ok(head.every((c) => c.bold), 'the header is bold');
      assert.deepEqual(rows.map((x) => x[0].v), shown.map((x) => x.code));
      assert.ok(rows.length >= 4);
      for (const [i, row] of rows.entries()) {
        assert.ok(!row[0].bold);
        const due = shown[i].due_date;
        if (due) {
          assert.equal(row[7].t, 'n', 'a date is a number');
          assert.ok(row[7].date, 'shown as a date');
          // Excel's serial day: days since 1899-12-30.
          assert.equal(row[7].v, (Date.parse(`${due}T00:00:00Z`) - Date.parse('1899-12-30T00:00:00Z')) / 86400e3);
        }
        assert.ok(row[11].date && row[11].t === 'n', 'created: a date and time');
      }
      const tricky = rows.find((x) => x[0].v === R.tricky.code);
      if (tricky) assert.equal(tricky[1].v, R.tricky.title, 'text is text in a workbook (never a formula)');
      assert.ok(sheet.cols.length >= 12 && sheet.cols.every((c) => c.width >= 8 && c.width <= 60));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a confidential request is in no list, filter or export of someone who may not see it', async () => {
    for (const login of ['wangfang', 'chenjing']) {
      assert.ok(!ids(await listAll(login)).includes(R.secret.id), `${login}: not listed`);
      assert.ok(!ids(await listAll(login, 'status=submitted&priority=urgent&sort=due_date')).includes(R.secret.id));
      assert.ok(!ids(await listAll(login, 'waiting_on=me')).includes(R.secret.id));
      const csv = (await download(login, `${RQ}/export?status=submitted`)).buf.toString('utf8');
      assert.ok(!csv.includes(R.secret.code) && !csv.includes('人员调整'), `${login}: not exported`);
      const x = await download(login, `${RQ}/export?format=xlsx`);
      const dir = mkdtempSync(join(tmpdir(), 'liaison-xlsx-'));
      try {
        writeFileSync(join(dir, 'r.xlsx'), x.buf);
        const sheet = JSON.parse(execFileSync('python3', [XLSX_PY, join(dir, 'r.xlsx')], { encoding: 'utf8' }));
        assert.ok(!sheet.rows.some((row) => row[0] && row[0].v === R.secret.code), `${login}: not in the workbook`);
        assert.equal(sheet.rows.length - 1, (await listAll(login)).length, 'every request they see, and no other');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    // Those who may see it find it (李强 raised it; 张总 heads the company).
    for (const login of ['liqiang', 'zhangwei']) {
      assert.ok(ids(await listAll(login, 'priority=urgent')).includes(R.secret.id), login);
      assert.ok((await download(login, `${RQ}/export?priority=urgent`)).buf.toString('utf8').includes(R.secret.code), login);
    }
    assert.ok(ids(await listAll('zhangwei', 'waiting_on=me')).includes(R.secret.id), 'the head above reviews his head\'s request');
  });

  it('the export needs a signed-in caller', async () => {
    const r = await fetch(`${server.url}${RQ}/export`);
    assert.equal(r.status, 401);
  });
});
