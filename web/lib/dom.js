// DOM helpers: build elements from data without ever parsing markup (text goes in through textContent / text nodes).

const SVG_NS = 'http://www.w3.org/2000/svg';

// Properties that must be set as DOM properties rather than attributes.
const PROPS = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'required', 'readOnly', 'multiple', 'indeterminate']);

function applyProps(el, props) {
  for (const [key, val] of Object.entries(props)) {
    if (val === undefined || val === null || val === false && !PROPS.has(key)) continue;
    if (key === 'class') {
      const list = Array.isArray(val) ? val : [val];
      for (const c of list) if (c) for (const part of String(c).split(/\s+/)) if (part) el.classList.add(part);
    } else if (key === 'text') {
      el.textContent = String(val);
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(val)) if (v !== undefined && v !== null) el.dataset[k] = String(v);
    } else if (key.startsWith('on') && typeof val === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), val);
    } else if (PROPS.has(key)) {
      el[key] = val;
    } else if (key === 'style') {
      throw new Error('h(): use classes, not style attributes (CSP)');
    } else {
      el.setAttribute(key, val === true ? '' : String(val));
    }
  }
}

function appendChildren(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false || c === true) continue;
    if (Array.isArray(c)) appendChildren(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

// h('button', {class: 'btn', onclick: fn}, 'Save') -> <button class="btn">Save</button>
// Strings among children become text nodes, so data can never become markup.
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props && (typeof props !== 'object' || props instanceof Node || Array.isArray(props))) {
    children.unshift(props);
  } else if (props) {
    applyProps(el, props);
  }
  appendChildren(el, children);
  return el;
}

// Removes every child of el, then appends the given children.
export function replace(el, ...children) {
  el.replaceChildren();
  appendChildren(el, children);
  return el;
}

// Icons: fixed path data only (never data from the API).
const ICONS = {
  menu: 'M3 6h18M3 12h18M3 18h18',
  close: 'M6 6l12 12M18 6L6 18',
  chevron: 'M9 6l6 6-6 6',
  chevronDown: 'M6 9l6 6 6-6',
  chevronLeft: 'M15 6l-6 6 6 6',
  printer: 'M7 9V3h10v6M7 17H4V9h16v8h-3M7 14h10v7H7z',
  plus: 'M12 5v14M5 12h14',
  home: 'M3 11l9-7 9 7M5 10v10h14V10',
  inbox: 'M4 4h16v16H4zM4 14h5l1 2h4l1-2h5',
  tree: 'M4 4h6v5H4zM14 15h6v5h-6zM14 4h6v5h-6zM7 9v8.5h7M10 6.5h4',
  users: 'M9 11a4 4 0 100-8 4 4 0 000 8zM2 21v-1a6 6 0 0112 0v1M16 3.5a4 4 0 010 7.5M22 21v-1a6 6 0 00-4-5.6',
  user: 'M12 12a4.5 4.5 0 100-9 4.5 4.5 0 000 9zM4 21v-1a7 7 0 0114 0v1',
  logout: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h11',
  globe: 'M12 21a9 9 0 100-18 9 9 0 000 18zM3 12h18M12 3c2.5 2.5 3.5 5.5 3.5 9s-1 6.5-3.5 9c-2.5-2.5-3.5-5.5-3.5-9s1-6.5 3.5-9z',
  edit: 'M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4',
  trash: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
  history: 'M3 12a9 9 0 103-6.7M3 4v5h5M12 8v4l3 2',
  search: 'M11 18a7 7 0 100-14 7 7 0 000 14zM21 21l-5-5',
  download: 'M12 4v11M7 10.5l5 5 5-5M5 20h14',
  'sort-asc': 'M12 19V5M6.5 10.5L12 5l5.5 5.5',
  'sort-desc': 'M12 5v14M6.5 13.5L12 19l5.5-5.5',
  sort: 'M8 4v16M4.5 7.5L8 4l3.5 3.5M16 20V4M12.5 16.5L16 20l3.5-3.5',
  key: 'M8 15a4 4 0 110-8 4 4 0 010 8zM11.5 11H21M18 11v3M15 11v2',
  copy: 'M8 8h12v12H8zM4 16V4h12',
  check: 'M5 12l5 5 9-10',
  clock: 'M12 21a9 9 0 100-18 9 9 0 000 18zM12 7v5l3 2',
  alert: 'M12 3l9.5 17h-19zM12 10v4M12 17v.5',
  info: 'M12 21a9 9 0 100-18 9 9 0 000 18zM12 11v6M12 7.5v.5',
  link: 'M10 14a4 4 0 005.7 0l3-3a4 4 0 00-5.7-5.7l-1 1M14 10a4 4 0 00-5.7 0l-3 3a4 4 0 005.7 5.7l1-1',
  refresh: 'M20 11a8 8 0 10-2.3 5.7M20 4v7h-7',
  lock: 'M6 11h12v10H6zM8.5 11V7.5a3.5 3.5 0 017 0V11',
  pause: 'M8 5v14M16 5v14',
  play: 'M7 4l13 8-13 8z',
  bell: 'M6 9a6 6 0 0112 0c0 6.5 2.5 8 2.5 8h-17S6 15.5 6 9zM10 20.5a2.2 2.2 0 004 0',
  send: 'M21 3L10 14M21 3l-6.5 18-4.5-7-7-4.5z',
  review: 'M9 3.5h6v3H9zM7.5 5H5v16h14V5h-2.5M8.5 13l2.5 2.5 4.5-5',
  assess: 'M4 20V11M10 20V5M16 20v-6M21 20H3',
  decide: 'M12 21a9 9 0 100-18 9 9 0 000 18zM8 12.5l3 3 5-6.5',
  ban: 'M12 21a9 9 0 100-18 9 9 0 000 18zM5.7 5.7l12.6 12.6',
  folder: 'M3 6.5h6l2 2h10V20H3z',
  calendar: 'M4 5.5h16V21H4zM4 10h16M8.5 3v4M15.5 3v4',
  undo: 'M9 14L4 9l5-5M4 9h11a5 5 0 010 10h-3',
  flag: 'M5 21V4h12l-2.5 4 2.5 4H5',
  list: 'M9 6h11M9 12h11M9 18h11M4.5 6h.5M4.5 12h.5M4.5 18h.5',
  building: 'M4 21V4h10v17M14 9h6v12M7.5 8h3M7.5 12h3M7.5 16h3M3 21h18',
};

// icon('edit') -> decorative <svg> (aria-hidden); the surrounding control carries the label.
export function icon(name, cls) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', cls ? `icon ${cls}` : 'icon');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', ICONS[name] || ICONS.info);
  svg.appendChild(path);
  return svg;
}

let idCounter = 0;
// uid('field') -> a document-unique id for tying labels to inputs.
export function uid(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

// Returns a debounced version of fn.
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// Initials for an avatar: the last two characters of a Chinese name, else the first letters of words.
export function initials(name) {
  const s = String(name || '').trim();
  if (!s) return '?';
  if (/[\u3400-\u9fff]/.test(s)) return Array.from(s).slice(-2).join('');
  const words = s.split(/\s+/).filter(Boolean);
  return words.slice(0, 2).map((w) => Array.from(w)[0].toUpperCase()).join('');
}
