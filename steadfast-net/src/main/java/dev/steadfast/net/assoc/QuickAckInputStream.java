package dev.steadfast.net.assoc;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import jdk.net.ExtendedSocketOptions;

/**
 * The socket's input, with Linux {@code TCP_QUICKACK} re-armed before every read.
 *
 * <p>Why: a sender that leaves Nagle on (many modalities, and storescu without
 * {@code TCP_NODELAY}) holds its next small segment until the previous one is acknowledged,
 * while Linux delays that acknowledgement by up to 40 ms: about 20 small instances/s however
 * fast the archive is (docs/PERFORMANCE.md, "The Nagle case"). Quick ACK ends the stall, but
 * the kernel clears it after use, so it is set again before each read. Where the option does
 * not exist (not Linux) or the socket refuses it, reads go on without it.
 */
final class QuickAckInputStream extends FilterInputStream {
    /** Sets the option once; false when it cannot be set (then it is not tried again). */
    interface Arm {
        boolean arm();
    }

    private final Arm arm;
    private boolean enabled = true;

    QuickAckInputStream(InputStream in, Arm arm) {
        super(in);
        this.arm = arm;
    }

    /** The socket's input stream with quick ACK re-armed per read, or the plain stream where the option is missing. */
    static InputStream of(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        if (!socket.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK)) {
            return in;
        }
        return new QuickAckInputStream(in, () -> {
            try {
                socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
                return true;
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        });
    }

    private void rearm() {
        if (enabled) {
            enabled = arm.arm();
        }
    }

    @Override
    public int read() throws IOException {
        rearm();
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        rearm();
        return in.read(b, off, len);
    }
}
