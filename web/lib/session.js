// The signed-in user and the organisation data most pages need (departments, users), cached per session.

import { api, apiAll, setCsrfToken, ApiError } from './api.js';

export const session = {
  user: null,
  departments: null, // array, loaded on demand
  users: null, // array, loaded on demand (admins; others may be refused)
};

function accept(data) {
  session.user = data.user;
  setCsrfToken(data.csrf_token);
  return session.user;
}

// -> user, or null when nobody is signed in (401).
export async function loadMe() {
  try {
    return accept(await api('GET', '/me'));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      session.user = null;
      return null;
    }
    throw e;
  }
}

export async function signIn(login, password) {
  const data = await api('POST', '/session', { body: { login, password } });
  clearCaches();
  return accept(data);
}

export async function signOut() {
  try {
    await api('DELETE', '/session');
  } finally {
    session.user = null;
    setCsrfToken(null);
    clearCaches();
  }
}

export function clearCaches() {
  session.departments = null;
  session.users = null;
}

export function isAdmin() {
  return !!(session.user && session.user.is_admin);
}

export async function loadDepartments(force = false) {
  if (!session.departments || force) session.departments = await apiAll('/departments');
  return session.departments;
}

export async function loadUsers(force = false) {
  if (!session.users || force) session.users = await apiAll('/users');
  return session.users;
}

export function byId(list) {
  const m = new Map();
  for (const x of list || []) m.set(x.id, x);
  return m;
}

// Builds the department forest: [{dept, children:[...], depth}]. Siblings keep the order they were created in
// (the API lists by id), which is the order the organisation chose, not an alphabetical one.
export function departmentTree(depts) {
  const nodes = new Map();
  for (const d of depts) nodes.set(d.id, { dept: d, children: [], depth: 0 });
  const roots = [];
  for (const n of nodes.values()) {
    const parent = n.dept.parent_id != null ? nodes.get(n.dept.parent_id) : null;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  const sortRec = (list, depth) => {
    list.sort((a, b) => a.dept.id - b.dept.id);
    for (const n of list) { n.depth = depth; sortRec(n.children, depth + 1); }
  };
  sortRec(roots, 0);
  return roots;
}

// Depth-first list of the tree: [{dept, depth}] — for parent selects.
export function flattenTree(roots) {
  const out = [];
  const walk = (list) => { for (const n of list) { out.push(n); walk(n.children); } };
  walk(roots);
  return out;
}

// The ids of a department and everything below it (what it may not be moved under).
export function subtreeIds(roots, id) {
  const ids = new Set();
  const find = (list) => {
    for (const n of list) {
      if (n.dept.id === id) { collect(n); return true; }
      if (find(n.children)) return true;
    }
    return false;
  };
  const collect = (n) => { ids.add(n.dept.id); n.children.forEach(collect); };
  find(roots);
  return ids;
}

// '研发中心 / 平台部'
export function departmentPath(deptMap, id) {
  const parts = [];
  const seen = new Set();
  let d = deptMap.get(id);
  while (d && !seen.has(d.id)) {
    seen.add(d.id);
    parts.unshift(d.name);
    d = d.parent_id != null ? deptMap.get(d.parent_id) : null;
  }
  return parts.join(' / ');
}
