// The DMARC page against tests/zones/dmarc.test.zone: the applied policy and where it came
// from, the tree walk, report destinations and their authorization, one domain per finding,
// and a pasted record checked as it is typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SUB, DOH, open, finish, queryLog } from './harness.mjs';

const dmarcUrl = (params) => {
  const search = new URLSearchParams(params);
  search.append('resolver', DOH);
  return `${SUB}dmarc?${search}`;
};

const text = async (page, selector) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ');

test('a good policy: where it was found, its tags in words, authorized destinations, no name asked twice', async () => {
  const before = queryLog().length;
  const t = await open(dmarcUrl({ domain: 'good.dmarc.test' }));
  const { page } = t;
  await page.waitForSelector('.summary');
  assert.match(await text(page, '.summary__title'), /good\.dmarc\.test: p=reject/);
  assert.match(await text(page, '.dmarc-origin'), /Found at _dmarc\.good\.dmarc\.test/);
  // _dmarc.dmarc.test exists: the record with the fewest labels makes dmarc.test the organization.
  assert.match(await text(page, '.dmarc-org'), /Organizational domain: dmarc\.test \(the DMARC record with the fewest labels/);
  assert.match(await text(page, '.tags'), /Policy for the domain: failing mail is rejected/);
  const dests = await page.locator('.destination').allTextContents();
  assert.equal(dests.length, 3);
  assert.match(dests[1], /authorized by good\.dmarc\.test\._report\._dmarc\.vendor\.test/);
  assert.match(dests[2], /authorized by \*\._report\._dmarc\.wild\.test/);
  assert.equal(await page.locator('.destination--bad').count(), 0);
  const walk = await page.locator('.walk__step').allTextContents();
  assert.deepEqual(walk.map((w) => w.split(' ')[0]), ['_dmarc.good.dmarc.test', '_dmarc.dmarc.test', '_dmarc.test']);
  const asked = queryLog().slice(before).map((q) => `${q.name} ${q.type}`);
  assert.equal(new Set(asked).size, asked.length, `no question twice: ${asked.join(', ')}`);
  await finish(t, assert);
});

const CASES = [
  ['none', 'dmarc.monitoring'],
  ['pct', 'dmarc.pct'],
  ['norua', 'dmarc.no-rua'],
  ['nop', 'dmarc.no-policy'],
  ['weaksp', 'dmarc.sp-weaker'],
  ['badvalue', 'dmarc.invalid-value'],
  ['baduri', 'dmarc.report-uri'],
  ['external', 'dmarc.report-unauthorized'],
  ['two', 'dmarc.multiple-records'],
  ['quoted', 'dmarc.not-recognised'],
  ['removed', 'dmarc.removed-tag'],
  ['testing', 'dmarc.testing'],
  ['typo', 'dmarc.unknown-tag'],
  ['nounderscore', 'dmarc.misplaced'],
  ['twice', 'dmarc.misplaced'],
  ['sub.none', 'dmarc.inherited'],
  ['syntax', 'dmarc.syntax'],
  ['duptag', 'dmarc.duplicate-tag'],
  ['emptytag', 'dmarc.empty-tag'],
  ['pnotsecond', 'dmarc.policy-not-second'],
  ['npweaker', 'dmarc.np-weaker'],
  ['fo', 'dmarc.fo-without-ruf'],
  ['psdflag', 'dmarc.psd'],
  ['size', 'dmarc.size-limit'],
  ['reportfail', 'dmarc.report-lookup-failed'],
];

for (const [label, code] of CASES) {
  test(`${label}.dmarc.test shows ${code}`, async () => {
    const t = await open(dmarcUrl({ domain: `${label}.dmarc.test` }));
    const { page } = t;
    await page.waitForSelector('.summary');
    assert.ok(await page.locator(`.finding[data-code="${code}"]`).count() >= 1, `${code} is listed`);
    await finish(t, assert);
  });
}

test('a failed lookup is a finding, not a missing record', async () => {
  const t = await open(dmarcUrl({ domain: 'servfail.faults.test' }));
  const { page } = t;
  await page.waitForSelector('.summary');
  assert.equal(await page.locator('.finding[data-code="dmarc.lookup-failed"]').count(), 1);
  assert.equal(await page.locator('.finding[data-code="dmarc.no-record"]').count(), 0);
  await finish(t, assert);
});

test('paste damage and a misplaced version are named', async () => {
  const t = await open(`${SUB}dmarc`);
  const { page } = t;
  for (const [pasted, code] of [
    ['"v=DMARC1; p=reject; rua=mailto:d@example.com"', 'dmarc.quoted'],
    ['“v=DMARC1; p=reject; rua=mailto:d@example.com”', 'dmarc.smart-quotes'],
    ['"v=DMARC1; p=reject; " "rua=mailto:d@example.com"', 'dmarc.split-strings'],
    ['p=reject; v=DMARC1; rua=mailto:d@example.com', 'dmarc.version'],
  ]) {
    await page.locator('#dmarc-record').fill(pasted);
    await page.locator(`.pasted .finding[data-code="${code}"]`).waitFor();
  }
  assert.match(await text(page, '.finding[data-code="dmarc.version"] .finding__fix'), /^Fix: v=DMARC1; p=reject; rua=mailto:d@example\.com/);
  await finish(t, assert);
});

test('a domain with no policy anywhere gets the record to publish', async () => {
  const t = await open(dmarcUrl({ domain: 'nothing.test' }));
  const { page } = t;
  await page.waitForSelector('.summary');
  assert.match(await text(page, '.summary__title'), /no DMARC policy applies/);
  assert.match(await text(page, '.finding[data-code="dmarc.no-record"] .finding__fix'),
    /_dmarc\.nothing\.test\. TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@nothing\.test"/);
  await finish(t, assert);
});

test('a public suffix with psd=y gives the organizational domain one label below it', async () => {
  const t = await open(dmarcUrl({ domain: 'mail.registrant.psd.test' }));
  const { page } = t;
  await page.waitForSelector('.summary');
  assert.match(await text(page, '.dmarc-org'), /registrant\.psd\.test .*psd=y/);
  assert.match(await text(page, '.dmarc-origin'), /public suffix _dmarc\.psd\.test/);
  await finish(t, assert);
});

test('a pasted record is checked as it is typed, with its tags explained, and kept in the URL', async () => {
  const t = await open(`${SUB}dmarc`);
  const { page } = t;
  await page.locator('#dmarc-record').fill('_dmarc IN TXT "v=DMARC1; p=none; rua=dmarc@example.com"');
  await page.waitForSelector('.pasted');
  assert.match(await text(page, '#pasted-title'), /has errors/);
  const codes = await page.locator('.pasted .finding').evaluateAll((fs) => fs.map((f) => f.dataset.code));
  assert.ok(codes.includes('dmarc.report-uri') && codes.includes('dmarc.zone-line'), codes.join(', '));
  assert.match(await text(page, '.finding[data-code="dmarc.report-uri"] .finding__fix'), /rua=mailto:dmarc@example\.com/);
  assert.ok((await page.locator('.pasted mark.mark--error').count()) >= 1, 'the error is underlined');
  assert.match(await text(page, '.pasted .tags'), /Where receivers send daily aggregate reports/);
  await page.reload();
  await page.waitForSelector('.pasted');
  assert.match(await page.locator('#dmarc-record').inputValue(), /v=DMARC1/, 'nothing typed is lost');
  await finish(t, assert);
});
