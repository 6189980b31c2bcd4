package dev.steadfast.server.hl7;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * The listening socket handed to HAPI: HAPI binds to {@code new InetSocketAddress(port)}, every
 * interface (DEPENDENCIES.md section 8); this binds the configured address instead, and delegates
 * to a plain or TLS server socket. It also records the port actually bound (port 0 in tests).
 */
final class BoundServerSocket extends ServerSocket {
    private final ServerSocket delegate;
    private final InetAddress address;

    BoundServerSocket(ServerSocket delegate, InetAddress address) throws IOException {
        this.delegate = delegate;
        this.address = address;
    }

    @Override
    public void bind(SocketAddress endpoint) throws IOException {
        bind(endpoint, 50);
    }

    @Override
    public void bind(SocketAddress endpoint, int backlog) throws IOException {
        int port = endpoint instanceof InetSocketAddress a ? a.getPort() : 0;
        delegate.setReuseAddress(true);
        delegate.bind(new InetSocketAddress(address, port), backlog);
    }

    @Override
    public Socket accept() throws IOException {
        return delegate.accept();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        delegate.setSoTimeout(timeout);
    }

    @Override
    public int getLocalPort() {
        return delegate.getLocalPort();
    }

    @Override
    public InetAddress getInetAddress() {
        return delegate.getInetAddress();
    }

    @Override
    public boolean isBound() {
        return delegate.isBound();
    }

    @Override
    public boolean isClosed() {
        return delegate.isClosed();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
        super.close();
    }
}
