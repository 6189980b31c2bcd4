package dev.steadfast.net.assoc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The PROXY protocol header (HAProxy's "proxy-protocol.txt", versions 1 and 2) that a TCP load
 * balancer sends before the client's first byte, so that the archive sees the client's address
 * instead of the balancer's. Read byte for byte from the raw socket: nothing after the header is
 * consumed, so the association starts on the very next byte.
 */
public final class ProxyProtocol {
    /** The 12-byte signature of a version 2 header. */
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** A version 1 line is at most 107 bytes, CRLF included. */
    private static final int V1_MAX = 107;
    /** Version 2 address blocks and TLVs: HAProxy sends far less; more is no header we accept. */
    private static final int V2_MAX_LENGTH = 4096;

    /** Not a valid PROXY protocol header; the connection is closed. */
    public static final class BadHeaderException extends IOException {
        BadHeaderException(String message) {
            super(message);
        }
    }

    private ProxyProtocol() {
    }

    /** Whether a connection's first byte may begin a PROXY header (v1 'P', v2 CR); an A-ASSOCIATE-RQ begins with 01H. */
    public static boolean startsHeader(int firstByte) {
        return firstByte == 'P' || firstByte == 0x0D;
    }

    /**
     * Reads one header whose first byte was already read.
     *
     * @return the client's address and port, or null when the balancer speaks for itself (v2 LOCAL,
     *         v1 UNKNOWN: its health check)
     * @throws BadHeaderException when the bytes are no valid header
     */
    public static InetSocketAddress read(int firstByte, InputStream in) throws IOException {
        if (firstByte == 'P') {
            return readV1(in);
        }
        if (firstByte == 0x0D) {
            return readV2(in);
        }
        throw new BadHeaderException(firstByte < 0 ? "the connection closed before any PROXY header"
                : String.format("no PROXY protocol header (first byte %02XH)", firstByte));
    }

    private static InetSocketAddress readV1(InputStream in) throws IOException {
        byte[] line = new byte[V1_MAX];
        line[0] = 'P';
        int n = 1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new BadHeaderException("the connection closed inside a PROXY v1 header");
            }
            if (n == V1_MAX) {
                throw new BadHeaderException("PROXY v1 header longer than " + V1_MAX + " bytes");
            }
            line[n++] = (byte) b;
            if (b == '\n') {
                break;
            }
        }
        if (n < 2 || line[n - 2] != '\r') {
            throw new BadHeaderException("PROXY v1 header not ended by CRLF");
        }
        String[] f = new String(line, 0, n - 2, StandardCharsets.US_ASCII).split(" ");
        if (f.length < 2 || !f[0].equals("PROXY")) {
            throw new BadHeaderException("not a PROXY v1 header");
        }
        if (f[1].equals("UNKNOWN")) {
            return null;
        }
        if (f.length != 6 || !(f[1].equals("TCP4") || f[1].equals("TCP6"))) {
            throw new BadHeaderException("malformed PROXY v1 header");
        }
        InetAddress source = literal(f[2], f[1].equals("TCP4") ? 4 : 16);
        return new InetSocketAddress(source, port(f[4]));
    }

    private static InetSocketAddress readV2(InputStream in) throws IOException {
        byte[] head = new byte[16];
        head[0] = 0x0D;
        readFully(in, head, 1, 15);
        if (!Arrays.equals(head, 0, 12, V2_SIGNATURE, 0, 12)) {
            throw new BadHeaderException("not a PROXY v2 signature");
        }
        int versionCommand = head[12] & 0xff;
        if (versionCommand >> 4 != 2) {
            throw new BadHeaderException("PROXY v2 header with version " + (versionCommand >> 4));
        }
        int command = versionCommand & 0x0f;
        int family = head[13] & 0xff;
        int length = ((head[14] & 0xff) << 8) | (head[15] & 0xff);
        if (length > V2_MAX_LENGTH) {
            throw new BadHeaderException("PROXY v2 header of " + length + " bytes");
        }
        byte[] body = new byte[length];
        readFully(in, body, 0, length);
        if (command == 0) {
            return null; // LOCAL: the balancer's own connection (health check)
        }
        if (command != 1) {
            throw new BadHeaderException("PROXY v2 command " + command);
        }
        return switch (family) {
            case 0x11 -> { // TCP over IPv4: source, destination, source port, destination port
                need(length, 12);
                yield new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(body, 0, 4)), u16(body, 8));
            }
            case 0x21 -> { // TCP over IPv6
                need(length, 36);
                yield new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(body, 0, 16)), u16(body, 32));
            }
            case 0x00 -> null; // UNSPEC: no address to report
            default -> throw new BadHeaderException(String.format("PROXY v2 address family %02XH not supported", family));
        };
    }

    private static void need(int length, int needed) throws BadHeaderException {
        if (length < needed) {
            throw new BadHeaderException("PROXY v2 address block too short");
        }
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(b, off + done, len - done);
            if (n < 0) {
                throw new EOFException("the connection closed inside a PROXY v2 header");
            }
            done += n;
        }
    }

    /** A numeric address only: never a DNS query for what a peer sent. */
    private static InetAddress literal(String text, int bytes) throws BadHeaderException {
        for (char c : text.toCharArray()) {
            if (Character.digit(c, 16) < 0 && c != '.' && c != ':') {
                throw new BadHeaderException("PROXY v1 source is not an address");
            }
        }
        try {
            InetAddress a = InetAddress.getByName(text);
            if (bytes == 4 && a.getAddress().length != 4) {
                throw new BadHeaderException("PROXY v1 TCP4 source is not IPv4");
            }
            return a;
        } catch (java.net.UnknownHostException e) {
            throw new BadHeaderException("PROXY v1 source is not an address");
        }
    }

    private static int port(String text) throws BadHeaderException {
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadHeaderException("PROXY v1 port is not a port");
    }
}
