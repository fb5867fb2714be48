// The SPF page against the fixture zone tests/zones/spf.test.zone: a valid policy with its
// tree, one domain per finding, the lookup count, a pasted record checked as it is typed, and
// the sender test with its trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SUB, DOH, open, finish, queryLog, artifact } from './harness.mjs';

const spfUrl = (params) => {
  const search = new URLSearchParams(params);
  search.append('resolver', DOH);
  return `${SUB}spf?${search}`;
};

const text = async (page, selector) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ');

test('a valid policy shows its summary and include tree, each record fetched once', async () => {
  const before = queryLog().length;
  const t = await open(spfUrl({ domain: 'good.spf.test' }));
  const { page } = t;
  await page.waitForSelector('.summary');
  assert.match(await text(page, '.summary__title'), /good\.spf\.test: the SPF policy is valid/);
  assert.equal(await text(page, '.summary__lookups'), '2');
  assert.equal(await text(page, '.spf-node__terms'), 'Lookups: mx 1 · include:_spf.vendor.spf.test 1');
  const domains = await page.locator('.spf-node').evaluateAll((ns) => ns.map((n) => n.dataset.domain));
  assert.deepEqual(domains, ['good.spf.test', '_spf.vendor.spf.test']);
  assert.equal(await page.locator('.finding').count(), 0);
  const asked = queryLog().slice(before).map((q) => `${q.name} ${q.type}`);
  assert.equal(new Set(asked).size, asked.length, `no question twice: ${asked.join(', ')}`);
  await page.screenshot({ path: artifact('spf-good.png'), fullPage: true });
  // Checking a pasted record beside it keeps the domain's analysis on the page.
  await page.locator('#spf-record').fill('v=spf1 mx ~all');
  await page.waitForSelector('.pasted');
  assert.equal(await page.locator('.summary').count(), 1);
  assert.equal(new URL(page.url()).searchParams.get('domain'), 'good.spf.test');
  await finish(t, assert);
});

const CASES = [
  ['over', 'spf.lookup-limit', /broken/],
  ['plusall', 'spf.all-pass', /works, but has errors/],
  ['noall', 'spf.no-all', /with warnings/],
  ['ptr', 'spf.ptr', /with warnings/],
  ['two', 'spf.multiple-records', /broken/],
  ['missing', 'spf.include-no-spf', /broken/],
  ['voids', 'spf.void-limit', /broken/],
  ['syntax', 'spf.invalid-ip', /broken/],
  ['loop', 'spf.include-loop', /broken/],
  ['wide', 'spf.wide-network', /works, but has errors/],
  ['dup', 'spf.duplicate-include', /with warnings/],
  ['after', 'spf.after-all', /with warnings/],
  ['neutral', 'spf.all-neutral', /with warnings/],
  ['macros', 'spf.depends-on-sender', /valid/],
  ['redirectall', 'spf.redirect-with-all', /with warnings/],
  ['typo', 'spf.unknown-modifier', /valid/],
  ['norecord', 'spf.no-record', /broken/],
  ['quoted', 'spf.not-recognised', /broken/],
  ['redirectmissing', 'spf.redirect-no-spf', /broken/],
  ['dupnet', 'spf.duplicate-network', /with warnings/],
  ['long', 'spf.record-too-long', /with warnings/],
  ['type99', 'spf.type99-record', /with warnings/],
];

for (const [label, code, headline] of CASES) {
  test(`${label}.spf.test shows ${code}`, async () => {
    const t = await open(spfUrl({ domain: `${label}.spf.test` }));
    const { page } = t;
    await page.waitForSelector('.summary');
    assert.match(await text(page, '.summary__title'), headline);
    assert.ok(await page.locator(`.finding[data-code="${code}"]`).count() >= 1, `${code} is listed`);
    await finish(t, assert);
  });
}

test('the tree grows on the page while a slow resolver answers level by level', async () => {
  const t = await open(`${SUB}spf`);
  const { page } = t;
  // Every DoH answer held back 400 ms: the root record arrives before its include.
  await page.route((url) => url.href.startsWith(DOH), async (route) => {
    await new Promise((r) => setTimeout(r, 400));
    await route.continue();
  });
  await page.goto(spfUrl({ domain: 'good.spf.test' }));
  await page.waitForSelector('.spf-tree--partial .spf-node[data-domain="good.spf.test"]');
  assert.match(await text(page, '.progress'), /Fetching SPF records: _spf\.vendor\.spf\.test \(1 found so far\)/);
  assert.equal(await page.locator('.summary').count(), 0, 'the summary waits for the whole tree');
  await page.waitForSelector('.summary');
  assert.equal(await page.locator('.spf-tree--partial').count(), 0);
  await finish(t, assert);
});

test('the lookup count says which branches cost what', async () => {
  const t = await open(spfUrl({ domain: 'over.spf.test' }));
  const { page } = t;
  await page.waitForSelector('.summary');
  assert.equal(await text(page, '.summary__lookups'), '12');
  assert.match(await text(page, '.finding[data-code="spf.lookup-limit"]'), /l1\.spf\.test costs 3/);
  // The export is the CLI's JSON shape.
  const href = await page.getByRole('link', { name: 'Download the report (JSON)' }).getAttribute('href');
  const report = JSON.parse(decodeURIComponent(href.slice(href.indexOf(',') + 1)));
  assert.equal(report.lookups, 12);
  assert.equal(report.findings[0].code, 'spf.lookup-limit');
  assert.equal(report.findings[0].severity, 'error');
  assert.equal(report.tree.children.length, 4);
  await finish(t, assert);
});

test('a pasted record is checked as it is typed, underlined, and kept in the URL', async () => {
  const t = await open(`${SUB}spf`);
  const { page } = t;
  await page.locator('#spf-record').fill('"v=spf1 ip4:192.0.2.1" "include:_spf.example.com +all"');
  await page.waitForSelector('.pasted');
  assert.match(await text(page, '#pasted-title'), /has errors/);
  const codes = await page.locator('.pasted .finding').evaluateAll((fs) => fs.map((f) => f.dataset.code));
  assert.ok(codes.includes('spf.split-without-space'), codes.join(', '));
  assert.ok((await page.locator('.pasted mark.mark--error').count()) >= 1, 'the error is underlined');
  assert.match(await text(page, '.finding[data-code="spf.split-without-space"] .finding__fix'),
    /v=spf1 ip4:192\.0\.2\.1 include:_spf\.example\.com \+all/);
  await page.reload();
  await page.waitForSelector('.pasted');
  assert.match(await page.locator('#spf-record').inputValue(), /include:_spf\.example\.com/, 'nothing typed is lost');
  await t.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const fixBox = page.locator('.finding[data-code="spf.split-without-space"] .finding__fix');
  await fixBox.getByRole('button', { name: 'Copy' }).click();
  await fixBox.getByRole('button', { name: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()),
    'v=spf1 ip4:192.0.2.1 include:_spf.example.com +all');
  await page.locator('#spf-record').fill('v=spf1 mx -all');
  await page.waitForSelector('#pasted-title:has-text("valid")');
  assert.match(await text(page, '.pasted'), /No problems found/);
  await finish(t, assert);
});

test('test a sender runs check_host and shows the trace, with the HELO result beside it', async () => {
  const t = await open(spfUrl({ domain: 'good.spf.test' }));
  const { page } = t;
  await page.waitForSelector('.summary');
  await page.locator('#spf-ip').fill('203.0.113.9');
  await page.locator('#spf-sender').fill('bounce@good.spf.test');
  await page.locator('#spf-helo').fill('mail.good.spf.test');
  await page.getByRole('button', { name: 'Test' }).click();
  await page.waitForSelector('.sender-result');
  const results = await page.locator('.sender-result__value').allTextContents();
  assert.deepEqual(results, ['pass', 'none']);
  const trace = await page.locator('.sender-result').first().locator('.trace li').allTextContents();
  assert.ok(trace.some((s) => /include:_spf\.vendor\.spf\.test: matches/.test(s)), trace.join(' | '));
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('ip'), '203.0.113.9');
  await page.locator('#spf-ip').fill('198.51.100.1');
  await page.getByRole('button', { name: 'Test' }).click();
  await page.waitForSelector('.sender-result__value:has-text("fail")');
  assert.match(await text(page, '.sender-result'), /Explanation:/);
  await finish(t, assert);
});
