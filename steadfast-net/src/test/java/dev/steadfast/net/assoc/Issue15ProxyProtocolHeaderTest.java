package dev.steadfast.net.assoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Issue 15: the PROXY protocol headers a balancer sends before the client's bytes (HAProxy's
 * proxy-protocol.txt, versions 1 and 2), read to their last byte and no further. HAProxy's own
 * v2 header is exercised end to end by Issue15ProxyProtocolTest in the server module.
 */
class Issue15ProxyProtocolHeaderTest {
    private static InetSocketAddress read(byte[] bytes, InputStream[] rest) throws IOException {
        InputStream in = new ByteArrayInputStream(bytes);
        InetSocketAddress a = ProxyProtocol.read(in.read(), in);
        rest[0] = in;
        return a;
    }

    @org.junit.jupiter.api.Test
    void versionOneNamesTheClientAndLeavesTheAssociationsBytes() throws IOException {
        InputStream[] rest = new InputStream[1];
        byte[] v1 = "PROXY TCP4 192.0.2.7 10.0.0.11 40112 11112\r\n\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(read(v1, rest)).isEqualTo(new InetSocketAddress("192.0.2.7", 40112));
        assertThat(rest[0].read()).as("the A-ASSOCIATE-RQ's first byte, untouched").isEqualTo(1);

        byte[] v6 = "PROXY TCP6 2001:db8::7 2001:db8::1 40112 11112\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(read(v6, rest).getAddress().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(read("PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII), rest)).as("the balancer's own").isNull();
    }

    @org.junit.jupiter.api.Test
    void versionTwoNamesTheClientAndLocalIsTheBalancerItself() throws IOException {
        byte[] sig = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
        byte[] proxy = new byte[16 + 12 + 1];
        System.arraycopy(sig, 0, proxy, 0, 12);
        proxy[12] = 0x21; // version 2, PROXY
        proxy[13] = 0x11; // TCP over IPv4
        proxy[15] = 12;
        byte[] addresses = {(byte) 192, 0, 2, 7, 10, 0, 0, 11, (byte) 0x9C, (byte) 0xB0, 0x2B, 0x68};
        System.arraycopy(addresses, 0, proxy, 16, 12);
        proxy[28] = 1;
        InputStream[] rest = new InputStream[1];
        assertThat(read(proxy, rest)).isEqualTo(new InetSocketAddress("192.0.2.7", 0x9CB0));
        assertThat(rest[0].read()).isEqualTo(1);

        byte[] local = new byte[16];
        System.arraycopy(sig, 0, local, 0, 12);
        local[12] = 0x20; // version 2, LOCAL (a health check)
        assertThat(read(local, rest)).isNull();
    }

    @org.junit.jupiter.api.Test
    void anythingElseIsRefused() {
        InputStream[] rest = new InputStream[1];
        assertThatThrownBy(() -> read(new byte[] {1, 0, 0, 0}, rest)).isInstanceOf(ProxyProtocol.BadHeaderException.class)
                .hasMessageContaining("no PROXY protocol header (first byte 01H)");
        assertThatThrownBy(() -> read("PROXY TCP4 evil.example 10.0.0.1 1 2\r\n".getBytes(StandardCharsets.US_ASCII), rest))
                .isInstanceOf(ProxyProtocol.BadHeaderException.class);
        assertThatThrownBy(() -> read(("PROXY " + "x".repeat(200)).getBytes(StandardCharsets.US_ASCII), rest))
                .isInstanceOf(ProxyProtocol.BadHeaderException.class).hasMessageContaining("longer than");
        assertThatThrownBy(() -> read("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n".getBytes(StandardCharsets.US_ASCII), rest))
                .isInstanceOf(ProxyProtocol.BadHeaderException.class).hasMessageContaining("CRLF");
    }
}
