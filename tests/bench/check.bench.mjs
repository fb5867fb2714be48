// The browser half of `cargo xtask bench`: opens the Check page for the perf zone's domain in a
// fresh context per run (so no answer is cached) and prints one JSON line per run with the
// page's own counts and the run's time window (epoch ms) for cutting the server's log.
import { chromium } from 'playwright-core';

const APP = process.env.MXRAY_APP_URL;
const DOH = process.env.MXRAY_DOH_URL;
const RUNS = Number(process.env.MXRAY_BENCH_RUNS || 5);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
});
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const url = `${APP}check?domain=example.test&selectors=sel1&resolver=${encodeURIComponent(DOH)}`;
    const from = Date.now();
    await page.goto(url);
    const stats = page.locator('.check-stats');
    await stats.waitFor({ timeout: 30000 });
    const to = Date.now();
    console.log(JSON.stringify({
      elapsed_ms: Number(await stats.getAttribute('data-elapsed-ms')),
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
