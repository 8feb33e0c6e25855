// The translation files: the same keys and placeholders in every language, and every key the UI names exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const langs = ['zh-CN', 'en'];
const strings = Object.fromEntries(langs.map((l) => [l, JSON.parse(readFileSync(join(web, 'i18n', `${l}.json`), 'utf8'))]));
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'i18n' ? [] : jsFiles(p);
    return name.endsWith('.js') ? [p] : [];
  });
}

test('zh-CN and en have the same keys', () => {
  assert.deepEqual(Object.keys(strings.en).sort(), Object.keys(strings['zh-CN']).sort());
});

test('every string is non-empty and uses the same placeholders in both languages', () => {
  for (const key of Object.keys(strings.en)) {
    for (const l of langs) assert.ok(String(strings[l][key]).trim(), `${l}: ${key} is empty`);
    assert.deepEqual(placeholders(strings['zh-CN'][key]), placeholders(strings.en[key]), `placeholders of ${key}`);
  }
});

test('every key named literally in web/**/*.js exists', () => {
  const missing = [];
  for (const file of jsFiles(web)) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) {
      if (!(m[1] in strings.en)) missing.push(`${file.slice(web.length + 1)}: ${m[1]}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('every API error code in the conventions has a translation', () => {
  const codes = ['malformed_json', 'invalid_utf8', 'bad_request', 'unauthenticated', 'forbidden', 'csrf_failed', 'not_found',
    'method_not_allowed', 'conflict', 'duplicate', 'invalid_transition', 'precondition_failed', 'body_too_large', 'required',
    'invalid_type', 'invalid_value', 'too_long', 'unknown_field', 'too_deep', 'cycle', 'weak_password', 'if_match_required', 'throttled'];
  for (const c of codes) for (const l of langs) assert.ok(`error.${c}` in strings[l], `${l}: error.${c}`);
});

test('the UI sets text, never markup', () => {
  for (const file of jsFiles(web)) {
    const src = readFileSync(file, 'utf8');
    assert.doesNotMatch(src, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write\(/, file);
    assert.doesNotMatch(src, /\beval\(|new Function\(/, file);
  }
});
