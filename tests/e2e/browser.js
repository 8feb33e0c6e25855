// Shared helpers for browser tests: start the demo server and launch Debian's chromium through playwright-core,
// open pages, sign in, wait for what a page shows.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, DEMO_PASSWORD } from '../lib/server.js';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// LIAISON_WEB_DIR=web serves the UI from disk instead of the copy built into the binary (handy while editing web/).
export const webDirArgs = process.env.LIAISON_WEB_DIR ? ['--web-dir', process.env.LIAISON_WEB_DIR] : [];

// startWithBrowser() -> {server, browser}: a server with the demo company (serving LIAISON_WEB_DIR when set) and a
// browser.  If the browser does not start, the server is stopped again.  The caller must stopWithBrowser() them.
export async function startWithBrowser() {
  const server = await startServer({ demo: true, args: webDirArgs });
  try {
    return { server, browser: await launch() };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

// Closes the browser, then stops the server (either may be missing).
export async function stopWithBrowser({ server, browser } = {}) {
  if (browser) await browser.close();
  if (server) await server.stop();
}

// A 401 while loading is expected (GET /api/v1/me before signing in, a wrong password); anything else
// printed as an error — a script error, a CSP violation, a failed module load — is a problem.
function isExpected(text) {
  return /Failed to load resource: the server responded with a status of 401/.test(text);
}

// openPage(browser, {locale, viewport}) -> {context, page, problems}: problems collects page errors and console errors.
export async function openPage(browser, { locale = 'zh-CN', viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ locale, viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !isExpected(m.text())) problems.push(`console.error: ${m.text()}`);
  });
  return { context, page, problems };
}

// Fills the sign-in form (whatever the language) and waits for the application frame.
export async function signIn(page, login, password) {
  await page.locator('.login-form input[name=login]').fill(login);
  await page.locator('.login-form input[name=password]').fill(password);
  await page.locator('.login-form button[type=submit]').click();
  await page.locator('header.topbar').waitFor();
}

// The visible text of every element matching selector, trimmed.
export async function texts(locator) {
  return (await locator.allTextContents()).map((s) => s.trim());
}

// eventually(fn, {timeout, interval}) -> fn's answer: calls fn (which asserts) until it stops throwing — a retrying
// assertion for what the page shows after a debounce, a fetch or a server-sent event. Throws fn's last error when
// the time is up.
export async function eventually(fn, { timeout = 10000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

// signedInPage(browser, server, login, password, {locale, viewport}) -> openPage()'s {context, page, problems},
// signed in as login (the demo password unless given) and showing the application frame.
export async function signedInPage(browser, server, login, password = DEMO_PASSWORD, opts = {}) {
  const p = await openPage(browser, opts);
  try {
    await p.page.goto(`${server.url}/login`);
    await signIn(p.page, login, password);
    return p;
  } catch (e) {
    await p.context.close();
    throw e;
  }
}

// The unread count the inbox bell shows (its data-unread; NaN before the server has said).
export async function bellCount(page) {
  return Number(await page.locator('#inbox-bell').getAttribute('data-unread'));
}

// Waits until the bell shows a count for which pred(count) holds, without reloading; answers the count.
export async function waitForBell(page, pred, { timeout = 10000 } = {}) {
  return eventually(async () => {
    const n = await bellCount(page);
    assert.ok(pred(n), `bell count ${n}`);
    return n;
  }, { timeout });
}

// A screenshot for the user guide: into $LIAISON_DOC_SHOTS (make doc-shots sets docs/user-guide/img), else
// tests/out, as NAME.png. `target` is a page or a locator.
export async function shot(target, name) {
  const dir = process.env.LIAISON_DOC_SHOTS || 'tests/out';
  // A live page may render again under the shot (a change it was told of): take it again.
  for (let i = 0; ; i++) {
    try {
      await target.screenshot({ path: `${dir}/${name}.png` });
      return;
    } catch (e) {
      if (i >= 4 || !/not attached|detached/.test(String(e.message))) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
