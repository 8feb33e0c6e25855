// JSON API client: sends JSON, adds X-CSRF-Token and If-Match, turns problem+json answers into ApiError.

const BASE = '/api/v1';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken = null;
let onUnauthenticated = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

// Called when a request (other than signing in) answers 401: the session is gone.
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn;
}

// An API failure: status (0 when the network failed), code (stable, translated by the UI), field, detail.
export class ApiError extends Error {
  constructor({ status, code, field = null, detail = '', title = '', retryAfter = null }) {
    super(detail || title || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.detail = detail;
    this.title = title;
    this.retryAfter = retryAfter;
  }
}

function codeForStatus(status) {
  return {
    400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
    409: 'conflict', 412: 'precondition_failed', 413: 'body_too_large', 422: 'invalid_value',
    428: 'if_match_required', 429: 'throttled',
  }[status] || (status >= 500 ? 'server_error' : 'unexpected');
}

function query(params) {
  if (!params) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

// api('PATCH', '/departments/3', {body: {...}, version: 4}) -> parsed JSON (null for 204).
// version sets If-Match: "N"; params become the query string. Throws ApiError.
export async function api(method, path, { body, version, params, signal } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', signal };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (version !== undefined && version !== null) headers['If-Match'] = `"${version}"`;

  let r;
  try {
    r = await fetch(BASE + path + query(params), init);
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'network', detail: String(e && e.message) });
  }
  let text;
  try {
    text = await r.text();
  } catch (e) { // the connection failed while the answer was arriving: a network failure, not a bug
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'network', detail: String(e && e.message) });
  }
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (r.ok) return data;

  const err = new ApiError({
    status: r.status,
    code: (data && typeof data.code === 'string' && data.code) || codeForStatus(r.status),
    field: (data && typeof data.field === 'string' && data.field) || null,
    detail: (data && typeof data.detail === 'string' && data.detail) || '',
    title: (data && typeof data.title === 'string' && data.title) || '',
    retryAfter: r.headers.get('Retry-After'),
  });
  if (r.status === 401 && path !== '/session' && path !== '/me' && onUnauthenticated) onUnauthenticated(err);
  throw err;
}

// Fetches every page of a list route: {items, next_cursor} -> items.
export async function apiAll(path, params = {}) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < 100; page += 1) {
    const data = await api('GET', path, { params: { ...params, limit: 1000, cursor } });
    if (!data || !Array.isArray(data.items)) break;
    items.push(...data.items);
    cursor = data.next_cursor;
    if (!cursor) break;
  }
  return items;
}

export const get = (path, opts) => api('GET', path, opts);
export const post = (path, body, opts = {}) => api('POST', path, { ...opts, body });
export const patch = (path, body, version, opts = {}) => api('PATCH', path, { ...opts, body, version });
export const put = (path, body, version, opts = {}) => api('PUT', path, { ...opts, body, version });
export const del = (path, opts) => api('DELETE', path, opts);
