// A store that cannot be written: serve refuses to start (non-zero, a clear message) instead of serving pages and
// failing every change; and GET /healthz answers 503 while writes fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync, chownSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, BIN, ADMIN_PASSWORD } from '../lib/server.js';
import { waitFor } from '../lib/raw.js';

const env = { ...process.env, LIAISON_ADMIN_PASSWORD: ADMIN_PASSWORD, LIAISON_PWHASH: 'min' };
const sqlite = (db, sql) => spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });

test('serve refuses a store file it cannot write, with a message and a non-zero status', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-ro-'));
  try {
    const db = join(dir, 'liaison.db');
    execFileSync(BIN, ['init', '--db', db], { env, stdio: 'ignore' });
    // The file is read-only for the user who serves.  root may write anything, so as root serve runs as nobody
    // with the file given to nobody (the folder stays writable: only the file is read-only).
    // The binary is copied into the folder too: nobody may not be able to reach the checkout's (under /root, say).
    const asRoot = process.getuid?.() === 0;
    chmodSync(dir, 0o777);
    const bin = join(dir, 'liaison');
    copyFileSync(BIN, bin);
    chmodSync(bin, 0o755);
    if (asRoot) chownSync(db, 65534, 65534);
    chmodSync(db, 0o444);
    const p = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0'], {
      env, stdio: ['ignore', 'ignore', 'pipe'], ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    let stderr = '';
    p.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), 10000);
    const [code, signal] = await new Promise((r) => p.on('exit', (c, s) => r([c, s])));
    clearTimeout(timer);
    assert.equal(signal, null, `serve was still running after 10 s: ${stderr}`);
    assert.notEqual(code, 0);
    assert.match(stderr, /liaison serve: the store .* cannot be written/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GET /healthz answers 503 while the store takes no writes, 200 again after', async () => {
  const server = await startServer();
  try {
    const health = async () => { const r = await fetch(`${server.url}/healthz`); return { status: r.status, body: await r.json() }; };
    assert.equal((await health()).status, 200);
    let r = sqlite(server.db, "CREATE TRIGGER no_writes BEFORE INSERT ON login_failures BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END;");
    assert.equal(r.status, 0, r.stderr);
    const bad = await waitFor(async () => { const h = await health(); return h.status === 503 && h; }, { what: '503' });
    assert.equal(bad.body.code, 'unavailable');
    r = sqlite(server.db, 'DROP TRIGGER no_writes;');
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await health()).status, 200);
  } finally {
    await server.stop();
  }
});
