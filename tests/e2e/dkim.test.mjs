// The DKIM page against tests/zones/dkim.test.zone: keys found at given and common selectors,
// CNAME hosting, one selector per finding, misplaced keys named, a pasted key checked as it is
// typed, and a pasted DKIM-Signature header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SUB, DOH, open, finish, queryLog } from './harness.mjs';

const dkimUrl = (params) => {
  const search = new URLSearchParams(params);
  search.append('resolver', DOH);
  return `${SUB}dkim?${search}`;
};

const text = async (page, selector) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ');
const ED = '11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=';

test('keys at given and common selectors, with sizes and CNAME hosting, each name asked once', async () => {
  const before = queryLog().length;
  const t = await open(dkimUrl({ domain: 'good.dkim.test', selectors: 'sel, ed' }));
  const { page } = t;
  await page.waitForSelector('.summary');
  assert.match(await text(page, '.summary__title'), /good\.dkim\.test: 4 usable DKIM keys/);
  const shown = await page.locator('.selector').evaluateAll((s) => s.map((x) => x.dataset.selector));
  assert.deepEqual(shown, ['sel', 'ed', 'google', 'selector1']);
  assert.match(await text(page, '.selector[data-selector="sel"] .badge'), /RSA, 2048 bits/);
  assert.match(await text(page, '.selector[data-selector="ed"] .badge'), /Ed25519/);
  assert.match(await text(page, '.selector[data-selector="selector1"] .selector__hosted'),
    /selector1-good-dkim-test\._domainkey\.tenant\.provider\.dkim\.test/);
  assert.equal(await page.locator('.finding--error').count(), 0);
  const asked = queryLog().slice(before).map((q) => `${q.name} ${q.type}`);
  assert.equal(new Set(asked).size, asked.length, `no question twice: ${asked.join(', ')}`);
  await finish(t, assert);
});

const CASES = [
  ['weak', 'dkim.rsa-weak'],
  ['tiny', 'dkim.rsa-too-small'],
  ['damaged', 'dkim.key-damaged'],
  ['testing', 'dkim.testing'],
  ['revoked', 'dkim.revoked'],
  ['sha1', 'dkim.sha1-only'],
  ['nokey', 'dkim.no-key'],
  ['notkey', 'dkim.not-a-key'],
  ['two', 'dkim.multiple-records'],
  ['spaces', 'dkim.key-whitespace'],
  ['edrsa', 'dkim.key-type-mismatch'],
  ['absent', 'dkim.no-record'],
  ['syntax', 'dkim.syntax'],
  ['duptag', 'dkim.duplicate-tag'],
  ['emptytag', 'dkim.empty-tag'],
  ['version', 'dkim.version'],
  ['vfirst', 'dkim.version-not-first'],
  ['unknownk', 'dkim.unknown-key-type'],
  ['unknownh', 'dkim.unknown-hash'],
  ['service', 'dkim.service'],
  ['strict', 'dkim.strict-subdomains'],
  ['unknowntag', 'dkim.unknown-tag'],
  ['spki', 'dkim.ed25519-spki'],
  ['bare', 'dkim.rsa-bare-key'],
  ['base64', 'dkim.key-base64'],
];

for (const [selector, code] of CASES) {
  test(`selector ${selector} of bad.dkim.test shows ${code}`, async () => {
    const t = await open(dkimUrl({ domain: 'bad.dkim.test', selectors: selector }));
    const { page } = t;
    await page.waitForSelector('.summary');
    const card = page.locator(`.selector[data-selector="${selector}"]`);
    assert.ok(await card.locator(`.finding[data-code="${code}"]`).count() >= 1, `${code} is listed`);
    await finish(t, assert);
  });
}

test('a hosted key, a failed lookup, and a domain with no key at any common selector', async () => {
  let t = await open(dkimUrl({ domain: 'good.dkim.test' }));
  await t.page.waitForSelector('.summary');
  assert.equal(await t.page.locator('.selector[data-selector="selector1"] .finding[data-code="dkim.delegated"]').count(), 1);
  await finish(t, assert);
  t = await open(dkimUrl({ domain: 'servfail.faults.test', selectors: 'x' }));
  await t.page.waitForSelector('.summary');
  assert.equal(await t.page.locator('.selector[data-selector="x"] .finding[data-code="dkim.lookup-failed"]').count(), 1);
  await finish(t, assert);
  t = await open(dkimUrl({ domain: 'nothing.dkim.test' }));
  await t.page.waitForSelector('.summary');
  assert.match(await text(t.page, '.summary__title'), /no usable DKIM key/);
  assert.equal(await t.page.locator('.finding[data-code="dkim.no-common-selector"]').count(), 1);
  await finish(t, assert);
});

test('paste damage is named for each kind of wrapping', async () => {
  const t = await open(`${SUB}dkim`);
  const { page } = t;
  const long = `v=DKIM1; k=rsa; p=${'A'.repeat(300)}`;
  for (const [pasted, code] of [
    [`sel._domainkey IN TXT "v=DKIM1; k=ed25519; p=${ED}"`, 'dkim.zone-line'],
    [`"v=DKIM1; k=ed25519; p=${ED}"`, 'dkim.quoted'],
    [`“v=DKIM1; k=ed25519; p=${ED}”`, 'dkim.smart-quotes'],
    [`"v=DKIM1; k=ed25519; " "p=${ED}"`, 'dkim.split-strings'],
    [long, 'dkim.string-too-long'],
  ]) {
    await page.locator('#dkim-record').fill(pasted);
    await page.locator(`.pasted .finding[data-code="${code}"]`).waitFor();
  }
  await finish(t, assert);
});

test('a damaged key is never shown as fine', async () => {
  const t = await open(dkimUrl({ domain: 'bad.dkim.test', selectors: 'damaged' }));
  const { page } = t;
  await page.waitForSelector('.summary');
  assert.match(await text(page, '.summary__title'), /no usable DKIM key/);
  assert.match(await text(page, '.selector[data-selector="damaged"] .badge--bad'), /damaged/);
  await finish(t, assert);
});

for (const [domain, where] of [['twice', 'moved._domainkey.twice.dkim.test.twice.dkim.test'], ['noselector', '_domainkey.noselector.dkim.test'], ['apex', 'apex.dkim.test']]) {
  test(`a key published at the wrong name is found: ${domain}`, async () => {
    const t = await open(dkimUrl({ domain: `${domain}.dkim.test`, selectors: 'moved' }));
    const { page } = t;
    await page.waitForSelector('.summary');
    const f = page.locator('.selector[data-selector="moved"] .finding[data-code="dkim.misplaced"]');
    assert.match(await text(f, '.finding__message'), new RegExp(where.replace(/\./g, '\\.')));
    assert.match(await text(f, '.finding__fix'), new RegExp(`moved\\._domainkey\\.${domain}\\.dkim\\.test\\. TXT`));
    await finish(t, assert);
  });
}

test('a pasted key is checked as it is typed and kept in the URL; a pasted signature offers its key', async () => {
  const t = await open(`${SUB}dkim?resolver=${encodeURIComponent(DOH)}`);
  const { page } = t;
  await page.locator('#dkim-record').fill(`"v=DKIM1; p=${ED}"`);
  await page.waitForSelector('.pasted');
  assert.match(await text(page, '#pasted-title'), /has errors/);
  assert.match(await text(page, '.finding[data-code="dkim.key-type-mismatch"] .finding__fix'), /v=DKIM1; k=ed25519; p=/);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('resolver'), DOH, 'typing keeps the other parameters');
  assert.match(url.searchParams.get('record'), /^"v=DKIM1; p=/);
  await page.reload();
  await page.waitForSelector('.pasted');
  assert.match(await page.locator('#dkim-record').inputValue(), /v=DKIM1/, 'nothing typed is lost');
  await page.locator('#dkim-record').fill(`v=DKIM1; k=ed25519; p=${ED}`);
  await page.waitForSelector('#pasted-title:has-text("usable")');
  await page.locator('#dkim-record').fill('DKIM-Signature: v=1; a=rsa-sha256; d=good.dkim.test;\n s=sel; bh=x; b=y');
  await page.getByRole('button', { name: 'Check this key' }).click();
  await page.waitForSelector('.summary');
  assert.equal(new URL(page.url()).searchParams.get('selectors'), 'sel');
  assert.match(await text(page, '.selector[data-selector="sel"] .badge'), /RSA, 2048 bits/);
  await finish(t, assert);
});
