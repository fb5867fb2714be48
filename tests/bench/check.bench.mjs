// The browser half of `cargo xtask bench`: opens the Check page for the perf zone's domain in a
// fresh context per run (so no answer is cached) and prints one JSON line per run with the
// page's own counts and the run's time window (epoch ms) for cutting the server's log.
import { chromium } from 'playwright-core';

const APP = process.env.MXRAY_APP_URL;
const DOH = process.env.MXRAY_DOH_URL;
const RUNS = Number(process.env.MXRAY_BENCH_RUNS || 5);

// What this browser on this machine can do at all: the same number of questions, in the check's
// four waves of dependent questions, sent with plain fetch() and nothing else (no parsing, no
// drawing). A page cannot beat it; the ratio between the two is the page's own cost.
const WAVES = [55, 7, 5, 2];
async function plainFetch(page, doh) {
  return page.evaluate(async ({ doh, waves }) => {
    const ask = (name) => {
      const bytes = [0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
      for (const label of name.split('.')) bytes.push(label.length, ...[...label].map((c) => c.charCodeAt(0)));
      bytes.push(0, 0, 16, 0, 1);
      const dns = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      return fetch(`${doh}?dns=${dns}`, { headers: { accept: 'application/dns-message' }, cache: 'no-store' })
        .then((r) => r.arrayBuffer());
    };
    const start = performance.now();
    for (const [w, n] of waves.entries()) {
      await Promise.all(Array.from({ length: n }, (_, i) => ask(`q${i}.wave${w}.floor.test`)));
    }
    return performance.now() - start;
  }, { doh, waves: WAVES });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
});
try {
  for (let i = 0; i < RUNS; i++) {
    // The HTTP/2 fixture's certificate is self-signed (tests/tls).
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(APP);
    const floor = await plainFetch(page, DOH);
    const url = `${APP}check?domain=example.test&selectors=sel1&resolver=${encodeURIComponent(DOH)}`;
    const from = Date.now();
    await page.goto(url);
    const stats = page.locator('.check-stats');
    await stats.waitFor({ timeout: 30000 });
    const to = Date.now();
    console.log(JSON.stringify({
      elapsed_ms: Number(await stats.getAttribute('data-elapsed-ms')),
      plain_fetch_ms: Math.round(floor),
      sent: Number(await stats.getAttribute('data-sent')),
      max_in_flight: Number(await stats.getAttribute('data-max-in-flight')),
      from_epoch_ms: from,
      to_epoch_ms: to,
    }));
    await context.close();
  }
} finally {
  await browser.close();
}
