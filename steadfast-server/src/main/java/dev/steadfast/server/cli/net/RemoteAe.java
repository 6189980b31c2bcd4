package dev.steadfast.server.cli.net;

import picocli.CommandLine;

/** A peer written as dcmtk users expect: {@code AE@host:port}. */
public record RemoteAe(String aeTitle, String host, int port) {
    public static RemoteAe parse(String s) {
        int at = s.indexOf('@');
        int colon = s.lastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == s.length() - 1) {
            throw new IllegalArgumentException("expected AE@host:port, got '" + s + "'");
        }
        String ae = s.substring(0, at);
        if (ae.length() > 16) {
            throw new IllegalArgumentException("AE title longer than 16 characters: '" + ae + "'");
        }
        try {
            int port = Integer.parseInt(s.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new RemoteAe(ae, s.substring(at + 1, colon), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + s + "'");
        }
    }

    /** Lets picocli parse {@code AE@host:port} parameters. */
    public static final class Converter implements CommandLine.ITypeConverter<RemoteAe> {
        @Override
        public RemoteAe convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return aeTitle + "@" + host + ":" + port;
    }
}
