// The route tables of src/api/*.c, read from the source: {method, pattern, handler, name, auth, help}.
// Tests compare what the server publishes (OpenAPI, docs) with what the code declares.
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function parseRoutes() {
  const dir = join(root, 'src', 'api');
  const re = /\{"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)",\s*(\w+),\s*"(\w+)",\s*(AUTH_\w+),\s*"((?:[^"\\]|\\.)*)"/g;
  const out = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.c')).sort()) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const m of text.matchAll(re)) {
      out.push({ method: m[1], pattern: m[2], handler: m[3], name: m[4], auth: m[5], help: JSON.parse(`"${m[6]}"`) });
    }
  }
  return out;
}
