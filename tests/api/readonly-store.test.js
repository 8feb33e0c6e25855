// A store file that cannot be written: serve refuses to start (non-zero, a clear message) instead of serving pages
// and failing every change.  (A SQLite file's permissions: tools/run-tests.sh leaves it out of the api-pg suite.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync, chownSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ADMIN_PASSWORD } from '../lib/server.js';

const env = { ...process.env, LIAISON_ADMIN_PASSWORD: ADMIN_PASSWORD, LIAISON_PWHASH: 'min' };

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
