package dev.steadfast.server.cli.storage;

import dev.steadfast.archive.scrub.Progress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr (stdout stays clean for the report) behind the archive's {@link Progress}. */
public final class ProgressBars implements Progress, AutoCloseable {
    private final String task;
    private ProgressBar bar;

    public ProgressBars(String task) {
        this.task = task;
    }

    @Override
    public synchronized void start(long objects) {
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(objects).setUnit(" objects", 1)
                .setStyle(ProgressBarStyle.ASCII).continuousUpdate().build();
    }

    @Override
    public void step() {
        ProgressBar b = bar;
        if (b != null) {
            b.step();
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
