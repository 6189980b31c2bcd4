// Viewer benchmark (bench/viewer.sh, issue 16; not a test): the same OHIF build opened on one study, pointed at
// DICOMweb servers given as NAME=URL, alternating A/B for REPS rounds, each visit in a fresh browser context
// (cold cache). Measures time to first image (navigation start to the viewport's canvas first showing pixels)
// and scrolling once OHIF's prefetch of the stack is done (SCROLL_STEPS=60 mouse-wheel steps, one image each,
// sent one after the other; frames = Cornerstone's IMAGE_RENDERED events, images = distinct STACK_NEW_IMAGE
// indices; seriesLoadedMs = when the last frame of the series arrived).
// Each visit also says where the time to first image went ("split", from the page's Resource Timing and CDP
// Performance.getMetrics). A target NAME=DICOMWEB_URL may end in options after '|': 'own' opens the viewer the
// DICOMweb server itself serves (serve's /viewer/: its compression and cache headers) instead of the static
// server; 'cpu' adds OHIF's ?viewportRendering=cpu (Cornerstone's CPU rendering instead of WebGL).
// WARM=1 also times a second visit in the same browser context (HTTP cache and V8 code cache warm), as a
// user opening the next study. THROTTLE_MBIT=100 emulates a LAN instead of loopback (CDP).
// Usage: node viewer_bench.mjs DIST STUDY_UID INSTANCES REPS NAME=DICOMWEB_URL[|own][|cpu]...
// Prints one JSON line per visit, then a summary line per target.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';

const scrollSteps = Number(process.env.SCROLL_STEPS || 60);
const [dist, study, instancesArg, repsArg, ...targetArgs] = process.argv.slice(2);
const instances = Number(instancesArg);
const reps = Number(repsArg);
const targets = targetArgs.map((a) => {
  const [root, ...opts] = a.slice(a.indexOf('=') + 1).split('|');
  return { name: a.slice(0, a.indexOf('=')), root, own: opts.includes('own'), cpu: opts.includes('cpu') };
});
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
  performance.setResourceTimingBufferSize(10000); // every frame request of the series, not the default 250
  const s = (window.__bench = { firstImage: null, rendered: 0, renderedAt: [], newImages: [] });
  window.addEventListener('CORNERSTONE_IMAGE_RENDERED', () => { s.rendered++; s.renderedAt.push(performance.now()); }, true);
  window.addEventListener('CORNERSTONE_STACK_NEW_IMAGE', (e) => {
    s.newImages.push([performance.now(), e.detail && e.detail.imageIdIndex]);
  }, true);
  // Checked when Cornerstone says it rendered (and every 250 ms, in case): reading the canvas back on every
  // animation frame cost the page more than a second of main thread before the first image.
  const check = () => {
    if (s.firstImage !== null) return;
    for (const c of document.querySelectorAll('canvas.cornerstone-canvas')) {
      if (c.width < 16 || c.height < 16) continue;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let lit = 0;
      for (let i = 0; i < d.length; i += 64) if (d[i] + d[i + 1] + d[i + 2] > 60) lit++;
      if (lit / (d.length / 64) > 0.01) { s.firstImage = performance.now(); return; }
    }
  };
  window.addEventListener('CORNERSTONE_IMAGE_RENDERED', check, true);
  const timer = setInterval(() => { check(); if (s.firstImage !== null) clearInterval(timer); }, 250);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    // the page's origin is the static server, DICOMweb another port: no CORS (Orthanc sends no CORS headers)
    '--disable-web-security'],
});
const servers = await Promise.all(targets.map((t) => t.own ? null : staticServer(t.root)));
const results = Object.fromEntries(targets.map((t) => [t.name, []]));
try {
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 === 0 ? targets : [...targets].reverse();
    for (const t of order) {
      const server = servers[targets.indexOf(t)];
      const r = await visit(t, server ? `http://127.0.0.1:${server.address().port}` : new URL(t.root).origin, rep);
      r.rep = rep;
      results[t.name].push(r);
      console.log(JSON.stringify(r));
    }
  }
} finally {
  await browser.close();
  servers.forEach((s) => s && s.close());
}
const med = (v) => { const s = v.filter((x) => x != null).sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : null; };
for (const t of targets) {
  const v = results[t.name];
  console.log(JSON.stringify({ summary: t.name, visits: v.length, firstImageMs: med(v.map((r) => r.firstImageMs)),
    scrollFps: med(v.map((r) => r.scrollFps)), imagesPerSecond: med(v.map((r) => r.imagesPerSecond)),
    scrollSeconds: med(v.map((r) => r.scrollSeconds)), seriesLoadedMs: med(v.map((r) => r.seriesLoadedMs)), warmFirstImageMs: med(v.map((r) => r.warmFirstImageMs)),
    appEndMs: med(v.map((r) => r.split?.app?.end)), metadataEndMs: med(v.map((r) => r.split?.metadata?.end)),
    firstFrameStartMs: med(v.map((r) => r.split?.frames?.start)), decodeRenderMs: med(v.map((r) => r.split?.decodeRenderMs)),
    mainThreadMs: med(v.map((r) => r.main?.taskMs)), errors: v.filter((r) => r.error).length }));
}

// Where the time to first image went, from the page's Resource Timing entries (ms since navigation start):
// the viewer's own files (document, scripts, styles, wasm), then DICOMweb: QIDO, series metadata, frames.
// decodeRenderMs = first image minus the end of the first frame response: decode, upload and draw in the browser.
function split(entries, root, firstImage) {
  const kind = (u) => !u.startsWith(root) ? 'app' : u.includes('/frames/') ? 'frames' : u.includes('/metadata') ? 'metadata'
    : u.includes('/thumbnail') || u.includes('/rendered') ? 'thumbnail' : 'qido';
  const out = {};
  for (const e of entries.filter((x) => x.start <= firstImage)) {
    const k = kind(e.url);
    const o = (out[k] ??= { n: 0, start: Infinity, end: 0, kB: 0, proto: e.proto });
    o.n++; o.start = Math.min(o.start, e.start); o.end = Math.max(o.end, e.end); o.kB += (e.bytes || 0) / 1000;
    if (k === 'frames') o.firstEnd = Math.min(o.firstEnd ?? Infinity, e.end || Infinity);
  }
  for (const o of Object.values(out)) for (const f of ['start', 'end', 'kB', 'firstEnd']) if (o[f] != null) o[f] = Math.round(o[f]);
  if (out.frames) out.decodeRenderMs = Math.round(firstImage - out.frames.firstEnd);
  return out;
}

// The main thread's busy time up to the first image (CDP Performance.getMetrics, seconds -> ms).
function mainThread(m) {
  const v = Object.fromEntries(m.metrics.map((x) => [x.name, x.value]));
  return { taskMs: Math.round(v.TaskDuration * 1000), scriptMs: Math.round(v.ScriptDuration * 1000),
    layoutMs: Math.round((v.LayoutDuration + v.RecalcStyleDuration) * 1000) };
}

// The page's CDP session; with THROTTLE_MBIT, its network is a LAN of that speed (what compression changes there).
async function throttled(context, page) {
  const cdp = await context.newCDPSession(page);
  if (process.env.THROTTLE_MBIT) {
    const bytesPerSecond = Number(process.env.THROTTLE_MBIT) * 125000;
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: Number(process.env.THROTTLE_RTT_MS || 1),
      downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
  }
  return cdp;
}

async function visit(t, origin, rep) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const r = { target: t.name, firstImageMs: null, requests: 0, consoleErrors: 0 };
  try {
    const page = await context.newPage();
    const cdp = await throttled(context, page);
    await cdp.send('Performance.enable');
    await page.addInitScript(probe);
    page.on('console', (m) => { if (m.type() === 'error') r.consoleErrors++; });
    page.on('response', (res) => {
      if (!res.url().startsWith(t.root)) return;
      r.requests++;
    });
    const url = `${origin}/viewer/viewer?StudyInstanceUIDs=${study}${t.cpu ? '&viewportRendering=cpu' : ''}`;
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__bench && window.__bench.firstImage !== null, null, { timeout: 120000, polling: 50 });
    r.firstImageMs = Math.round(await page.evaluate(() => window.__bench.firstImage));
    r.main = mainThread(await cdp.send('Performance.getMetrics'));
    const entries = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => ({ url: e.name,
      start: e.startTime, end: e.responseEnd, bytes: e.transferSize, body: e.decodedBodySize, proto: e.nextHopProtocol })));
    r.split = split(entries, t.root, r.firstImageMs);
    if (process.env.WATERFALL) { // every request up to the first image, for a closer look
      fs.appendFileSync(process.env.WATERFALL, entries.filter((e) => e.start <= r.firstImageMs).map((e) =>
        `${t.name}\t${rep}\t${Math.round(e.start)}\t${Math.round(e.end)}\t${e.body}\t${e.url.replace(/^https?:\/\/[^/]+/, '')}`).join('\n')
        + `\n${t.name}\t${rep}\t${r.firstImageMs}\t${r.firstImageMs}\t0\tFIRST IMAGE\n`);
    }
    if (scrollSteps > 0) await scroll(page, r);
    if (process.env.WARM) { // the next study opened in the same browser: its cache and compiled code are warm
      await page.close();
      const again = await context.newPage();
      await throttled(context, again);
      await again.addInitScript(probe);
      await again.goto(url, { waitUntil: 'commit' });
      await again.waitForFunction(() => window.__bench && window.__bench.firstImage !== null, null, { timeout: 120000, polling: 50 });
      r.warmFirstImageMs = Math.round(await again.evaluate(() => window.__bench.firstImage));
    }
  } catch (e) {
    r.error = String(e).slice(0, 300);
  } finally {
    await context.close();
  }
  return r;
}

async function scroll(page, r) {
  // OHIF prefetches the whole stack (one frame request per image): wait until every frame is in (or none came
  // for 5 s, 120 s at most), so that scrolling measures showing cached images, not the loading competing with it.
  const t0 = await page.evaluate(() => performance.now());
  let seen = -1;
  let still = 0;
  for (let waited = 0; waited < 120000; waited += 500) {
    const n = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/frames/')).length);
    if (n >= instances) break;
    still = n === seen ? still + 500 : 0;
    if (still >= 5000) break;
    seen = n;
    await page.waitForTimeout(500);
  }
  const loaded = await page.evaluate(() => {
    const f = performance.getEntriesByType('resource').filter((e) => e.name.includes('/frames/'));
    return { n: f.length, end: Math.max(...f.map((e) => e.responseEnd)) };
  });
  r.framesLoaded = loaded.n;
  r.seriesLoadedMs = Math.round(loaded.end); // navigation start to the last frame's bytes
  r.prefetchWaitMs = Math.round((await page.evaluate(() => performance.now())) - t0);
  await page.waitForTimeout(1000);
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
}
