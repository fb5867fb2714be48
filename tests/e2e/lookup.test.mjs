// The Lookup page beyond one answer: input normalisation with notes, international names,
// IP addresses, failover between resolvers, the cache and "Ask again", comparing resolvers,
// and editing the resolver list. Public resolvers are blocked in the browser, so no test
// leaves this machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SUB, DOH, DOH_STALE, open, finish, queryLog, artifact } from './harness.mjs';

const BROKEN = DOH.replace('/dns-query', '/fault/servfail/dns-query');
const HOST = new URL(DOH).host;
const BLOCKED = [/Failed to load resource/];

const withResolvers = (params, resolvers = [DOH]) => {
  const search = new URLSearchParams(params);
  for (const r of resolvers) search.append('resolver', r);
  return `${SUB}lookup?${search}`;
};

async function blockPublicResolvers(page) {
  await page.route(/^https:\/\/(cloudflare-dns\.com|dns\.google)\//, (route) => route.abort());
}

const text = async (page, selector) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ');

test('a failing first resolver is named and the next one answers', async () => {
  const t = await open(withResolvers({ name: 'example.com', type: 'MX' }, [BROKEN, DOH]));
  const { page } = t;
  await page.waitForSelector('.record');
  assert.match(await text(page, '.result__meta'), new RegExp(`Answered by ${HOST} in \\d+ ms`));
  assert.match(await text(page, '.attempts'), new RegExp(`${HOST}/fault/servfail/dns-query: answered SERVFAIL`));
  assert.match(await text(page, '.resolvers summary'), new RegExp(`${HOST}/fault/servfail/dns-query, then ${HOST}`));
  assert.equal(await page.locator('.record').count(), 2);
  await finish(t, assert);
});

test('what was typed is cleaned up with a visible note for each change', async () => {
  const t = await open(withResolvers({}));
  const { page } = t;
  await page.locator('#lookup-name').fill('  Postmaster@Example.COM ');
  await page.locator('#lookup-name').press('Enter');
  await page.waitForSelector('.record');
  const notes = await page.locator('.notes li').allTextContents();
  assert.ok(notes.some((n) => /Used the domain of the email address Postmaster@Example\.COM: Example\.COM/.test(n)), notes.join(' | '));
  assert.match(await text(page, '.asked'), /TXT at Example\.COM\./);
  await page.locator('#lookup-name').fill('https://www.example.com/contact');
  await page.locator('#lookup-name').press('Enter');
  await page.waitForSelector('.chain');
  assert.match(await text(page, '.notes'), /Used the host name from the URL: www\.example\.com/);
  await page.locator('#lookup-name').fill('exa mple.com');
  await page.locator('#lookup-name').press('Enter');
  await page.waitForSelector('main [role="alert"]');
  assert.match(await text(page, 'main [role="alert"]'), /a space at character 4/);
  await finish(t, assert);
});

test('an international name is asked in A-labels and shown both ways', async () => {
  const before = queryLog().length;
  const t = await open(withResolvers({ name: 'Bücher.example.org', type: 'TXT' }));
  const { page } = t;
  await page.waitForSelector('.record');
  assert.match(await text(page, '.asked'), /xn--bcher-kva\.example\.org\. \(bücher\.example\.org\)/);
  assert.match(await text(page, '.notes'), /international name/);
  const asked = queryLog().slice(before).map((q) => q.name);
  assert.ok(asked.includes('xn--bcher-kva.example.org.'), asked.join(', '));
  await finish(t, assert);
});

test('an IP address asks for its PTR record', async () => {
  const t = await open(withResolvers({}));
  const { page } = t;
  await page.locator('#lookup-name').fill('192.0.2.25');
  await page.getByRole('button', { name: 'Look up' }).click();
  await page.waitForSelector('.record');
  assert.equal(new URL(page.url()).searchParams.get('type'), 'PTR');
  assert.equal(await page.locator('#lookup-type').inputValue(), 'PTR');
  assert.match(await text(page, '.record'), /25\.2\.0\.192\.in-addr\.arpa\. 3600 IN PTR mx1\.example\.com\./);
  assert.match(await text(page, '.notes'), /192\.0\.2\.25 is an IP address/);
  await finish(t, assert);
});

test('answers are kept for their TTL, and Ask again asks again', async () => {
  const count = () => queryLog().filter((q) => q.name === 'example.net.' && q.type === 'TXT').length;
  const start = count();
  const t = await open(withResolvers({ name: 'example.net', type: 'TXT' }));
  const { page } = t;
  await page.waitForSelector('.result__meta');
  assert.equal(count(), start + 1);
  // Another question, then back: the first answer comes from the page's cache.
  await page.locator('#lookup-type').selectOption('MX');
  await page.getByRole('button', { name: 'Look up' }).click();
  await page.waitForSelector('.result__title:has-text("MX")');
  await page.goBack();
  await page.waitForSelector('.result__meta:has-text("cache")');
  assert.equal(count(), start + 1, 'no second query for a cached answer');
  await page.getByRole('button', { name: 'Ask again' }).click();
  await page.waitForSelector('.result__meta:not(:has-text("cache"))');
  assert.equal(count(), start + 2, 'Ask again skips the cache');
  // A negative answer says how long resolvers may keep it.
  await page.locator('#lookup-name').fill('nothing-here.example.com');
  await page.getByRole('button', { name: 'Look up' }).click();
  await page.waitForSelector('.result__note');
  assert.match(await text(page, '.result__note'), /negative answer for up to 5 minutes/);
  await finish(t, assert);
});

test('compare resolvers asks them all at once and shows where they differ', async () => {
  const t = await open(withResolvers({ name: 'example.com', type: 'TXT' }, [DOH, DOH_STALE, BROKEN]), { allow: BLOCKED });
  const { page } = t;
  await blockPublicResolvers(page);
  await page.waitForSelector('.record');
  await page.getByRole('button', { name: 'Compare resolvers' }).click();
  await page.waitForSelector('.compare__table');
  const summary = await text(page, '.compare [role="status"]');
  assert.match(summary, /The 2 resolvers that answered disagree: 2 different answers/);
  assert.match(summary, /up to 1 hour/);
  assert.match(summary, /3 resolvers gave no answer/);
  const rows = await page.locator('.compare__table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('th').textContent, tr.querySelector('.compare__group').textContent]));
  assert.deepEqual(rows, [
    [HOST, 'A'],
    [new URL(DOH_STALE).host, 'B'],
    [`${HOST}/fault/servfail/dns-query`, 'none'],
    ['Cloudflare', 'none'],
    ['Google', 'none'],
  ]);
  const table = await text(page, '.compare__table');
  assert.match(table, /include:_spf\.mailer\.example\.org -all/, 'today\'s record');
  assert.match(table, /v=spf1 mx -all/, 'the stale record');
  assert.match(table, /could not get an answer for example\.com/);
  await page.screenshot({ path: artifact('lookup-compare.png'), fullPage: true });
  await finish(t, assert);
});

test('the resolver list is edited from the keyboard and remembered', async () => {
  const t = await open(withResolvers({}));
  const { page } = t;
  await page.locator('.resolvers summary').focus();
  await page.keyboard.press('Enter');
  await page.locator('#resolver-add').fill(BROKEN);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.resolvers__item >> nth=1');
  await page.getByRole('button', { name: `Ask ${HOST}/fault/servfail/dns-query earlier` }).click();
  assert.deepEqual(await page.locator('.resolvers__url').allTextContents(), [BROKEN, DOH]);
  await page.locator('#resolver-add').fill('http://doh.example/dns-query');
  await page.keyboard.press('Enter');
  assert.match(await text(page, '.resolvers [role="alert"]'), /needs https/);
  // Remembered without the URL parameter.
  await page.goto(`${SUB}lookup`);
  await page.waitForSelector('.resolvers');
  assert.deepEqual(await page.locator('.resolvers__url').allTextContents(), [BROKEN, DOH]);
  await page.locator('.resolvers summary').click();
  await page.getByRole('button', { name: `Remove ${HOST}/fault/servfail/dns-query` }).click();
  assert.deepEqual(await page.locator('.resolvers__url').allTextContents(), [DOH]);
  assert.equal(await page.getByRole('button', { name: `Remove ${HOST}` }).isDisabled(), true, 'the last one stays');
  await page.getByRole('button', { name: 'Use the default' }).click();
  assert.match(await text(page, '.resolvers summary'), /Cloudflare, then Google/);
  await finish(t, assert);
});
