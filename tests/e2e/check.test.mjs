// The Check page against tests/zones/check.test.zone (and its reverse zones, signed.test):
// every area in one report, one fixture domain per finding, streaming with a slow resolver,
// areas that fail beside areas that work, parallelism from the fixture's query log, exports,
// and the findings catalog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { SUB, APP, DOH, DOH_H2, DOH_H2_LOG, OPEN_CSP, open, finish, queryLog } from './harness.mjs';

const checkUrl = (params, base = SUB, resolver = DOH) => {
  const search = new URLSearchParams(params);
  search.append('resolver', resolver);
  return `${base}check?${search}`;
};

/// The most questions in flight at once in a slice of a fixture's log.
const mostAtOnce = (log) => {
  let most = 0;
  for (const q of log) {
    most = Math.max(most, log.filter((o) => o.start_ms < q.end_ms && q.start_ms < o.end_ms).length);
  }
  return most;
};

const done = (page) => page.waitForSelector('.check-stats', { timeout: 20000 });
const row = async (page, area) => {
  const r = page.locator(`.check-row[data-area="${area}"]`);
  return {
    status: (await r.locator('.status').textContent()).trim(),
    line: (await r.locator('.check-row__line').textContent()).trim(),
  };
};
const codes = async (page, area) =>
  page.locator(`#area-${area} .finding`).evaluateAll((els) => els.map((e) => e.dataset.code));

test('a good domain: every area passes or says it is not configured, no question twice, many in flight', async () => {
  const before = queryLog().length;
  const t = await open(checkUrl({ domain: 'good.check.test', selectors: 'sel', srv: '_xmpp-client._tcp' }));
  const { page } = t;
  await done(page);
  const expect = {
    mx: 'Passes', spf: 'Passes', dkim: 'Passes', dmarc: 'Passes', rdns: 'Passes', 'mta-sts': 'Passes',
    'tls-rpt': 'Passes', bimi: 'Passes', client: 'Passes', dnssec: 'Not configured',
  };
  for (const [area, status] of Object.entries(expect)) {
    assert.equal((await row(page, area)).status, status, area);
  }
  assert.match((await row(page, 'mx')).line, /2 hosts: mx1\.good\.check\.test \(10\)/);
  assert.match((await row(page, 'rdns')).line, /4 of 4 addresses forward-confirmed/);
  assert.match((await row(page, 'dkim')).line, /1 key: sel \(RSA, 2048 bits\)/);
  // The page cannot read the MTA-STS policy and says why, plainly.
  assert.deepEqual(await codes(page, 'mta-sts'), ['mta-sts.policy-not-read']);
  assert.match(await page.locator('#area-mta-sts').textContent(), /talks to nothing but your DNS resolver/);
  assert.match(await page.locator('#area-client').textContent(), /_xmpp-client\._tcp\.good\.check\.test: 5 0 5222 mx1\.good\.check\.test/);
  const log = queryLog().slice(before).filter((q) => q.method !== 'OPTIONS');
  const asked = log.map((q) => `${q.name} ${q.type}`);
  assert.equal(new Set(asked).size, asked.length, `no (name, type) twice: ${asked.join(', ')}`);
  // More than one question in flight at once: intervals overlap in the server's log.
  const most = mostAtOnce(log);
  assert.ok(most > 1, `questions overlap (at most ${most} at once)`);
  const stats = page.locator('.check-stats');
  assert.ok(Number(await stats.getAttribute('data-max-in-flight')) > 1);
  assert.equal(Number(await stats.getAttribute('data-sent')), asked.length, 'the page counts what the server saw');
  await finish(t, assert);
});

const CASES = [
  ['nullmx', 'spf', ['mx.null-spf']],
  ['nomx', 'mx', ['mx.none']],
  ['badmx', 'mx', ['mx.target-cname', 'mx.target-ip', 'mx.target-missing', 'mx.tld-missing', 'mx.target-origin-appended', 'mx.private-address']],
  ['mixed', 'mx', ['mx.null-with-others', 'mx.no-ipv6']],
  ['hostfail', 'mx', ['mx.target-failed']],
  ['unreach', 'mx', ['mx.target-missing', 'mx.no-reachable-host']],
  ['rdns', 'rdns', ['rdns.not-confirmed', 'rdns.generic', 'rdns.missing', 'rdns.multiple']],
  ['rdnsfail', 'rdns', ['rdns.lookup-failed']],
  ['client', 'client', ['srv.target-cname', 'srv.target-ip', 'srv.target-missing', 'srv.port', 'client.no-implicit-tls', 'client.private-address']],
  ['sts-nohost', 'mta-sts', ['mta-sts.policy-host-missing']],
  ['sts-badid', 'mta-sts', ['mta-sts.id']],
  ['sts-two', 'mta-sts', ['mta-sts.multiple-records']],
  ['sts-version', 'mta-sts', ['mta-sts.version']],
  ['sts-near', 'mta-sts', ['mta-sts.none']],
  ['sts-syntax', 'mta-sts', ['mta-sts.syntax']],
  ['tlsrpt-bad', 'tls-rpt', ['tlsrpt.bad-uri']],
  ['tlsrpt-norua', 'tls-rpt', ['tlsrpt.no-rua']],
  ['tlsrpt-two', 'tls-rpt', ['tlsrpt.multiple-records']],
  ['tlsrpt-version', 'tls-rpt', ['tlsrpt.version']],
  ['tlsrpt-syntax', 'tls-rpt', ['tlsrpt.syntax']],
  ['bimi-bad', 'bimi', ['bimi.logo-url', 'bimi.authority-url']],
  ['bimi-noa', 'bimi', ['bimi.no-authority', 'bimi.dmarc-not-enforced']],
  ['bimi-off', 'bimi', ['bimi.declined']],
  ['bimi-two', 'bimi', ['bimi.multiple-records']],
  ['bimi-version', 'bimi', ['bimi.version']],
  ['bimi-syntax', 'bimi', ['bimi.syntax']],
];

test('one fixture domain per finding: each shows in its area', async () => {
  const t = await open(checkUrl({ domain: 'good.check.test' }));
  const { page } = t;
  await done(page);
  for (const [domain, area, expected] of CASES) {
    await page.fill('#check-domain', `${domain}.check.test`);
    await page.fill('#check-srv', domain === 'client' ? '_xmpp-client._tcp' : '');
    await page.click('.check-form button[type=submit]');
    await page.waitForFunction((d) => document.querySelector('.check-stats') && document.querySelector('#area-mx')
      && location.search.includes(`domain=${d}`), `${domain}.check.test`, { timeout: 20000 });
    await done(page);
    const got = await codes(page, area);
    for (const code of expected) assert.ok(got.includes(code), `${domain}: ${code} in ${area} (${got.join(', ')})`);
  }
  await finish(t, assert);
});

test('an SRV name that is not _service._proto is named, and nothing is asked for it', async () => {
  const before = queryLog().length;
  const t = await open(checkUrl({ domain: 'good.check.test', srv: 'xmpp' }));
  await done(t.page);
  assert.ok((await codes(t.page, 'client')).includes('srv.name'));
  assert.match(await t.page.locator('#area-client').textContent(), /xmpp/);
  assert.ok(!queryLog().slice(before).some((q) => q.name.startsWith('xmpp.')), 'no question for it');
  await finish(t, assert);
});

test('a sending IP: its reverse DNS and SPF result', async () => {
  const t = await open(checkUrl({ domain: 'good.check.test', ip: '198.51.100.21' }));
  const { page } = t;
  await done(page);
  assert.match((await row(page, 'spf')).line, /198\.51\.100\.21 as good\.check\.test gets SPF fail/);
  const got = await codes(page, 'rdns');
  assert.ok(got.includes('rdns.generic'), got.join(', '));
  assert.equal(got.includes('spf.sender-not-authorized'), false, 'the SPF finding is under SPF, not reverse DNS');
  assert.ok((await codes(page, 'spf')).includes('spf.sender-not-authorized'));
  await finish(t, assert);
});

test('areas stream in with their own progress when the resolver is slow', async () => {
  const t = await open(checkUrl({ domain: "good.check.test" }));
  const { page } = t;
  await done(page);
  // Hold every DoH answer back 300 ms, then check again: rows show progress before results.
  await page.route((u) => u.href.startsWith(DOH), async (route) => {
    await new Promise((r) => setTimeout(r, 300));
    await route.continue();
  });
  await page.fill('#check-domain', 'rdns.check.test');
  await page.click('.check-form button[type=submit]');
  await page.waitForFunction(() => [...document.querySelectorAll('.check-row__line')].some((e) => / of \d+ answers in/.test(e.textContent)));
  // Some area finished while others are still being looked up.
  await page.waitForFunction(() => {
    const s = [...document.querySelectorAll('.check-row .status')].map((e) => e.textContent);
    return s.includes('Checking') && s.some((x) => x !== 'Checking');
  });
  assert.equal(await page.locator('.check-stats').count(), 0, 'not finished yet');
  await done(page);
  assert.equal((await row(page, 'rdns')).status, 'Warnings');
  await finish(t, assert);
});

test('a failing area never blanks the others', async () => {
  const t = await open(checkUrl({ domain: 'partial.check.test' }));
  const { page } = t;
  await done(page);
  assert.equal((await row(page, 'dmarc')).status, 'Lookup failed');
  assert.equal((await row(page, 'tls-rpt')).status, 'Lookup failed');
  assert.equal((await row(page, 'mx')).status, 'Passes');
  assert.equal((await row(page, 'spf')).status, 'Passes');
  assert.ok(await page.locator('#area-spf .spf-record').count() > 0, 'SPF shows its record');
  await finish(t, assert);
});

test('a resolver that fails everything: every area says so, none is blank', async () => {
  const t = await open(checkUrl({ domain: 'servfail.faults.test' }));
  const { page } = t;
  await done(page);
  for (const area of ['mx', 'spf', 'dkim', 'dmarc', 'mta-sts', 'tls-rpt', 'bimi', 'client']) {
    assert.equal((await row(page, area)).status, 'Lookup failed', area);
  }
  for (const [area, code] of [['mx', 'mx.lookup-failed'], ['mta-sts', 'mta-sts.lookup-failed'],
    ['tls-rpt', 'tlsrpt.lookup-failed'], ['bimi', 'bimi.lookup-failed'], ['client', 'srv.lookup-failed']]) {
    assert.ok((await codes(page, area)).includes(code), `${code} in ${area}`);
  }
  await finish(t, assert);
});

test('DNSSEC is reported as the resolver reports it', async () => {
  const t = await open(checkUrl({ domain: 'signed.test' }));
  const { page } = t;
  await done(page);
  const r = await row(page, 'dnssec');
  assert.equal(r.status, 'Passes');
  assert.match(r.line, /validated by the resolver \(AD\)/);
  assert.deepEqual(await codes(page, 'dnssec'), ['dnssec.validated']);
  await finish(t, assert);
  // Part of the domain in an unsigned zone: partly validated.
  const half = await open(checkUrl({ domain: 'half.signed.test' }));
  await done(half.page);
  assert.deepEqual(await codes(half.page, 'dnssec'), ['dnssec.partial']);
  await finish(half, assert);
  // A validating resolver refusing an answer whose signatures fail (SERVFAIL, EDE 6).
  const bogus = await open(checkUrl({ domain: 'bogus.signed.test' }));
  await done(bogus.page);
  assert.ok((await codes(bogus.page, 'dnssec')).includes('dnssec.bogus'));
  assert.match(await bogus.page.locator('#area-dnssec').textContent(), /_dmarc\.bogus\.signed\.test/);
  assert.equal((await row(bogus.page, 'dnssec')).status, 'Errors');
  await finish(bogus, assert);
});

test('a pasted MTA-STS policy is checked against the MX hosts and kept in the URL', async () => {
  const t = await open(checkUrl({ domain: 'good.check.test' }));
  const { page } = t;
  await done(page);
  await page.fill('#check-policy', 'version: STSv1\nmode: enforce\nmx: mx1.good.check.test\nmax_age: 604800\n');
  await page.waitForSelector('#area-mta-sts .finding[data-code="mta-sts.mx-not-covered"]');
  assert.match(await page.locator('#area-mta-sts').textContent(), /mx2\.good\.check\.test matches no mx: line/);
  assert.match(new URL(page.url()).searchParams.get('policy'), /^version: STSv1\nmode: enforce/);
  await page.reload();
  await done(page);
  assert.match(await page.inputValue('#check-policy'), /mode: enforce/);
  await page.fill('#check-policy', 'version: STSv1\nmode: testing\nmx: *.good.check.test\nmax_age: 300\n');
  await page.waitForSelector('#area-mta-sts .finding[data-code="mta-sts.testing"]');
  assert.ok(await page.locator('#area-mta-sts .finding[data-code="mta-sts.max-age"]').count() === 1);
  assert.equal(await page.locator('#area-mta-sts .finding[data-code="mta-sts.mx-not-covered"]').count(), 0, '*. covers both hosts');
  await finish(t, assert);
});

test('exports: JSON is the CLI report, Markdown has a row per area; print hides the form', async () => {
  const t = await open(checkUrl({ domain: 'badmx.check.test' }));
  const { page } = t;
  await done(page);
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('text=Download the report (JSON)')]);
  const report = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
  assert.equal(report.domain, 'badmx.check.test');
  assert.equal(report.errors, true);
  assert.equal(report.areas.mx.status, 'error');
  const [md] = await Promise.all([page.waitForEvent('download'), page.click('text=Download the report (Markdown)')]);
  const text = fs.readFileSync(await md.path(), 'utf8');
  assert.match(text, /^# Email DNS check: badmx\.check\.test/);
  assert.match(text, /\| MX \| Errors \|/);
  assert.match(text, /`mx\.tld-missing`/);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.check-form').isVisible(), false);
  assert.equal(await page.locator('#area-mx').isVisible(), true);
  await finish(t, assert);
});

test('every finding links to the catalog, which explains every code', async () => {
  const t = await open(checkUrl({ domain: 'badmx.check.test' }, APP));
  const { page } = t;
  await done(page);
  const link = page.locator('#area-mx .finding[data-code="mx.tld-missing"] a.finding__code');
  assert.match(await link.getAttribute('href'), /catalog#mx\.tld-missing$/);
  const rfc = page.locator('#area-mx .finding[data-code="mx.target-cname"] a.finding__rfc');
  assert.equal(await rfc.getAttribute('href'), 'https://www.rfc-editor.org/rfc/rfc2181#section-10.3');
  await link.click();
  await page.waitForSelector('.catalog');
  const entry = page.locator('[id="mx.tld-missing"]');
  assert.match(await entry.textContent(), /top-level domain that does not exist/);
  const count = await page.locator('.catalog__entry').count();
  assert.ok(count > 150, `${count} codes`);
  await page.fill('#catalog-filter', 'null mx');
  assert.ok(await page.locator('.catalog__entry:visible').count() < count);
  await finish(t, assert);
});

test('over HTTP/2, as public resolvers serve DoH, the page does not queue: more than six in flight', async () => {
  const before = queryLog(DOH_H2_LOG).length;
  const t = await open(checkUrl({ domain: 'good.check.test', selectors: 'sel' }, SUB, DOH_H2), { https: true });
  const { page } = t;
  await done(page);
  assert.equal((await row(page, 'mx')).status, 'Passes');
  assert.equal((await row(page, 'dkim')).status, 'Passes');
  const log = queryLog(DOH_H2_LOG).slice(before);
  const asked = log.map((q) => `${q.name} ${q.type}`);
  assert.equal(new Set(asked).size, asked.length, 'no (name, type) twice');
  // Over HTTP/1.1 a browser has six connections to a host; one HTTP/2 connection has no such
  // limit, and the page adds none (its own queue is for HTTP/1.1 only).
  const most = mostAtOnce(log);
  assert.ok(most > 6, `more than six at once over HTTP/2 (${most})`);
  await finish(t, assert);
});

// A copy of mxray whose Content-Security-Policy lets it fetch from any https: site (as a
// deployment may choose); the policy host is played by a route (the request never leaves the
// browser), with or without the CORS header that lets a page read it.
const POLICY_URL = 'https://mta-sts.good.check.test/.well-known/mta-sts.txt';
const openWithPolicy = (domain, policyReply, allow = []) =>
  open(checkUrl({ domain }, OPEN_CSP), {
    allow,
    setup: (context) => context.route(POLICY_URL, (route) => route.fulfill(policyReply)),
  });
const CORS = { 'access-control-allow-origin': '*' };

test('where the page may fetch it and the host allows CORS, the MTA-STS policy is read and checked', async () => {
  const t = await openWithPolicy('good.check.test', {
    status: 200, headers: { ...CORS, 'content-type': 'text/plain' },
    body: 'version: STSv1\nmode: enforce\nmx: mx1.good.check.test\nmax_age: 604800\n',
  });
  const { page } = t;
  await done(page);
  const area = page.locator('#area-mta-sts');
  assert.match(await area.textContent(), /Policy file, read from https:\/\/mta-sts\.good\.check\.test/);
  assert.match(await area.locator('pre.check-policy').textContent(), /mode: enforce/);
  assert.deepEqual(await codes(page, 'mta-sts'), ['mta-sts.mx-not-covered']);
  assert.equal(await page.locator('#check-policy').count(), 0, 'no paste field when the policy was read');
  await finish(t, assert);
});

test('a policy the browser will not let the page read: the report says so, and offers the paste field', async () => {
  // Without a CORS header the browser hands the page a network error, and so it does for a
  // host it cannot reach; a route cannot play a CORS refusal (its answers skip the check), so
  // it aborts the request, which the page sees the same way.
  const t = await open(checkUrl({ domain: 'good.check.test' }, OPEN_CSP), {
    allow: [/Failed to load resource/],
    setup: (context) => context.route(POLICY_URL, (route) => route.abort('accessdenied')),
  });
  const { page } = t;
  await done(page);
  assert.deepEqual(await codes(page, 'mta-sts'), ['mta-sts.policy-not-read']);
  assert.match(await page.locator('#area-mta-sts').textContent(),
    /did not let this page read it: mta-sts\.good\.check\.test sends no Access-Control-Allow-Origin header/);
  assert.equal(await page.locator('#check-policy').count(), 1, 'the paste field is offered');
  await finish(t, assert);
});

test('a policy host that answers 404, or a policy in mode none: findings of the domain', async () => {
  let t = await openWithPolicy('good.check.test', { status: 404, headers: CORS, body: 'not found' },
    [/404/, /Failed to load resource/]);
  await done(t.page);
  assert.deepEqual(await codes(t.page, 'mta-sts'), ['mta-sts.policy-fetch-failed']);
  assert.match(await t.page.locator('#area-mta-sts').textContent(), /the server answered HTTP 404/);
  await finish(t, assert);
  t = await openWithPolicy('good.check.test', {
    status: 200, headers: { ...CORS, 'content-type': 'text/plain' },
    body: 'version: STSv1\nmode: none\nmx: *.good.check.test\nmax_age: 86400\n',
  });
  await done(t.page);
  assert.deepEqual(await codes(t.page, 'mta-sts'), ['mta-sts.mode-none']);
  await finish(t, assert);
});
