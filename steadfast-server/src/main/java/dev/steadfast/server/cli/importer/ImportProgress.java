package dev.steadfast.server.cli.importer;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows an import's progress on stderr (stdout is for the summary): a redrawn bar on a terminal,
 * otherwise one plain line every few seconds, which a log file or CI output keeps readable.
 */
public final class ImportProgress implements AutoCloseable {
    /** How progress is shown. */
    public enum Mode { AUTO, BAR, LINES, NONE }

    private final ImportReport report;
    private final PrintWriter err;
    private final ScheduledExecutorService ticker;
    private ProgressBar bar;

    public ImportProgress(ImportReport report, Mode mode, PrintWriter err, int lineSeconds) {
        this.report = report;
        this.err = err;
        Mode m = mode == Mode.AUTO ? (stderrLooksLikeTerminal() ? Mode.BAR : Mode.LINES) : mode;
        if (m == Mode.NONE || (m == Mode.LINES && lineSeconds <= 0)) {
            ticker = null;
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "import-progress");
            t.setDaemon(true);
            return t;
        });
        if (m == Mode.BAR) {
            bar = new ProgressBarBuilder().setTaskName("import").setInitialMax(0).setUnit(" files", 1)
                    .setStyle(ProgressBarStyle.ASCII).continuousUpdate().build();
            ticker.scheduleAtFixedRate(this::redraw, 0, 500, TimeUnit.MILLISECONDS);
        } else {
            ticker.scheduleAtFixedRate(this::line, lineSeconds, lineSeconds, TimeUnit.SECONDS);
        }
    }

    /**
     * The JDK cannot ask whether stderr is a terminal; a console with both ends attached is the
     * best hint (and {@code --progress} overrides it).
     */
    private static boolean stderrLooksLikeTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try { // Console.isTerminal() exists from JDK 22; on 21 a console means a terminal
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    private synchronized void redraw() {
        if (bar == null) {
            return;
        }
        bar.maxHint(report.discovered.get());
        bar.stepTo(report.processed());
        bar.setExtraMessage(rates());
    }

    private void line() {
        err.println(String.format(Locale.ROOT, "import: %d/%d files, %s, %d failed", report.processed(),
                report.discovered.get(), rates(), report.failed.get()));
        err.flush();
    }

    private String rates() {
        double s = Math.max(report.elapsedSeconds(), 1e-3);
        return String.format(Locale.ROOT, "%.0f instances/s, %.1f MB/s", report.instances() / s, report.bytes.get() / 1e6 / s);
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (bar != null) {
            redraw();
            bar.close();
            bar = null;
        }
    }
}
