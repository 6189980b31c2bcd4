package dev.steadfast.server.node;

import java.net.BindException;

/** A port {@code serve} must listen on is taken: says which one, for the start-up message. */
public final class PortInUse extends BindException {
    private static final long serialVersionUID = 1L;

    /** "DICOM", "DICOM TLS", "HTTP" or "HL7". */
    private final String service;
    private final String address;
    private final int port;

    PortInUse(String service, String address, int port, Throwable cause) {
        super(service + " port " + port + " on " + address + (inUse(cause) ? " is already in use" : ": " + rootMessage(cause)));
        this.service = service;
        this.address = address;
        this.port = port;
        initCause(cause);
    }

    public String service() {
        return service;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** In use (EADDRINUSE), as opposed to an address that is not this machine's or a port below 1024 without the right. */
    public boolean inUse() {
        return inUse(getCause());
    }

    private static boolean inUse(Throwable t) {
        return rootMessage(t).toLowerCase(java.util.Locale.ROOT).contains("in use");
    }

    private static String rootMessage(Throwable t) {
        String m = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BindException && c.getMessage() != null) {
                m = c.getMessage();
            }
        }
        return m == null ? String.valueOf(t) : m;
    }

    /** The cause chain holds a {@link BindException}: the address or port is taken (or not ours to use). */
    static boolean isBindFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BindException) {
                return true;
            }
        }
        return false;
    }
}
