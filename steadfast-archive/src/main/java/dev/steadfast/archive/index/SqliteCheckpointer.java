package dev.steadfast.archive.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * SQLite WAL checkpoints off the commit path (issue 19). SQLite's automatic checkpoint runs inside the
 * commit that takes the WAL past 1,000 pages: that commit, and every store waiting on its group
 * commit, waits while the pages are copied back into the database file and the file is fsync'd. In a
 * small index those pages are few and adjacent; in an index of millions of instances every stored
 * instance dirties a page of the SOP Instance UID index somewhere else, so each checkpoint writes
 * hundreds of scattered pages (docs/PERFORMANCE.md, "Scale: 2 million instances").
 *
 * <p>The index's connections do not checkpoint ({@code wal_autocheckpoint=0}); this thread does, every
 * {@code period}, in PASSIVE mode (it never waits for a writer or a reader). Under continuous writes a
 * passive checkpoint never catches up with the last frame, so SQLite cannot start the WAL over: past
 * {@code restartFrames} a RESTART checkpoint waits for the writers once, which bounds the WAL as the
 * automatic checkpoint did. Durability is unchanged: a commit is fsync'd in the WAL before it returns,
 * and a checkpoint only copies committed pages.
 */
final class SqliteCheckpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SqliteCheckpointer.class);

    private final DataSource ds;
    private final Duration period;
    private final long restartFrames;
    private final Thread thread;
    private volatile boolean closed;

    SqliteCheckpointer(DataSource ds, Duration period, long restartFrames) {
        this.ds = ds;
        this.period = period;
        this.restartFrames = restartFrames;
        this.thread = Thread.ofPlatform().daemon().name("steadfast-index-checkpoint").start(this::run);
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(period);
                checkpoint();
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    log.debug("index checkpoint: {}", e.getMessage()); // the next round tries again
                }
            }
        }
    }

    /** One passive checkpoint, and a restart of the WAL when it has grown past the limit; returns the WAL's frames. */
    long checkpoint() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            long frames;
            try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rs.next();
                frames = rs.getLong(2); // busy, frames in the WAL, frames checkpointed
            }
            if (frames > restartFrames) {
                try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(RESTART)")) {
                    rs.next();
                    frames = rs.getLong(2);
                }
            }
            return frames;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
