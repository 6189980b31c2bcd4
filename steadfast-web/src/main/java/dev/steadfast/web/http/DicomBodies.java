package dev.steadfast.web.http;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.json.DicomJsonWriter;
import dev.steadfast.dicom.json.JsonOptions;
import dev.steadfast.dicom.xml.NativeXmlWriter;
import dev.steadfast.web.multipart.MultipartWriter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** Writes data sets as response bodies: DICOM JSON, or Native DICOM XML (one per part when several). */
public final class DicomBodies {
    public static final String JSON = "application/dicom+json";
    public static final String XML = "application/dicom+xml";

    private DicomBodies() {}

    /** One data set as {@code application/dicom+json} (or plain JSON) or {@code application/dicom+xml}. */
    public static void write(Exchange x, String mediaType, Dataset ds) throws IOException {
        OutputStream out = x.open(mediaType.equals(XML) ? XML + "; charset=utf-8" : mediaType, true);
        if (mediaType.equals(XML)) {
            NativeXmlWriter.write(ds, out, JsonOptions.DEFAULT);
        } else {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            DicomJsonWriter.write(ds, w, JsonOptions.DEFAULT);
            w.flush();
        }
    }

    /**
     * Streams data sets as they are produced: a JSON array, or a multipart/related body with one
     * XML part per data set. Call {@link Stream#add} for each, then {@link Stream#close}.
     */
    public static Stream stream(Exchange x, String mediaType, JsonOptions options) throws IOException {
        return new Stream(x, mediaType, options);
    }

    public static final class Stream implements AutoCloseable {
        private final JsonOptions options;
        private final OutputStream out;
        private final Writer json;
        private final MultipartWriter multipart;
        private boolean first = true;

        private Stream(Exchange x, String mediaType, JsonOptions options) throws IOException {
            this.options = options;
            if (mediaType.equals(XML)) {
                String boundary = MultipartWriter.newBoundary();
                out = x.open("multipart/related; type=\"" + XML + "\"; boundary=" + boundary, true);
                multipart = new MultipartWriter(out, boundary);
                json = null;
            } else {
                out = x.open(mediaType, true);
                // Each data set's writer flushes; hold that back so the body goes out in large chunks.
                json = new java.io.FilterWriter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                        16 * 1024)) {
                    @Override
                    public void flush() { }

                    @Override
                    public void close() throws IOException { out.flush(); }
                };
                json.write('[');
                multipart = null;
            }
        }

        public void add(Dataset ds) throws IOException {
            add(ds, options);
        }

        /** Adds a data set written with its own options (its BulkDataURIs, say). */
        public void add(Dataset ds, JsonOptions options) throws IOException {
            if (multipart != null) {
                NativeXmlWriter.write(ds, multipart.part(XML + "; charset=utf-8", null), options);
            } else {
                if (!first) {
                    json.write(',');
                }
                DicomJsonWriter.write(ds, json, options);
            }
            first = false;
        }

        @Override
        public void close() throws IOException {
            if (multipart != null) {
                multipart.close();
            } else {
                json.write(']');
                json.close();
            }
        }
    }
}
