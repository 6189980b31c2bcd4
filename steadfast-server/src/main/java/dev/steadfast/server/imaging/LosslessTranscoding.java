package dev.steadfast.server.imaging;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.imaging.TranscodeOptions;
import dev.steadfast.imaging.Transcoder;
import dev.steadfast.imaging.codec.CodecRegistry;
import dev.steadfast.imaging.codec.Codecs;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The imaging module's transcoder as C-MOVE and C-GET use it: lossless targets only (a lossy one
 * is refused, never done silently). Thread-safe. The decoding and encoding run on a few platform
 * threads, not on the association's virtual thread: CPU work there would keep a carrier thread
 * until done, and a few retrieves at once could silence the listener and /health (STYLE 22).
 * Sub-operations wait their turn (the association limit bounds how many).
 */
public final class LosslessTranscoding {
    private final CodecRegistry codecs = Codecs.standard();
    private final Transcoder transcoder = new Transcoder(codecs);
    private final ThreadPoolExecutor pool;

    public LosslessTranscoding() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "steadfast-transcode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true); // an idle node keeps no threads, so nothing needs closing
    }

    /** Whether data in {@code from} can be re-encoded in {@code to} without loss. */
    public boolean canTranscode(String from, String to) {
        if (from == null || to == null) {
            return false;
        }
        String f = from.strip();
        String t = to.strip();
        boolean decodable = TransferSyntax.of(f).isNative() || codecs.supports(f);
        boolean encodable = TransferSyntax.of(t).isNative() || (codecs.supports(t) && !codecs.get(t).lossy());
        return decodable && encodable;
    }

    public Dataset transcode(Dataset ds, String from, String to) throws IOException {
        Future<Dataset> f = pool.submit(() -> transcoder.transcode(ds, from, to, TranscodeOptions.LOSSLESS_ONLY));
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while transcoding");
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IOException(e.getCause());
            }
        }
    }
}
