// Shared set-up for the end-to-end tests: one headless Chromium (Debian's, driven by
// playwright-core), a fresh context per test, and a record of every page error, console error
// and request origin. `cargo xtask test` starts the fixture DoH server and two plain static
// servers for dist/ (at the root and in a sub-folder) and passes their URLs in the environment.
import { before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const need = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests with cargo xtask test`);
  return value;
};

export const APP = need('MXRAY_APP_URL');
export const SUB = need('MXRAY_SUB_URL');
export const DOH = need('MXRAY_DOH_URL');
export const DOH_LOG = need('MXRAY_DOH_LOG');
// A second fixture resolver serving tests/zones/stale: example.com as it was before a change.
export const DOH_STALE = need('MXRAY_DOH_STALE_URL');
export const ARTIFACTS = need('MXRAY_ARTIFACTS');

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
});

/// Opens a page in a fresh context. `allow` lists console errors a test expects (regexps).
export async function open(url, { viewport = { width: 1100, height: 800 }, colorScheme = 'light', allow = [] } = {}) {
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  const problems = [];
  const origins = new Set();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !allow.some((re) => re.test(m.text()))) {
      const where = m.location()?.url;
      problems.push(`console error: ${m.text()}${where ? ` (${where})` : ''}`);
    }
  });
  page.on('request', (r) => origins.add(new URL(r.url()).origin));
  await page.goto(url);
  await page.waitForSelector('nav[aria-label="Main"]');
  return { page, context, problems, origins };
}

/// Closes the context and fails on any page or console error seen.
export async function finish(t, assert) {
  const { context, problems } = t;
  await context.close();
  assert.deepEqual(problems, [], 'no page errors and no console errors');
}

/// The fixture server's query log, one object per query.
export function queryLog() {
  if (!fs.existsSync(DOH_LOG)) return [];
  return fs.readFileSync(DOH_LOG, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

export function artifact(name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

export const lookupUrl = (base, name, type = 'TXT') =>
  `${base}lookup?name=${encodeURIComponent(name)}&type=${type}&resolver=${encodeURIComponent(DOH)}`;
