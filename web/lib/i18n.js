// Translations: loads web/i18n/<lang>.json and answers t(key, params); picks the language on first visit.

export const LANGS = ['zh-CN', 'en'];
const STORAGE_KEY = 'liaison.lang';

let lang = 'en';
let strings = {};
const listeners = new Set();

function savedLang() {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(v) ? v : null;
  } catch {
    return null;
  }
}

// The saved choice, else zh-CN when the browser prefers any Chinese, else English.
export function detectLang() {
  const saved = savedLang();
  if (saved) return saved;
  const prefs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''];
  for (const p of prefs) {
    const l = String(p).toLowerCase();
    if (l.startsWith('zh')) return 'zh-CN';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}

async function fetchStrings(code) {
  const url = new URL(`../i18n/${code}.json`, import.meta.url);
  const r = await fetch(url, { credentials: 'same-origin' });
  if (!r.ok) throw new Error(`cannot load ${url}: ${r.status}`);
  return r.json();
}

// Loads a language, sets <html lang>, and tells the listeners. persist=true remembers the choice.
export async function setLang(code, { persist = false } = {}) {
  if (!LANGS.includes(code)) code = 'en';
  strings = await fetchStrings(code);
  lang = code;
  document.documentElement.lang = code;
  if (persist) {
    try { localStorage.setItem(STORAGE_KEY, code); } catch { /* private mode: keep it for this page */ }
  }
  for (const fn of listeners) fn(code);
}

export function getLang() {
  return lang;
}

// onLangChange(fn) -> unsubscribe function.
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function has(key) {
  return Object.prototype.hasOwnProperty.call(strings, key);
}

// t('error.required', {field: '名称'}) -> '名称不能为空'. A missing key shows itself, so it is noticed.
export function t(key, params) {
  let s = has(key) ? strings[key] : null;
  if (s === null) {
    console.warn(`i18n: missing key ${key} (${lang})`);
    return key;
  }
  if (params) {
    s = s.replace(/\{(\w+)\}/g, (m, name) => (params[name] !== undefined && params[name] !== null ? String(params[name]) : m));
  }
  return s;
}

// t() with a fallback when the key is not known (for values coming from the API).
export function tOr(key, fallback, params) {
  return has(key) ? t(key, params) : fallback;
}

// Date and time in the user's language, e.g. 2025年11月27日 09:13 / Nov 27, 2025, 9:13 AM.
export function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(d);
}

// Compares names the way the language sorts them (pinyin order for Chinese).
export function compareNames(a, b) {
  return String(a || '').localeCompare(String(b || ''), lang === 'zh-CN' ? 'zh-Hans-CN-u-co-pinyin' : lang);
}

// A calendar day 'YYYY-MM-DD' (no time zone: it is the same day everywhere), e.g. 2027年1月20日 / Jan 20, 2027.
export function formatDay(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(ymd || ''));
  if (!m) return ymd ? String(ymd) : '';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

// A count with its unit in the user's language: plural('duration.days', 2) -> '2 天' / '2 days'.
// The keys are <base>.one and <base>.other (Chinese uses .other only, but both exist in every language).
export function plural(base, count) {
  const form = new Intl.PluralRules(lang).select(count) === 'one' ? 'one' : 'other';
  return t(`${base}.${form}`, { count: formatNumber(count) });
}

// How long since iso (or between two instants): '不到 1 分钟', '5 分钟', '3 小时', '2 天' / '2 days'.
export function formatDuration(ms) {
  const min = Math.floor(Math.max(0, ms) / 60000);
  if (min < 1) return t('duration.less_than_minute');
  if (min < 60) return plural('duration.minutes', min);
  const hours = Math.floor(min / 60);
  if (hours < 24) return plural('duration.hours', hours);
  return plural('duration.days', Math.floor(hours / 24));
}

export function durationSince(iso, now = Date.now()) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return formatDuration(now - d.getTime());
}

// '刚刚', '5 分钟前', '昨天', '3 天前' / 'just now', '5 minutes ago', 'yesterday'; older than a week: the date.
export function formatRelative(iso, now = Date.now()) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso ? String(iso) : '';
  const secs = Math.round((d.getTime() - now) / 1000);
  const abs = Math.abs(secs);
  if (abs < 45) return t('time.just_now');
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  if (abs < 3600) return rtf.format(Math.round(secs / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(secs / 3600), 'hour');
  if (abs < 7 * 86400) return rtf.format(Math.round(secs / 86400), 'day');
  return formatDate(iso);
}

// Numbers the way the language writes them: 200000 -> 200,000; fractionDigits caps the decimals.
export function formatNumber(n, maxFractionDigits = 2) {
  if (n === null || n === undefined || n === '' || Number.isNaN(Number(n))) return '';
  return new Intl.NumberFormat(lang, { maximumFractionDigits: maxFractionDigits }).format(Number(n));
}
