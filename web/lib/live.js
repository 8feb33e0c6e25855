// Live updates: one server-sent event stream per signed-in tab (GET /api/v1/events) that keeps the unread
// count of the inbox current, and tells open pages when what they show changed (event: change). The browser reconnects by itself after a network failure; when the server
// refuses the stream (a status other than 200, e.g. the session ended) EventSource gives up, so we try
// again a little later while someone is still signed in.

let source = null;
let retryTimer = null;
let wanted = false;
let unread = null; // null until the server has told us
const watchers = new Set(); // {el, fn}: fn(count) while el is in the document
const changeWatchers = new Set(); // {entity, id, fn}: fn() when that entity changes

const RETRY_MS = 15000;

function notify() {
  for (const w of [...watchers]) {
    if (w.el && !w.el.isConnected && w.seen) { watchers.delete(w); continue; }
    if (w.el && w.el.isConnected) w.seen = true;
    try { w.fn(unread); } catch (e) { console.error(e); }
  }
}

function open() {
  clearTimeout(retryTimer);
  retryTimer = null;
  if (!wanted || source) return;
  if (typeof EventSource === 'undefined') return;
  const es = new EventSource('/api/v1/events');
  source = es;
  es.addEventListener('inbox', (e) => {
    let data = null;
    try { data = JSON.parse(e.data); } catch { return; }
    if (data && Number.isFinite(data.unread_count)) setUnread(data.unread_count);
  });
  es.addEventListener('change', (e) => {
    let data = null;
    try { data = JSON.parse(e.data); } catch { return; }
    if (!data) return;
    for (const w of [...changeWatchers]) {
      if (w.entity === data.entity && w.id === data.id) {
        try { w.fn(); } catch (err) { console.error(err); }
      }
    }
  });
  es.addEventListener('error', () => {
    if (es.readyState !== EventSource.CLOSED) return; // reconnecting on its own
    if (source === es) source = null;
    if (wanted) retryTimer = setTimeout(open, RETRY_MS);
  });
}

// Starts the stream (idempotent). Call once someone is signed in.
export function startLive() {
  wanted = true;
  open();
}

// Stops the stream and forgets the count (signing out).
export function stopLive() {
  wanted = false;
  clearTimeout(retryTimer);
  retryTimer = null;
  if (source) { source.close(); source = null; }
  unread = null;
  notify();
}

export function unreadCount() {
  return unread;
}

// Sets the count from another source of truth (GET /inbox answers it too), and tells the watchers.
export function setUnread(n) {
  if (!Number.isFinite(n) || n === unread) return;
  unread = n;
  notify();
}

// watchUnread(el, fn): fn(count) now and on every change, for as long as el stays in the document.
// -> a function that stops watching.
export function watchUnread(el, fn) {
  const w = { el, fn, seen: !!(el && el.isConnected) };
  watchers.add(w);
  try { fn(unread); } catch (e) { console.error(e); }
  return () => watchers.delete(w);
}

// watchChanges(entity, id, fn): fn() whenever someone changes that entity (a request page reloads what it
// shows). -> a function that stops watching.
export function watchChanges(entity, id, fn) {
  const w = { entity, id, fn };
  changeWatchers.add(w);
  return () => changeWatchers.delete(w);
}
