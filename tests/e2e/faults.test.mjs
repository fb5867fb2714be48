// Every fault the fixture DoH server can simulate reaches the Lookup page as its own plain
// message. The browser itself logs failed loads (HTTP errors, CORS) as console errors; those,
// and only those, are expected here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SUB, open, finish, lookupUrl } from './harness.mjs';

const EXPECTED_BROWSER_ERRORS = [/Failed to load resource/, /blocked by CORS policy/];

const CASES = [
  ['servfail', /could not get an answer .*SERVFAIL/],
  ['refused', /refused to answer .*REFUSED/],
  ['http429', /rate-limiting .*HTTP 429/],
  ['http500', /internal error \(HTTP 500\)/],
  ['html', /answered with a web page, not a DNS answer/],
  ['content-type', /content type "text\/plain" instead of application\/dns-message/],
  ['truncated', /answer was cut short .*truncated/],
  ['no-cors', /does not allow web pages to read its answers \(no CORS header\)/],
  ['timeout', /did not answer within 5\.0 seconds/],
  ['bogus', /could not get an answer .*SERVFAIL.*It says: DNSSEC bogus \(EDE 6\): signature expired/],
];

for (const [mode, message] of CASES) {
  test(`fault ${mode} is reported in plain words`, async () => {
    const t = await open(lookupUrl(SUB, `${mode}.faults.test`), { allow: EXPECTED_BROWSER_ERRORS });
    const { page } = t;
    await page.waitForSelector('main [role="alert"]', { timeout: 15000 });
    const text = (await page.locator('main').textContent()).replace(/\s+/g, ' ');
    assert.match(text, message);
    assert.equal(await page.locator('.txt-string').count(), 0, 'no records shown');
    await finish(t, assert);
  });
}
