// Opens the archive's status page and the viewer's study list in Debian's headless chromium and prints one JSON
// line with what a person sees: the status line, the index and journal cells, one row per storage target, which
// sections are shown, one row per queue destination (forwarding, HL7 outgoing, workflow), the viewer header's link to the status page, and any page error or failed request.
// Usage: node status_page.mjs BASE_URL TIMEOUT_MS
import { chromium } from 'playwright-core';

const [base, timeoutArg] = process.argv.slice(2);
const timeout = Number(timeoutArg || 60000);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
});
const result = { consoleErrors: [], pageErrors: [], failedRequests: [] };
try {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  page.on('response', (r) => { if (r.status() >= 400) result.failedRequests.push(r.url() + ' ' + r.status()); });
  await page.goto(base + '/status', { waitUntil: 'domcontentloaded', timeout });
  await page.waitForSelector('body[data-loaded="true"]', { timeout });
  Object.assign(result, await page.evaluate(() => ({
    overall: document.getElementById('overall').textContent,
    index: document.getElementById('index').textContent,
    journal: document.getElementById('journal').textContent,
    storage: document.getElementById('storage').textContent,
    targets: [...document.querySelectorAll('#targets tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent)),
    sections: [...document.querySelectorAll('section')].filter((s) => !s.hidden).map((s) => s.id),
    note: document.getElementById('api-note').textContent,
    queues: Object.fromEntries([...document.querySelectorAll('table.queues')].filter((t) => !t.closest('section').hidden)
      .map((t) => [t.closest('section').id, [...t.tBodies[0].rows].map((tr) => [...tr.cells].map((c) => c.textContent))])),
  })));
  const viewer = await browser.newPage();
  await viewer.goto(base + '/viewer/', { waitUntil: 'domcontentloaded', timeout });
  const link = await viewer.waitForSelector('a[data-cy="steadfast-status-link"]', { timeout });
  result.viewerLink = await link.getAttribute('href');
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
