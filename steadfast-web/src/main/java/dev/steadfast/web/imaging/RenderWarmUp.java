package dev.steadfast.web.imaging;

import dev.steadfast.web.http.HttpError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;

/**
 * Renders synthetic images ({@link WarmUpImages}) after the server is ready, through the same
 * {@link StandardImaging} path and imaging pool a rendered request takes once its object is read and
 * checked (parse, renderer, window, scaling, JPEG/PNG encoder), and checksums them as that read does
 * (SHA-256, CRC32C). Why (issue 19): the first few hundred rendered requests after a start cost up
 * to 1.5x what they cost later, the JIT compiling the rendering path while a viewer waits; the JDK's
 * AOT cache keeps profiles, not compiled code. Touches neither storage nor the index: the objects
 * are made in memory.
 *
 * <p>It gives way: it stops at the first real imaging request (the requests warm the code from then
 * on and the warm-up would only compete with them), when the pool answers busy, and when the server
 * stops. One image at a time, so a request that comes meanwhile waits for one image at most; the
 * thread's lowest priority is a hint only (Linux ignores it without -XX:ThreadPriorityPolicy=1).
 */
final class RenderWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(RenderWarmUp.class);
    /** Rounds over every image and request kind (445 images): 12 did less in round six, 120 see docs/PERFORMANCE.md. */
    static final int ROUNDS = 40;
    /** A JVM property that sets the rounds, for measuring the warm-up (docs/PERFORMANCE.md, round six); not a setting. */
    static final String ROUNDS_PROPERTY = "steadfast.imaging.warm-up-rounds";

    /** Renders one synthetic image the way a request would, without counting as one. */
    @FunctionalInterface
    interface Renderer {
        byte[] render(byte[] part10, RenderRequest r) throws IOException;
    }

    private final Renderer renderer;
    private final LongSupplier realCalls;
    private final int rounds;
    /** Taken when built, before the server answers anything: a request that comes before the thread runs still counts. */
    private final long callsBefore;
    private final CompletableFuture<WarmUpResult> result = new CompletableFuture<>();
    private volatile boolean closed;

    RenderWarmUp(Renderer renderer, LongSupplier realCalls, int rounds) {
        this.renderer = renderer;
        this.realCalls = realCalls;
        this.rounds = rounds;
        this.callsBefore = realCalls.getAsLong();
    }

    /** Starts the warm-up on its own daemon thread; the future completes when it ends. */
    CompletableFuture<WarmUpResult> start() {
        Thread t = Thread.ofPlatform().name("steadfast-render-warm-up").daemon(true).priority(Thread.MIN_PRIORITY)
                .unstarted(() -> result.complete(run()));
        t.start();
        return result;
    }

    /** Stops it before its next image (the server is stopping). */
    void close() {
        closed = true;
    }

    private WarmUpResult run() {
        long start = System.nanoTime();
        Duration cpu0 = processCpu();
        int images = 0;
        WarmUpResult.Stop stop = WarmUpResult.Stop.DONE;
        try {
            List<WarmUpImages.Image> all = WarmUpImages.all();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            CRC32C crc = new CRC32C();
            rounds:
            for (int round = 0; round < rounds; round++) {
                for (WarmUpImages.Image image : all) {
                    for (RenderRequest r : requests(image, round)) {
                        if (closed) {
                            stop = WarmUpResult.Stop.CLOSED;
                            break rounds;
                        }
                        if (realCalls.getAsLong() != callsBefore) {
                            stop = WarmUpResult.Stop.REQUEST_ARRIVED;
                            break rounds;
                        }
                        if (renderer.render(image.part10(), r).length == 0) {
                            throw new IOException("an empty image"); // never expected; stops the warm-up
                        }
                        images++;
                    }
                    sha.update(image.part10()); // the first read's check, and CRC32C the re-reads'
                    crc.update(image.part10(), 0, image.part10().length);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Busy (503), interrupted by the pool's shutdown, or anything else: the warm-up is only ever an aid.
            stop = closed ? WarmUpResult.Stop.CLOSED : WarmUpResult.Stop.GAVE_WAY;
            if (!closed && !(e instanceof HttpError h && h.status() == 503)) {
                LOG.warn("render warm-up stopped: {}", e.toString());
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
        WarmUpResult r = new WarmUpResult(images, Duration.ofNanos(System.nanoTime() - start), processCpu().minus(cpu0), stop);
        LOG.info("render warm-up: {} synthetic images in {} ms, {} ms of the process's CPU meanwhile; {}", r.images(),
                r.wall().toMillis(), r.processCpu().toMillis(), r.stop().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        return r;
    }

    /** What viewers ask of an image: as stored, another window, a thumbnail; now and then PNG. */
    private static List<RenderRequest> requests(WarmUpImages.Image image, int round) {
        RenderRequest own = new RenderRequest(1, "image/jpeg", null, null, 0, 0, 0);
        RenderRequest thumbnail = new RenderRequest(1, "image/jpeg", null, null, 128, 128, 0);
        if (round % 8 == 7) {
            return List.of(own, thumbnail, new RenderRequest(1, "image/png", null, null, 0, 0, 0));
        }
        if (image.windowCenter() == null) {
            return List.of(own, thumbnail);
        }
        return List.of(own, new RenderRequest(1, "image/jpeg", image.windowCenter(), image.windowWidth(), 0, 0, 0), thumbnail);
    }

    private static Duration processCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
