// Opens one study in the web viewer served by Steadfast, in Debian's headless chromium with software
// WebGL, waits until the first viewport shows an image, and saves a screenshot of that viewport.
// Usage: node open_study.mjs URL OUT.png TIMEOUT_MS
// Prints one JSON line: { shown, litFraction, consoleErrors: [...], pageErrors: [...], failedRequests: [...] }.
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const [url, out, timeoutArg] = process.argv.slice(2);
const timeout = Number(timeoutArg || 120000);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const result = { shown: false, litFraction: 0, consoleErrors: [], pageErrors: [], failedRequests: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  page.on('requestfailed', (r) => result.failedRequests.push(r.url() + ' ' + (r.failure()?.errorText || '')));
  page.on('response', (r) => { if (r.status() >= 400) result.failedRequests.push(r.url() + ' ' + r.status()); });
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout });
  // Cornerstone3D draws each viewport into a 2D canvas (.cornerstone-canvas): read its pixels back.
  const handle = await page.waitForFunction(() => {
    for (const c of document.querySelectorAll('canvas.cornerstone-canvas')) {
      if (c.width < 16 || c.height < 16) continue;
      const ctx = c.getContext('2d');
      if (!ctx) continue;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let lit = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i] + d[i + 1] + d[i + 2] > 60) lit++;
      }
      const fraction = lit / (d.length / 4);
      if (fraction > 0.01) return fraction;
    }
    return false;
  }, null, { timeout, polling: 500 });
  result.litFraction = await handle.jsonValue();
  result.shown = true;
  await page.waitForTimeout(1000); // let the first render settle before the screenshot
  // The canvas's own pixels: the image alone, without the viewer's overlays, tours or banners on top.
  const dataUrl = await page.evaluate(() => {
    for (const c of document.querySelectorAll('canvas.cornerstone-canvas')) {
      if (c.width >= 16 && c.height >= 16) return c.toDataURL('image/png');
    }
    return null;
  });
  fs.writeFileSync(out, Buffer.from(dataUrl.split(',')[1], 'base64'));
  await page.screenshot({ path: out.replace(/\.png$/, '-page.png') });
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
