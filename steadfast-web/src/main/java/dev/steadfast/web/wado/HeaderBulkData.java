package dev.steadfast.web.wado;

import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import dev.steadfast.web.http.Exchange;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.Negotiation;
import dev.steadfast.web.multipart.MultipartWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Bulk data other than Pixel Data, named by a tag path ({@code 00540016/0/00181072}): answered
 * from the index's metadata when it holds the value, else from the stored header.
 */
final class HeaderBulkData {
    private final RetrieveEngine retrieve;

    HeaderBulkData(RetrieveEngine retrieve) {
        this.retrieve = retrieve;
    }

    void send(Exchange x, StoredInstance i, String path) throws IOException {
        Negotiation.choose(x.accept(), "multipart/related", "application/octet-stream");
        // Not pixel data: octet-stream as it is, nothing to convert.
        FrameService.negotiate(x.accept(), "1.2.840.10008.1.2.1", new dev.steadfast.dicom.Dataset(),
                dev.steadfast.web.imaging.Imaging.NONE);
        byte[] value = find(retrieve.metadata(i), path);
        if (value == null) {
            try (InputStream in = retrieve.open(i)) {
                value = find(DicomReader.read(in, ReadOptions.headerOnly()).dataset(), path);
            }
        }
        if (value == null) {
            throw HttpError.notFound("no bulk data at " + path);
        }
        String boundary = MultipartWriter.newBoundary();
        OutputStream out = x.open("multipart/related; type=\"application/octet-stream\"; boundary=" + boundary, false);
        try (MultipartWriter mp = new MultipartWriter(out, boundary)) {
            mp.part("application/octet-stream", null).write(value);
        }
    }

    /** The binary value at a path of tags and item indexes, or null. */
    static byte[] find(Dataset ds, String path) {
        String[] steps = path.split("/");
        if (steps.length % 2 == 0) {
            throw HttpError.badRequest("a bulk data path alternates tags and item numbers and ends with a tag");
        }
        try {
            for (int s = 0; s < steps.length - 1; s += 2) {
                Sequence seq = ds.getSequence(Integer.parseUnsignedInt(steps[s], 16));
                int item = Integer.parseInt(steps[s + 1]);
                if (seq == null || item < 0 || item >= seq.size()) {
                    return null;
                }
                ds = seq.get(item);
            }
            Element e = ds.get(Integer.parseUnsignedInt(steps[steps.length - 1], 16));
            return e == null || !(e.value() instanceof byte[] b) ? null : b;
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("malformed bulk data path " + path);
        }
    }
}
