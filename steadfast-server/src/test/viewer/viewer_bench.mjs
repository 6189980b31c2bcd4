// Viewer benchmark (bench/viewer.sh, issue 16; not a test): the same OHIF build opened on one study, pointed at
// DICOMweb servers given as NAME=URL, alternating A/B for REPS rounds, each visit in a fresh browser context
// (cold cache). Measures time to first image (navigation start to the viewport's canvas first showing pixels)
// and scrolling (SCROLL_STEPS=60 mouse-wheel steps, one image each, sent one after the other;
// frames = Cornerstone's IMAGE_RENDERED events, images = distinct STACK_NEW_IMAGE indices).
// Usage: node viewer_bench.mjs DIST STUDY_UID INSTANCES REPS NAME=DICOMWEB_URL...
// Prints one JSON line per visit, then a summary line per server.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';

const scrollSteps = Number(process.env.SCROLL_STEPS || 60);
const [dist, study, instancesArg, repsArg, ...targetArgs] = process.argv.slice(2);
const instances = Number(instancesArg);
const reps = Number(repsArg);
const targets = targetArgs.map((a) => ({ name: a.slice(0, a.indexOf('=')), root: a.slice(a.indexOf('=') + 1) }));
const TYPES = { js: 'text/javascript', css: 'text/css', html: 'text/html', json: 'application/json',
  wasm: 'application/wasm', png: 'image/png', svg: 'image/svg+xml', ico: 'image/x-icon', woff2: 'font/woff2' };

// The same app-config as serve's (steadfast-web AppConfig), except where each server's DICOMweb lives.
const appConfig = (root) => `window.config = {
  routerBasename: '/viewer', showStudyList: true, extensions: [], modes: [], maxNumberOfWebWorkers: 3,
  showWarningMessageForCrossOrigin: false, showCPUFallbackMessage: true, showLoadingIndicator: true,
  strictZSpacingForVolumeViewport: true, defaultDataSourceName: 'bench',
  dataSources: [{ namespace: '@ohif/extension-default.dataSourcesModule.dicomweb', sourceName: 'bench',
    configuration: { friendlyName: 'bench', name: 'bench', wadoUriRoot: '${root}/wado', qidoRoot: '${root}',
      wadoRoot: '${root}', qidoSupportsIncludeField: false, supportsReject: false, imageRendering: 'wadors',
      thumbnailRendering: 'wadors', enableStudyLazyLoad: true, supportsFuzzyMatching: false, supportsWildcard: true,
      staticWado: false, singlepart: 'bulkdata,video', bulkDataURI: { enabled: true },
      omitQuotationForMultipartRequest: true } }],
};`;

// One static server per target (its own origin): the build's files, its app-config.js, index.html under /viewer.
function staticServer(root) {
  const config = Buffer.from(appConfig(root));
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p === '/app-config.js') {
      res.writeHead(200, { 'content-type': TYPES.js, 'cache-control': 'no-cache' });
      return res.end(config);
    }
    let file = path.join(dist, path.normalize(p).replace(/^(\.\.[/\\])+/, ''));
    if (p.startsWith('/viewer') || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      file = path.join(dist, 'index.html');
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file).slice(1)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

// Injected before the app: records when the canvas first shows pixels, and Cornerstone's events (dispatched
// on the viewport element without bubbling, so caught in the capture phase).
function probe() {
  const s = (window.__bench = { firstImage: null, rendered: 0, renderedAt: [], newImages: [] });
  window.addEventListener('CORNERSTONE_IMAGE_RENDERED', () => { s.rendered++; s.renderedAt.push(performance.now()); }, true);
  window.addEventListener('CORNERSTONE_STACK_NEW_IMAGE', (e) => {
    s.newImages.push([performance.now(), e.detail && e.detail.imageIdIndex]);
  }, true);
  const tick = () => {
    if (s.firstImage !== null) return;
    for (const c of document.querySelectorAll('canvas.cornerstone-canvas')) {
      if (c.width < 16 || c.height < 16) continue;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let lit = 0;
      for (let i = 0; i < d.length; i += 64) if (d[i] + d[i + 1] + d[i + 2] > 60) lit++;
      if (lit / (d.length / 64) > 0.01) { s.firstImage = performance.now(); return; }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    // the page's origin is the static server, DICOMweb another port: no CORS (Orthanc sends no CORS headers)
    '--disable-web-security'],
});
const servers = await Promise.all(targets.map((t) => staticServer(t.root)));
const results = Object.fromEntries(targets.map((t) => [t.name, []]));
try {
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 === 0 ? targets : [...targets].reverse();
    for (const t of order) {
      const r = await visit(t, servers[targets.indexOf(t)].address().port);
      r.rep = rep;
      results[t.name].push(r);
      console.log(JSON.stringify(r));
    }
  }
} finally {
  await browser.close();
  servers.forEach((s) => s.close());
}
const med = (v) => { const s = v.filter((x) => x != null).sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : null; };
for (const t of targets) {
  const v = results[t.name];
  console.log(JSON.stringify({ summary: t.name, visits: v.length, firstImageMs: med(v.map((r) => r.firstImageMs)),
    scrollFps: med(v.map((r) => r.scrollFps)), imagesPerSecond: med(v.map((r) => r.imagesPerSecond)),
    scrollSeconds: med(v.map((r) => r.scrollSeconds)), errors: v.filter((r) => r.error).length }));
}

async function visit(t, port) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const r = { target: t.name, firstImageMs: null, requests: 0, consoleErrors: 0 };
  try {
    const page = await context.newPage();
    await page.addInitScript(probe);
    page.on('console', (m) => { if (m.type() === 'error') r.consoleErrors++; });
    page.on('response', (res) => {
      if (!res.url().startsWith(t.root)) return;
      r.requests++;
    });
    await page.goto(`http://127.0.0.1:${port}/viewer/viewer?StudyInstanceUIDs=${study}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__bench && window.__bench.firstImage !== null, null, { timeout: 120000, polling: 50 });
    r.firstImageMs = Math.round(await page.evaluate(() => window.__bench.firstImage));
    await page.waitForTimeout(1500); // let the first render and the series' metadata settle
    const canvas = await page.$('canvas.cornerstone-canvas');
    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const before = await page.evaluate(() => {
      const s = window.__bench;
      return { rendered: s.rendered, newImages: s.newImages.length, start: s.newImages.length ? s.newImages.at(-1)[1] : null, t0: performance.now() };
    });
    r.startIndex = before.start;
    // Real wheel events over the viewport (Cornerstone's stack scroll: one image per step), one after the other:
    // the driver's wheel returns once the page has handled the event, so this is as fast as the page takes them.
    const steps = Math.min(scrollSteps, instances - 1 - (before.start ?? 0));
    for (let i = 0; i < steps; i++) await page.mouse.wheel(0, 100);
    const last = (before.start ?? 0) + steps;
    await page.waitForFunction((last) => window.__bench.newImages.some((n) => n[1] === last), last, { timeout: 30000, polling: 50 })
      .catch(() => { r.scrollIncomplete = true; });
    const after = await page.evaluate((b) => {
      const s = window.__bench;
      const mine = s.newImages.slice(b.newImages);
      const end = mine.length ? mine.at(-1)[0] : performance.now();
      return { frames: s.renderedAt.filter((x) => x > b.t0 && x <= end + 1).length,
        images: new Set(mine.map((n) => n[1])).size, seconds: (end - b.t0) / 1000, lastIndex: mine.length ? mine.at(-1)[1] : null };
    }, before);
    r.steps = steps;
    r.scrollSeconds = +after.seconds.toFixed(2);
    r.frames = after.frames;
    r.images = after.images;
    r.lastIndex = after.lastIndex;
    r.scrollFps = +(after.frames / after.seconds).toFixed(1);
    r.imagesPerSecond = +(after.images / after.seconds).toFixed(1);
  } catch (e) {
    r.error = String(e).slice(0, 300);
  } finally {
    await context.close();
  }
  return r;
}
