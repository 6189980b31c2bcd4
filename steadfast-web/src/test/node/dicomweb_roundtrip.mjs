// The npm package dicomweb-client (what OHIF and other browser viewers use) against a running
// Steadfast DICOMweb server. Run by dev.steadfast.web.DicomwebClientJsTest.
//
// usage: node dicomweb_roundtrip.mjs BASE_URL PLAN.json
//   PLAN.json: [{"path", "study", "series", "sop", "frames"}, ...] (the UIDs from the corpus' oracle JSON)
//
// Prints one JSON object per line, {"check": ..., "sop": ..., <measurements>} or {"check", "error"};
// the Java test compares the measurements with the original files. It does not judge by itself,
// except that it exits 1 when any call threw.
import XMLHttpRequest from 'xhr2';
import dicomweb from 'dicomweb-client';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

globalThis.XMLHttpRequest = XMLHttpRequest; // dicomweb-client is written for browsers
const { DICOMwebClient } = dicomweb.api;

const [base, planFile] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, 'utf8'));
const client = new DICOMwebClient({ url: base });
let failures = 0;

const emit = (o) => console.log(JSON.stringify(o));
const sha256 = (buf) => createHash('sha256').update(new Uint8Array(buf)).digest('hex');
const value = (ds, tag) => (ds[tag] && ds[tag].Value ? ds[tag].Value[0] : undefined);
const magic = (buf) => Buffer.from(new Uint8Array(buf).subarray(0, 4)).toString('hex');
const toArrayBuffer = (b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);

/** The Transfer Syntax UID (0002,0010) of a Part 10 file, from its explicit VR LE meta group. */
function metaTransferSyntax(buf) {
  const b = Buffer.from(buf);
  if (b.length < 132 || b.toString('latin1', 128, 132) !== 'DICM') return null;
  let p = 132;
  while (p + 8 <= b.length && b.readUInt16LE(p) === 0x0002) {
    const element = b.readUInt16LE(p + 2);
    const vr = b.toString('latin1', p + 4, p + 6);
    const long = ['OB', 'OW', 'OF', 'SQ', 'UT', 'UN'].includes(vr);
    const len = long ? b.readUInt32LE(p + 8) : b.readUInt16LE(p + 6);
    const start = p + (long ? 12 : 8);
    if (element === 0x0010) return b.toString('latin1', start, start + len).replace(/[\0 ]+$/, '');
    p = start + len;
  }
  return null;
}

async function check(name, sop, fn) {
  try {
    emit({ check: name, sop, ...(await fn()) });
  } catch (e) {
    failures++;
    emit({ check: name, sop, error: String(e && e.message ? e.message : e), status: e && e.status });
  }
}

const ids = (f) => ({ studyInstanceUID: f.study, seriesInstanceUID: f.series, sopInstanceUID: f.sop });
const single = (r) => (Array.isArray(r) ? r[0] : r); // single-part arraybuffer answers come as [buffer]
const STORED = [{ mediaType: 'application/dicom', transferSyntaxUID: '*' }];
// dicomweb-client 0.11.3's retrieveInstance/Series/Study throw "Media type application/ is not
// supported" whenever mediaTypes is given (_getCommonMediaType returns "application/", compared with
// "application/dicom"), so the stored syntax is asked through the method they would call.
const retrieveStored = (url) => client._httpGetMultipartApplicationDicom(url, STORED, false, {});

// STOW-RS: all files in one request, as the client encodes it (leading CRLF, no final CRLF).
await check('storeInstances', null, async () => {
  const response = await client.storeInstances({
    datasets: plan.map((f) => toArrayBuffer(readFileSync(f.path))),
  });
  const text = typeof response === 'string' ? response : Buffer.from(response).toString('utf8');
  return { referenced: plan.filter((f) => text.includes(f.sop)).map((f) => f.sop), failed: text.includes('00081198') };
});

// QIDO-RS
await check('searchForStudies', null, async () => {
  const all = await client.searchForStudies();
  return { studies: all.map((ds) => value(ds, '0020000D')) };
});
for (const study of [...new Set(plan.map((f) => f.study))]) {
  await check('searchForStudies?StudyInstanceUID', study, async () => {
    const r = await client.searchForStudies({ queryParams: { StudyInstanceUID: study, includefield: 'all' } });
    return { studies: r.map((ds) => value(ds, '0020000D')), instances: r.map((ds) => value(ds, '00201208')) };
  });
  await check('searchForSeries', study, async () => {
    const r = await client.searchForSeries({ studyInstanceUID: study });
    return { series: r.map((ds) => value(ds, '0020000E')) };
  });
}
for (const f of plan) {
  await check('searchForInstances', f.sop, async () => {
    const r = await client.searchForInstances({ studyInstanceUID: f.study, seriesInstanceUID: f.series });
    return { instances: r.map((ds) => value(ds, '00080018')) };
  });
}

// WADO-RS
for (const f of plan) {
  await check('retrieveInstance*', f.sop, async () => {
    const [buf] = await retrieveStored(`${base}/studies/${f.study}/series/${f.series}/instances/${f.sop}`);
    const b = Buffer.from(buf);
    const metaEnd = 132 + 12 + b.readUInt32LE(132 + 8); // after (0002,0000) UL and the group it counts
    return { bytes: buf.byteLength, sha256: sha256(buf), datasetSha256: sha256(b.subarray(metaEnd)) };
  });
  await check('retrieveInstance', f.sop, async () => {
    const buf = await client.retrieveInstance(ids(f));
    return { bytes: buf.byteLength, transferSyntax: metaTransferSyntax(buf) };
  });
  await check('retrieveInstanceMetadata', f.sop, async () => {
    const [ds] = await client.retrieveInstanceMetadata(ids(f));
    const pixel = ds['7FE00010'] || {};
    return {
      sopInstanceUID: value(ds, '00080018'), rows: value(ds, '00280010'), columns: value(ds, '00280011'),
      pixelDataBulkDataURI: pixel.BulkDataURI ?? null,
    };
  });
  const last = f.frames;
  await check('retrieveInstanceFrames', f.sop, async () => {
    // Uncompressed, as a viewer without codecs asks.
    const frames = await client.retrieveInstanceFrames({
      ...ids(f), frameNumbers: last > 1 ? [1, last] : [1], mediaTypes: [{ mediaType: 'application/octet-stream' }],
    });
    return { frames: frames.length, lengths: frames.map((x) => x.byteLength) };
  });
  await check('retrieveInstanceFrames*', f.sop, async () => {
    // As stored, as OHIF asks by default (it decodes in the browser).
    const frames = await client.retrieveInstanceFrames({
      ...ids(f), frameNumbers: [1],
      mediaTypes: [{ mediaType: 'application/octet-stream', transferSyntaxUID: '*' }],
    });
    return { frames: frames.length, lengths: frames.map((x) => x.byteLength), magic: magic(frames[0]) };
  });
  await check('retrieveBulkData', f.sop, async () => {
    const [ds] = await client.retrieveInstanceMetadata(ids(f));
    const parts = await client.retrieveBulkData({ BulkDataURI: ds['7FE00010'].BulkDataURI });
    return { parts: parts.length, bytes: parts.reduce((n, p) => n + p.byteLength, 0) };
  });
  await check('retrieveInstanceRendered', f.sop, async () => {
    const jpeg = single(await client.retrieveInstanceRendered({ ...ids(f), mediaTypes: [{ mediaType: 'image/jpeg' }] }));
    const png = single(await client.retrieveInstanceRendered({
      ...ids(f), mediaTypes: [{ mediaType: 'image/png' }], queryParams: { viewport: '64,64' },
    }));
    return { jpeg: magic(jpeg), png: magic(png), pngWidth: Buffer.from(png).readUInt32BE(16) };
  });
  await check('retrieveInstanceThumbnail', f.sop, async () => {
    const t = single(await client.retrieveInstanceThumbnail({ ...ids(f), mediaTypes: [{ mediaType: 'image/jpeg' }] }));
    return { jpeg: magic(t) };
  });
}
for (const study of [...new Set(plan.map((f) => f.study))]) {
  await check('retrieveStudy*', study, async () => {
    const all = await retrieveStored(`${base}/studies/${study}`);
    const dflt = await client.retrieveStudy({ studyInstanceUID: study });
    return { sha256: all.map(sha256), defaultParts: dflt.length };
  });
}
emit({ check: 'done', failures });
process.exit(failures === 0 ? 0 : 1);
