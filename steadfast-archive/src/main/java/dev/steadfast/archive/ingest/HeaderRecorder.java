package dev.steadfast.archive.ingest;

import dev.steadfast.dicom.io.RecordingInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * Records the bytes the header parser reads, so they can be replayed to storage followed by the
 * unread rest of the stream. Up to {@link #MEMORY_LIMIT} bytes are kept on the heap (a header is
 * usually a few kilobytes); beyond that they go to a temporary file, so a header holding a large
 * value before Pixel Data (an encapsulated document, a waveform, a private blob of hundreds of
 * megabytes) costs disk, not heap (issue 14: such an element made ingest die with
 * OutOfMemoryError). Close it to delete the file.
 */
final class HeaderRecorder extends FilterInputStream {
    static final int MEMORY_LIMIT = 1 << 20;

    private final Recorded memory = new Recorded();
    private Path spillFile;
    private OutputStream spill;
    private final RecordingInputStream recording;
    private final Path folder;

    HeaderRecorder(InputStream source) {
        this(source, null);
    }

    /** @param folder where a spill file goes (the node's scratch folder, swept at start); null: java.io.tmpdir */
    HeaderRecorder(InputStream source, Path folder) {
        super(null); // the recording stream needs this recorder, so it is set just below
        // The dicom stream does the recording (reads, skips); this class only decides where the bytes go.
        recording = new RecordingInputStream(source, new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                record(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                record(b, off, len);
            }
        });
        in = recording;
        this.folder = folder;
    }

    private void record(byte[] b, int off, int len) throws IOException {
        if (spill == null && memory.size() + len <= MEMORY_LIMIT) {
            memory.write(b, off, len);
            return;
        }
        try {
            if (spill == null) {
                spillFile = folder == null ? Files.createTempFile("steadfast-header", ".spill")
                        : Files.createTempFile(folder, "steadfast-header", ".spill");
                spill = new BufferedOutputStream(Files.newOutputStream(spillFile), 64 * 1024);
            }
            spill.write(b, off, len);
        } catch (IOException e) {
            throw new SpillFailure(e);
        }
    }

    /** The recorded bytes on the heap, replayed where they lie (issue 19: no copy per instance). */
    private static final class Recorded extends ByteArrayOutputStream {
        Recorded() {
            super(16 * 1024);
        }

        /** Reads the recorded bytes without copying them; nothing is recorded after this. */
        InputStream replay() {
            return new ByteArrayInputStream(buf, 0, count);
        }
    }

    /** The temporary file could not be written (disk full): our resources, not the sender's stream. */
    static final class SpillFailure extends IOException {
        SpillFailure(IOException cause) {
            super("cannot write the header's temporary file: " + cause.getMessage(), cause);
        }
    }

    /** Bytes kept on the heap so far (for tests: the bound this class promises). */
    int inMemory() {
        return memory.size();
    }

    /** The temporary file, null while everything fits on the heap (for tests). */
    Path spillFile() {
        return spillFile;
    }

    /** Everything: the recorded bytes, then the unread rest of the source (not closed by the replay). */
    InputStream replay() throws IOException {
        List<InputStream> parts = new java.util.ArrayList<>(3);
        parts.add(memory.replay());
        if (spill != null) {
            spill.flush();
            parts.add(Files.newInputStream(spillFile));
        }
        parts.add(new FilterInputStream(recording.source()) {
            @Override
            public void close() {
                // the source belongs to the caller
            }
        });
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /** Deletes the temporary file; the source stays open (it belongs to the caller). */
    @Override
    public void close() throws IOException {
        if (spill != null) {
            spill.close();
            Files.deleteIfExists(spillFile);
        }
    }
}
