package dev.steadfast.bench.load;

import dev.steadfast.bench.util.Args;
import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * An experiment for the Nagle case: a TCP relay in front of an SCP whose accepted sockets re-arm
 * Linux's {@code TCP_QUICKACK} after every read (and set {@code TCP_NODELAY}). A sender that
 * leaves Nagle on waits for the ACK of its previous small segment before sending the next; the
 * receiver's delayed ACK (up to 40 ms) is what it waits for. If the relay restores the rate, the
 * receiver-side fix is quick ACKs.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.load.QuickAckRelay --port LISTEN --to PORT [--quickack true]</pre>
 */
public final class QuickAckRelay {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "QuickAckRelay --port LISTEN --to PORT [--quickack true]");
        int to = a.getInt("to", 11112);
        boolean quick = Boolean.parseBoolean(a.get("quickack", "true"));
        try (ServerSocket ss = new ServerSocket(a.getInt("port", 0), 50, InetAddress.getLoopbackAddress())) {
            System.out.println("READY " + ss.getLocalPort());
            while (true) {
                Socket in = ss.accept();
                Socket out = new Socket(InetAddress.getLoopbackAddress(), to);
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> pump(in, out, quick));
                Thread.ofVirtual().start(() -> pump(out, in, false));
            }
        }
    }

    private static void pump(Socket from, Socket to, boolean quickAck) {
        byte[] buf = new byte[65536];
        try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
            int n;
            while (true) {
                if (quickAck) {
                    from.setOption(ExtendedSocketOptions.TCP_QUICKACK, true); // Linux clears it; re-arm per read
                }
                n = i.read(buf);
                if (n < 0) {
                    break;
                }
                o.write(buf, 0, n);
            }
        } catch (IOException e) {
            // connection closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
