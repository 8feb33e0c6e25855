// The layers: one dependency order, the same in README, docs/HACKING.md and the code — no #include in
// src/ runs upward, and the HTTP layer knows no resource (it includes nothing of src/api or src/ops).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ORDER = ['util', 'domain', 'store', 'ops', 'jobs', 'http', 'api', 'cli'];
const LINE = 'util → domain → store → ops → jobs → http → api → cli';

function includes() {
  const out = [];
  for (const layer of readdirSync(join(root, 'src'))) {
    let files;
    try { files = readdirSync(join(root, 'src', layer)); } catch { continue; }
    for (const f of files.filter((n) => /\.[ch]$/.test(n))) {
      const text = readFileSync(join(root, 'src', layer, f), 'utf8');
      for (const m of text.matchAll(/#include "(\w+)\//g)) out.push({ file: `src/${layer}/${f}`, layer, to: m[1] });
    }
  }
  return out;
}

describe('layers', () => {
  it('README and docs/HACKING.md state the same order', () => {
    assert.ok(readFileSync(join(root, 'README.md'), 'utf8').includes(LINE), 'README');
    assert.ok(readFileSync(join(root, 'docs', 'HACKING.md'), 'utf8').includes(LINE), 'HACKING');
  });

  it('every folder of src/ is a layer of that order', () => {
    const layers = new Set(includes().map((i) => i.layer));
    for (const l of layers) assert.ok(ORDER.includes(l), `src/${l} is not in the order ${LINE}`);
  });

  it('no #include runs upward', () => {
    const up = includes().filter((i) => ORDER.indexOf(i.to) > ORDER.indexOf(i.layer));
    assert.deepEqual(up.map((i) => `${i.file} includes ${i.to}/`), []);
  });
});
