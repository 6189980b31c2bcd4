package dev.steadfast.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Where a peer may call from: one address ({@code 10.0.0.5}, {@code ::1}), a network in CIDR form
 * ({@code 10.1.0.0/16}, {@code fd00::/8}) or a host name, resolved when a peer calls (so a DNS
 * change is followed; a name that does not resolve matches nothing).
 */
public record HostPattern(String text, byte[] network, int prefixBits) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    /** Parses {@code text}; {@code key} names the option in the error. */
    public static HostPattern parse(String key, String text) {
        String t = text == null ? "" : text.strip();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        if (IPV4.matcher(addr).matches() || addr.contains(":")) {
            byte[] bytes = literal(key, addr);
            int bits = bytes.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(t.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                ConfigException.check(bits >= 0 && bits <= bytes.length * 8, key, "bad prefix length in '" + t + "'");
            }
            return new HostPattern(t, bytes, bits);
        }
        ConfigException.check(slash < 0 && HOST_NAME.matcher(t).matches(), key,
                "expected an IP address, a network (10.0.0.0/8) or a host name, got '" + t + "'");
        return new HostPattern(t, null, 0);
    }

    private static byte[] literal(String key, String addr) {
        for (char c : addr.toCharArray()) { // a literal only: never a DNS query while reading the configuration
            ConfigException.check(Character.digit(c, 16) >= 0 || c == '.' || c == ':', key, "not an IP address: '" + addr + "'");
        }
        try {
            return InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException(key, "not an IP address: '" + addr + "'");
        }
    }

    /** Whether {@code peer} is this address, inside this network, or one of this host name's addresses. */
    public boolean matches(InetAddress peer) {
        if (peer == null) {
            return false;
        }
        if (network == null) {
            try {
                for (InetAddress a : InetAddress.getAllByName(text)) {
                    if (a.equals(peer)) {
                        return true;
                    }
                }
            } catch (UnknownHostException e) {
                return false;
            }
            return false;
        }
        byte[] p = peer.getAddress();
        if (p.length != network.length) {
            return false;
        }
        int full = prefixBits / 8;
        for (int i = 0; i < full; i++) {
            if (p[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (p[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostPattern h && h.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
