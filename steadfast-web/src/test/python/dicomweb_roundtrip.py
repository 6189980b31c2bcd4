#!/usr/bin/python3
"""An independent DICOMweb client (urllib + pydicom) against a running Steadfast server.

usage: dicomweb_roundtrip.py BASE_URL FILE...

Stores the files with STOW-RS, finds them with QIDO-RS, retrieves them with WADO-RS (instances,
metadata with BulkDataURIs, frames) and WADO-URI, and checks everything against pydicom's own
reading of the files. Prints one line per check; exits non-zero on the first mismatch.
"""
import io
import json
import re
import sys
import urllib.error
import urllib.request
import uuid

import pydicom
from pydicom.encaps import generate_pixel_data_frame
from pydicom.uid import UID

BASE = sys.argv[1].rstrip("/")
NATIVE = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99"}


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


def request(url, accept=None, data=None, content_type=None):
    req = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    if accept:
        req.add_header("Accept", accept)
    if content_type:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def split_multipart(content_type, body):
    boundary = None
    for p in content_type.split(";"):
        p = p.strip()
        if p.startswith("boundary="):
            boundary = p[len("boundary="):].strip('"')
    if boundary is None:
        fail("no boundary in " + content_type)
    delim = b"--" + boundary.encode()
    chunks = body.split(b"\r\n" + delim)
    first = chunks[0]
    if not first.startswith(delim):
        fail("body does not open with the boundary")
    chunks[0] = first[len(delim):]
    parts = []
    for c in chunks:
        if c.startswith(b"--"):
            break
        head, _, payload = c.partition(b"\r\n\r\n")
        headers = {}
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.decode("latin-1").partition(":")
            headers[k.strip().lower()] = v.strip()
        parts.append((headers, payload))
    return parts


def same_dataset(a, b, what):
    for elem in a:
        if elem.tag.group == 0x0002 or elem.tag == 0x7FE00010:
            continue
        if elem.tag not in b:
            fail(f"{what}: {elem.tag} missing after retrieval")
        if elem.value != b[elem.tag].value and elem.VR != "SQ":
            fail(f"{what}: {elem.tag} differs: {elem.value!r} vs {b[elem.tag].value!r}")


def main():
    originals = {}
    for path in sys.argv[2:]:
        try:
            ds = pydicom.dcmread(path, force=True)
            ds.get("PixelData")
            for _ in ds.iterall():
                pass
            sop = str(ds.SOPInstanceUID)
            if not ds.get("StudyInstanceUID") or not ds.get("SeriesInstanceUID"):
                print(f"skip {path}: no Study or Series Instance UID, so no archive can store it")
                continue
        except Exception as e:  # files pydicom itself cannot read prove nothing here
            print(f"skip {path}: pydicom cannot read it ({type(e).__name__})")
            continue
        if sop not in originals:
            originals[sop] = (path, ds)
    # STOW-RS: one request with all files as parts.
    boundary = "pyclient-" + uuid.uuid4().hex
    body = io.BytesIO()
    for path, _ in originals.values():
        body.write(f"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n".encode())
        with open(path, "rb") as f:
            body.write(f.read())
        body.write(b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    status, headers, resp = request(BASE + "/studies", "application/dicom+json", body.getvalue(),
                                    f'multipart/related; type="application/dicom"; boundary={boundary}')
    if status != 200:
        failed = json.loads(resp).get("00081198", {}).get("Value", [])
        fail(f"STOW status {status}, {headers.get_all('Warning')}: failed "
             + ", ".join(str(f.get("00081155", {}).get("Value", ["?"])[0]) + " "
                         + hex(f["00081197"]["Value"][0]) for f in failed))
    stow = pydicom.Dataset.from_json(json.loads(resp))
    stored = {str(i.ReferencedSOPInstanceUID) for i in stow.ReferencedSOPSequence}
    if stored != set(originals):
        fail(f"STOW stored {len(stored)} of {len(originals)}")
    print(f"ok STOW {len(stored)} instances")

    for sop, (path, ds) in originals.items():
        name = path.split("/")[-1]
        study, series = str(ds.StudyInstanceUID), str(ds.SeriesInstanceUID)
        ts = str(ds.file_meta.TransferSyntaxUID) if "TransferSyntaxUID" in ds.file_meta else "1.2.840.10008.1.2"
        # QIDO-RS at study and instance level
        status, _, resp = request(f"{BASE}/studies?StudyInstanceUID={study}&includefield=PatientID",
                                  "application/dicom+json")
        studies = json.loads(resp)
        if status != 200 or len(studies) != 1:
            fail(f"{name}: QIDO study found {len(studies)}")
        if str(ds.get("PatientID", "")) != (studies[0].get("00100020", {}).get("Value", [""])[0]):
            fail(f"{name}: QIDO PatientID differs")
        status, _, resp = request(f"{BASE}/studies/{study}/series/{series}/instances?SOPInstanceUID={sop}")
        found = [i["00080018"]["Value"][0] for i in json.loads(resp)]
        if found != [sop]:
            fail(f"{name}: QIDO instance found {found}")
        # WADO-RS instance, stored bytes
        url = f"{BASE}/studies/{study}/series/{series}/instances/{sop}"
        status, headers, resp = request(url, 'multipart/related; type="application/dicom"; transfer-syntax=*')
        parts = split_multipart(headers["Content-Type"], resp)
        if status != 200 or len(parts) != 1:
            fail(f"{name}: WADO-RS instance status {status}, {len(parts)} parts")
        got = pydicom.dcmread(io.BytesIO(parts[0][1]))
        same_dataset(ds, got, name)
        if "PixelData" in ds and got.PixelData != ds.PixelData:
            fail(f"{name}: pixel data differs after WADO-RS")
        # WADO-URI gives the same bytes
        status, _, uri_bytes = request(f"{BASE}/wado?requestType=WADO&studyUID={study}&seriesUID={series}"
                                       f"&objectUID={sop}&contentType=application/dicom")
        if status != 200 or uri_bytes != parts[0][1]:
            fail(f"{name}: WADO-URI status {status} or bytes differ from WADO-RS")
        # Metadata, with bulk data fetched through its BulkDataURI
        status, _, resp = request(url + "/metadata", "application/dicom+json")
        fetched = []

        def bulk(tag, vr, uri):
            s, h, b = request(uri, 'multipart/related; type="application/octet-stream"; transfer-syntax=*')
            if s != 200:
                fail(f"{name}: BulkDataURI {uri} gave {s}")
            fetched.append(tag)
            return b"".join(p[1] for p in split_multipart(h["Content-Type"], b))

        try:
            meta = pydicom.Dataset.from_json(json.loads(resp)[0], bulk)
        except ValueError as e:
            # The file holds an invalid number (e.g. DS "1.9.10.0"), which JSON keeps as a string.
            print(f"note {name}: pydicom refuses the metadata JSON ({e}); checked as plain JSON")
            meta = pydicom.Dataset()
            plain = json.loads(resp)[0]
            if plain["00080018"]["Value"][0] != sop:
                fail(f"{name}: metadata names another instance")
            if ds.get("PixelData") is not None:
                meta.PixelData = ds.PixelData
        for kw in ("PatientName", "StudyInstanceUID", "SOPClassUID", "Rows", "Columns"):
            # pydicom 2.3 leaves ISO 2022 escapes in GB2312 names; the standard's value has none.
            unescaped = re.sub("\x1b[\x20-\x2f]*[\x30-\x7e]", "", str(ds.get(kw)))
            if kw in ds and kw in meta and str(meta.get(kw)) not in (str(ds.get(kw)), unescaped):
                fail(f"{name}: metadata {kw} {meta.get(kw)!r} vs {ds.get(kw)!r}")
        # Frames: frame 1 in the stored form
        if ds.get("PixelData") is not None and "Rows" in ds:
            frames = int(ds.get("NumberOfFrames", 1) or 1)
            if ts in NATIVE and ts != "1.2.840.10008.1.2.2" and ds.BitsAllocated >= 8:
                frame_len = ds.Rows * ds.Columns * ds.get("SamplesPerPixel", 1) * ds.BitsAllocated // 8
                want = ds.PixelData[:frame_len]
                accept = 'multipart/related; type="application/octet-stream"'
                if meta.PixelData != ds.PixelData:
                    fail(f"{name}: pixel data through BulkDataURI differs")
            elif ts not in NATIVE:
                want = next(generate_pixel_data_frame(ds.PixelData, frames))
                accept = 'multipart/related; type="application/octet-stream"; transfer-syntax=*'
            else:
                want = None
            if want is not None:
                status, h, resp = request(url + "/frames/1", accept)
                fparts = split_multipart(h.get("Content-Type", ""), resp) if status == 200 else []
                if status != 200 or len(fparts) != 1:
                    fail(f"{name}: frames status {status}: {resp[:200]!r}")
                got_frame = fparts[0][1]
                if ts not in NATIVE:
                    # pydicom strips a trailing pad byte that belongs to the last fragment
                    got_frame = got_frame[:len(want)] if got_frame[:len(want)] == want else got_frame
                if got_frame != want:
                    fail(f"{name}: frame 1 differs ({len(got_frame)} vs {len(want)} bytes)")
                if ts in NATIVE:
                    # image/jpeg without a syntax: its default, JPEG lossless SV1 (PS3.18 Table 8.7.3-5)
                    status, h, resp = request(url + "/frames/1", 'multipart/related; type="image/jpeg"')
                    if status == 200:
                        jparts = split_multipart(h.get("Content-Type", ""), resp)
                        if "1.2.840.10008.1.2.4.70" not in jparts[0][0].get("content-type", "") \
                                or jparts[0][1][:2] != b"\xff\xd8":
                            fail(f"{name}: native frame as image/jpeg is not JPEG lossless: {jparts[0][0]}")
                    elif status != 406:  # 406 only when the image cannot be encoded (e.g. 1-bit, 32-bit)
                        fail(f"{name}: native frame as image/jpeg gave {status}")
                    status, _, _ = request(url + "/frames/1", 'multipart/related; type="image/jphc"')
                    if status != 406:
                        fail(f"{name}: native frame as HTJ2K gave {status}, expected 406")
            print(f"ok {name} ({ts}, {frames} frames, bulk {len(fetched)})")
        else:
            print(f"ok {name} ({ts}, no pixel data)")
    print("ALL OK")


main()
