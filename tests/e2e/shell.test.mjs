// The app shell and the whole chain: release build, static hosting in a sub-folder, the DoH
// GET to the fixture server, and what the page shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APP, SUB, DOH, open, finish, queryLog, artifact, lookupUrl } from './harness.mjs';

const NAV = ['Check', 'SPF', 'DKIM', 'DMARC', 'Build', 'Lookup'];

test('the shell loads from a sub-folder with navigation, main content and the resolver named', async () => {
  const t = await open(SUB);
  const { page } = t;
  assert.deepEqual(await page.locator('nav[aria-label="Main"] a').allTextContents(), NAV);
  assert.equal(await page.locator('h1').textContent(), "Get your domain's email DNS right");
  assert.match(await page.locator('footer').textContent(), /Cloudflare/);
  assert.equal(await page.locator('meta[http-equiv="Content-Security-Policy"]').count(), 1);
  for (const origin of t.origins) assert.equal(origin, new URL(SUB).origin, 'no other origin');
  await finish(t, assert);
});

test('the lookup page sends a DoH GET to the fixture server and shows each TXT string', async () => {
  const before = queryLog().length;
  const t = await open(lookupUrl(SUB, 'example.com'));
  const { page } = t;
  await page.waitForSelector('.txt-string');
  const strings = await page.locator('.txt-string__text').allTextContents();
  assert.deepEqual(strings.slice(0, 2), [
    'v=spf1 mx ip4:192.0.2.0/24 ip6:2001:db8::/32 ',
    'include:_spf.mailer.example.org -all',
  ]);
  const lengths = await page.locator('.txt-string__len').allTextContents();
  assert.deepEqual(lengths.slice(0, 2), ['45 bytes', '36 bytes']);
  assert.match(await page.locator('.result__title').textContent(), /2 TXT records at example\.com/);
  assert.match(await page.locator('.result__meta').textContent(), /Answered by 127\.0\.0\.1:\d+ in \d+ ms · RCODE NOERROR/);
  assert.match(await page.locator('footer').textContent(), /127\.0\.0\.1/);
  const queries = queryLog().slice(before);
  assert.ok(
    queries.some((q) => q.name === 'example.com.' && q.type === 'TXT' && q.method === 'GET' && q.rcode === 'NOERROR'),
    `a GET for example.com TXT reached the fixture server: ${JSON.stringify(queries)}`,
  );
  assert.equal(queries.filter((q) => q.method === 'OPTIONS').length, 0, 'a GET with only Accept needs no CORS preflight');
  const allowed = new Set([new URL(SUB).origin, new URL(DOH).origin]);
  for (const origin of t.origins) assert.ok(allowed.has(origin), `unexpected origin ${origin}`);
  await page.screenshot({ path: artifact('lookup-light.png'), fullPage: true });
  await finish(t, assert);
});

test('every page has a deep link that works on a static host without rewrites', async () => {
  for (const [i, label] of NAV.entries()) {
    const slug = label.toLowerCase();
    const t = await open(`${SUB}${slug}`);
    const current = t.page.locator('nav a[aria-current="page"]');
    assert.equal(await current.textContent(), label, `${slug} is the current page`);
    assert.ok((await t.page.locator('h1').count()) === 1, `${slug} has one h1`);
    if (i === NAV.length - 1) assert.equal(await t.page.locator('#lookup-name').count(), 1);
    await finish(t, assert);
  }
});

test('navigation keeps the sub-folder and does not reload the page', async () => {
  const t = await open(SUB);
  const { page } = t;
  await page.evaluate(() => { window.__stillHere = true; });
  await page.getByRole('link', { name: 'DMARC' }).click();
  await page.waitForSelector('nav a[aria-current="page"]:has-text("DMARC")');
  assert.equal(new URL(page.url()).pathname, new URL(SUB).pathname + 'dmarc');
  assert.equal(await page.evaluate(() => window.__stillHere), true, 'no reload');
  await page.goBack();
  await page.waitForSelector('h1:has-text("Get your domain")');
  await finish(t, assert);
});

test('the form is usable from the keyboard and what was typed is kept in the URL', async () => {
  const t = await open(`${SUB}lookup?resolver=${encodeURIComponent(DOH)}`);
  const { page } = t;
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await page.locator('#lookup-name').focus();
  await page.keyboard.type('example.org');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Look up');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.record');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('name'), 'example.org');
  assert.equal(url.searchParams.get('type'), 'TXT');
  assert.equal(await page.locator('#lookup-name').inputValue(), 'example.org');
  await finish(t, assert);
});

test('the resolver chosen by link is remembered', async () => {
  const t = await open(lookupUrl(SUB, 'example.com'));
  await t.page.waitForSelector('.record');
  await t.page.goto(SUB);
  await t.page.waitForSelector('nav[aria-label="Main"]');
  assert.match(await t.page.locator('footer').textContent(), /127\.0\.0\.1/);
  await finish(t, assert);
});

test('record text that looks like markup is shown as text', async () => {
  const t = await open(lookupUrl(SUB, 'markup.faults.test'));
  const { page } = t;
  await page.waitForSelector('.txt-string');
  assert.deepEqual(await page.locator('.txt-string__text').allTextContents(), [
    '<img src=x onerror=alert(1)>',
    '\\"quoted\\" \\\\ back\\\\slash',
  ]);
  assert.equal(await page.locator('main img').count(), 0);
  await finish(t, assert);
});

test('the page fits a 360 px phone in light and dark themes', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const t = await open(lookupUrl(APP, 'example.com'), { viewport: { width: 360, height: 740 }, colorScheme });
    const { page } = t;
    await page.waitForSelector('.txt-string');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, colorScheme === 'dark' ? 'rgb(15, 20, 26)' : 'rgb(255, 255, 255)');
    await page.screenshot({ path: artifact(`lookup-360-${colorScheme}.png`), fullPage: true });
    await finish(t, assert);
  }
});
