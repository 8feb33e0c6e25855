// Starts a real liaison server on a free port with a temporary store, for API and browser tests.
// The store is a SQLite file, or — when $LIAISON_TEST_PG names a PostgreSQL server (postgres://user@host:port/,
// set by tools/run-tests.sh for the api-pg suite, with $PGHOST and $PGPORT) — a database of its own there,
// created for the server and dropped by stop().
// Each server gets a directory (under $LIAISON_TEST_TMP when set, else the system's temporary directory) holding its
// store and server.log, everything it writes on stderr (access log, errors, sanitizer reports).  stop() deletes the
// directory unless LIAISON_TEST_KEEP=1 or SANITIZE=1 (tools/run-tests.sh sets the first and judges the logs itself),
// and never when the log holds a sanitizer report; a server a failed test never stopped leaves its directory too.
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.LIAISON_BIN || join(root, 'liaison');
export const ADMIN_PASSWORD = 'admin-pass-1234';
export const DEMO_PASSWORD = 'demo1234';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const env = () => ({ ...process.env, LIAISON_ADMIN_PASSWORD: ADMIN_PASSWORD, LIAISON_PWHASH: 'min' });

export const PG = process.env.LIAISON_TEST_PG || '';
let dbSeq = 0;
const psql = (database, sql) => spawnSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-U', 'liaison', '-d', database, '-c', sql],
  { encoding: 'utf8', env: process.env });

// A new, empty store: a SQLite path in dir, or a new PostgreSQL database (its URL).
export function newStore(dir) {
  if (!PG) return join(dir, 'liaison.db');
  const name = `t${process.pid}_${++dbSeq}_${Math.random().toString(36).slice(2, 8)}`;
  const r = psql('liaison', `CREATE DATABASE ${name} OWNER liaison`);
  if (r.status !== 0) throw new Error(`cannot create database ${name}: ${r.stderr}`);
  return PG + name;
}

export function dropStore(db) {
  if (!db.startsWith('postgres')) return;
  psql('liaison', `DROP DATABASE IF EXISTS ${db.slice(db.lastIndexOf('/') + 1)} WITH (FORCE)`);
}

// Runs sql on a store (sqlite3, or psql on PostgreSQL): {status, stdout, stderr}, stdout trimmed.
export function storeSql(db, sql) {
  const r = db.startsWith('postgres') ? psql(db.slice(db.lastIndexOf('/') + 1), sql) : spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });
  return { status: r.status, stdout: (r.stdout || '').trim(), stderr: r.stderr || '' };
}

// Makes `op` (INSERT, UPDATE or DELETE) on `table` fail as a full disk would, until the returned function undoes it.
export function failWrites(db, table, op) {
  const name = `fail_${table}_${op.toLowerCase()}`;
  const pg = db.startsWith('postgres');
  const make = pg
    ? `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''disk full (test)''; END';` +
      ` CREATE TRIGGER ${name} BEFORE ${op} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}();`
    : `CREATE TRIGGER ${name} BEFORE ${op} ON ${table} BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END;`;
  const r = storeSql(db, make);
  if (r.status !== 0) throw new Error(`cannot add the failing trigger: ${r.stderr}`);
  return () => {
    const u = storeSql(db, pg ? `DROP TRIGGER ${name} ON ${table}; DROP FUNCTION ${name}();` : `DROP TRIGGER ${name};`);
    if (u.status !== 0) throw new Error(`cannot drop the failing trigger: ${u.stderr}`);
  };
}

// startServer({demo, args, devClock, prepare, on}) -> {url, port, db, dir, stop()}.  The caller must stop() it.
// on: another server (or {db}), whose store this one serves too (several servers on one PostgreSQL store); the
// store is then neither made nor dropped here.  sqlite: a SQLite file even when $LIAISON_TEST_PG is set.
// devClock (default true) passes --dev-clock, which enables the test routes under /api/v1/admin/;
// prepare(dbPath) runs after `init` and before `serve` (e.g. to change settings).
export async function startServer({ demo = false, args = [], devClock = true, prepare, on, sqlite = false } = {}) {
  const dir = mkdtempSync(join(process.env.LIAISON_TEST_TMP || tmpdir(), 'liaison-test-'));
  const db = on ? on.db : sqlite ? join(dir, 'liaison.db') : newStore(dir);
  if (!on) execFileSync(BIN, ['init', '--db', db, ...(demo ? ['--demo'] : [])], { env: env(), stdio: ['ignore', 'ignore', 'inherit'] });
  if (prepare) await prepare(db);
  const port = await freePort();
  // The server writes its stderr straight into the file: nothing is lost, even if this process dies first.
  const logPath = join(dir, 'server.log');
  const logFd = openSync(logPath, 'a');
  let proc;
  try {
    proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...(devClock ? ['--dev-clock'] : []), ...args], {
      env: env(), stdio: ['ignore', 'ignore', logFd],
    });
  } finally {
    closeSync(logFd);
  }
  const log = () => readFileSync(logPath, 'utf8');
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10000;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`server exited (${logPath}): ${log()}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error(`server did not start (${logPath}): ${log()}`); }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url, port, db, dir, proc, logPath, log,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const done = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await done;
      }
      const text = log();
      if (/ERROR: \w+Sanitizer|runtime error:/.test(text)) {
        throw new Error(`sanitizer report from the server (${logPath}):\n${text.slice(-4000)}`);
      }
      if (!on) dropStore(db);
      if (process.env.LIAISON_TEST_KEEP !== '1' && process.env.SANITIZE !== '1') rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A client that remembers its session cookie and CSRF token, like a browser would.
export class Client {
  constructor(server) { this.server = server; this.cookie = null; this.csrf = null; this.token = null; }

  // req(method, path, {body, headers, raw}) -> {status, headers, json, text}
  async req(method, path, { body, headers = {}, raw } = {}) {
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.token) h.authorization = `Bearer ${this.token}`;
    if (this.csrf && !['GET', 'HEAD'].includes(method) && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    let payload;
    if (raw !== undefined) payload = raw;
    else if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] = 'application/json'; }
    const r = await fetch(this.server.url + path, { method, headers: h, body: payload, redirect: 'manual' });
    const setCookie = r.headers.get('set-cookie');
    if (setCookie) {
      const m = /liaison_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `liaison_session=${m[1]}` : null;
    }
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: r.status, headers: r.headers, json, text };
  }

  async login(login, password) {
    const r = await this.req('POST', '/api/v1/session', { body: { login, password } });
    if (r.status !== 200) throw new Error(`login ${login} failed: ${r.status} ${r.text}`);
    this.csrf = r.json.csrf_token;
    this.user = r.json.user;
    return r;
  }

  get(p, o) { return this.req('GET', p, o); }
  post(p, body, o = {}) { return this.req('POST', p, { ...o, body }); }
  patch(p, body, o = {}) { return this.req('PATCH', p, { ...o, body }); }
  put(p, body, o = {}) { return this.req('PUT', p, { ...o, body }); }
  del(p, o) { return this.req('DELETE', p, o); }
}

export async function adminClient(server) {
  const c = new Client(server);
  await c.login('admin', ADMIN_PASSWORD);
  return c;
}

// devClient(server) -> a client for the test routes (PUT /api/v1/admin/clock, POST /api/v1/admin/tick), which need
// an administrator: it carries an administrator's API token, which does not expire when the clock moves past the
// lifetime of a session.  One per server.
const devClients = new WeakMap();
export function devClient(server) {
  if (!devClients.has(server)) {
    const p = (async () => {
      const admin = await adminClient(server);
      const t = await admin.post('/api/v1/tokens', { name: 'tests: dev clock' });
      if (t.status !== 201) throw new Error(`dev token: ${t.status} ${t.text}`);
      const c = new Client(server);
      c.token = t.json.token;
      return c;
    })();
    devClients.set(server, p);
    p.catch(() => devClients.delete(server));
  }
  return devClients.get(server);
}
