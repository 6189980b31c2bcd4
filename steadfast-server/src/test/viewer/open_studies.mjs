// Opens every study of a list in the web viewer served by Steadfast, one after another in ONE headless
// chromium page (one browser start for the whole corpus), and writes what the viewer showed for each.
// Usage: node open_studies.mjs BASE_URL STUDIES.json OUT_DIR TIMEOUT_MS_PER_STUDY
//   STUDIES.json: [{ "study": "1.2.3", "image": true|false }, ...] (image: the study holds pixel data)
// Writes OUT_DIR/<n>.json per study (n = index in the list) and, when an image is shown, OUT_DIR/<n>.png (the
// viewport canvas's own pixels) and OUT_DIR/<n>-page.png (the whole page). Prints "done N" at the end.
// Per study: { study, shown: "image"|"pdf"|"sr"|"video"|"message"|"nothing", imageId, litFraction, viewportText,
//   consoleErrors, pageErrors, failedRequests, dicomWebStatuses, millis }.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [base, listFile, outDir, timeoutArg] = process.argv.slice(2);
const timeout = Number(timeoutArg || 60000);
const studies = JSON.parse(fs.readFileSync(listFile, 'utf8'));
fs.mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
let current = null; // the result being gathered: listeners write into the study being visited
page.on('console', (m) => { if (current && m.type() === 'error') current.consoleErrors.push(m.text().slice(0, 500)); });
page.on('pageerror', (e) => { if (current) current.pageErrors.push(String(e).slice(0, 500)); });
page.on('requestfailed', (r) => {
  const error = r.failure()?.errorText || '';
  // A request the next navigation cut short (a script chunk, a prefetch) is no failure of the archive.
  if (current && error !== 'net::ERR_ABORTED') current.failedRequests.push(r.url() + ' ' + error);
});
page.on('response', (r) => {
  if (!current) return;
  if (r.status() >= 400) current.failedRequests.push(r.url() + ' ' + r.status());
  if (r.url().includes('/dicom-web/')) current.dicomWebStatuses.push(r.status() + ' ' + r.url().replace(/^.*\/dicom-web/, ''));
});

// What the first viewport shows: an image drawn by cornerstone (with the image id the viewport displays), a PDF,
// a structured report, a video, or one of OHIF's messages; null while the viewer is still loading.
function probe(study) {
  const lit = (c) => {
    if (c.width < 16 || c.height < 16) return 0;
    const ctx = c.getContext('2d');
    if (!ctx) return 0;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 60) n++;
    return n / (d.length / 4);
  };
  const grid = document.querySelector('[data-cy="viewport-grid"]') || document.body;
  const text = (grid.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 400);
  // Shown: a stack viewport holds a loaded image (cornerstone's csImage) and has drawn it on its canvas.
  try {
    for (const e of window.cornerstone?.getEnabledElements?.() || []) {
      const vp = e.viewport;
      if (vp && vp.csImage && vp.canvas && vp.canvas.width >= 16) {
        const c = vp.canvas;
        const ctx = c.getContext('2d');
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let min = 255, max = 0;
        for (let i = 0; i < d.length; i += 16) { const v = d[i] + d[i + 1] + d[i + 2]; if (v < min) min = v; if (v > max) max = v; }
        if (max === 0) continue; // not drawn yet
        const id = vp.getCurrentImageId?.() || '';
        if (!id.includes('/studies/' + study + '/')) continue; // still the previous study
        return { shown: 'image', litFraction: lit(c), contrast: max - min, imageId: vp.getCurrentImageId?.() || null,
          viewportText: text };
      }
    }
  } catch (ignored) { /* the app is still starting */ }
  if (grid.querySelector('object[type="application/pdf"], iframe[src^="blob:"], embed[type="application/pdf"], object[data^="blob:"]')) {
    return { shown: 'pdf', viewportText: text };
  }
  if (grid.querySelector('video')) return { shown: 'video', viewportText: text };
  // OHIF's SR viewport writes the report's content items out as text (headings, observer, findings).
  if (/Report|Observer|Finding|Measurement|Observation/.test(text)) {
    return { shown: 'sr', viewportText: text };
  }
  const loading = document.querySelector('.loading-indicator, [data-cy="loading-indicator"], .loader');
  if (!loading && /not supported|cannot be displayed|unsupported|no display set|not available|No matching/i.test(text)) {
    return { shown: 'message', viewportText: text };
  }
  return null;
}

let healthy = false; // whether the last study was shown (image, report or document)
for (let i = 0; i < studies.length; i++) {
  const s = studies[i];
  const limit = i === 0 ? Math.max(timeout, 60000) : timeout; // the first start also compiles the app
  const result = { study: s.study, shown: 'nothing', imageId: null, litFraction: 0, viewportText: '', consoleErrors: [],
    pageErrors: [], failedRequests: [], dicomWebStatuses: [], millis: 0 };
  current = result;
  const start = Date.now();
  try {
    const url = `${base}/viewer/viewer?StudyInstanceUIDs=${encodeURIComponent(s.study)}`;
    // A fresh start for the first study, and after any study the viewer did not show: an error there may
    // have left the app in a state (an error page, a tour, a half-loaded layout) the next study must not inherit.
    if (i === 0 || !healthy || process.env.VIEWER_RELOAD === '1') {
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout });
    } else {
      // The app is loaded already: route to the next study inside it (as its study list does), which spares
      // starting the whole app (scripts, web workers, WebAssembly decoders) again for every study.
      await page.evaluate((u) => {
        window.history.pushState({}, '', u);
        window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
      }, url);
    }
    // An image study waits for its image; any other study waits for what the viewer settles on (polled until
    // nothing changes for 3 s after the DICOMweb answers), as the viewer may show a message only once loaded.
    let seen = null, stableSince = Date.now(), lastText = '';
    while (Date.now() - start < limit) {
      seen = await page.evaluate(probe, s.study);
      // What the page says counts only once the viewer has read this study's metadata (not the last study's).
      const asked = result.dicomWebStatuses.some((x) => x.includes(s.study + '/series/') && x.includes('/metadata'));
      if (seen && seen.shown !== 'image' && !asked) seen = null;
      if (seen && seen.shown === 'image') break;
      // The viewer gave up on the image (no decoder, a decode error, a failed request): waiting longer shows nothing.
      if (result.consoleErrors.some((e) => /IMAGE_LOAD|decodeTask|No decoder|Failed to load resource/.test(e))
          && Date.now() - start > 3000) break;
      const text = await page.evaluate(() => (document.body.innerText || '').replace(/\s+/g, ' ').slice(0, 2000));
      if (text !== lastText) { lastText = text; stableSince = Date.now(); }
      if (!s.image && Date.now() - stableSince > 1500 && asked) break;
      await page.waitForTimeout(300);
    }
    if (seen) Object.assign(result, seen);
    if (!seen || seen.shown !== 'image') {
      result.viewportText = await page.evaluate(() => {
        const g = document.querySelector('[data-cy="viewport-grid"]') || document.body;
        return (g.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 400);
      });
    }
    if (result.shown === 'image') {
      await page.waitForTimeout(500); // let the first render settle before the pixels are read
      const dataUrl = await page.evaluate(() => {
        for (const c of document.querySelectorAll('canvas.cornerstone-canvas')) {
          if (c.width >= 16 && c.height >= 16) return c.toDataURL('image/png');
        }
        return null;
      });
      if (dataUrl) fs.writeFileSync(path.join(outDir, `${i}.png`), Buffer.from(dataUrl.split(',')[1], 'base64'));
    }
    await page.screenshot({ path: path.join(outDir, `${i}-page.png`) });
  } catch (e) {
    result.error = String(e).slice(0, 500);
  }
  result.millis = Date.now() - start;
  healthy = ['image', 'sr', 'pdf', 'video'].includes(result.shown) && !/Something went wrong/.test(result.viewportText);
  current = null;
  fs.writeFileSync(path.join(outDir, `${i}.json`), JSON.stringify(result));
}
await browser.close();
console.log(`done ${studies.length}`);
