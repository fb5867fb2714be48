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
// The same zones as DOH, served over HTTP/2 and TLS as public resolvers serve DoH.
export const DOH_H2 = need('MXRAY_DOH_H2_URL');
// The app with `https:` added to its CSP's connect-src, as a deployment may choose.
export const OPEN_CSP = need('MXRAY_OPEN_CSP_URL');
export const DOH_H2_LOG = need('MXRAY_DOH_H2_LOG');

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // No name resolves but loopback: a request that would leave the machine fails at once.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  });
});

after(async () => {
  await browser?.close();
});

/// Opens a page in a fresh context. `allow` lists console errors a test expects (regexps);
/// `setup(context)` runs before the page loads (routes, say); `https` accepts the HTTP/2
/// fixture's self-signed certificate (tests/tls).
export async function open(url, { viewport = { width: 1100, height: 800 }, colorScheme = 'light', allow = [], setup, https = false } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, ignoreHTTPSErrors: https });
  if (setup) await setup(context);
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

/// The fixture server's query log, one object per query (`file`: the HTTP/2 server's).
export function queryLog(file = DOH_LOG) {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

export function artifact(name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

export const lookupUrl = (base, name, type = 'TXT') =>
  `${base}lookup?name=${encodeURIComponent(name)}&type=${type}&resolver=${encodeURIComponent(DOH)}`;
