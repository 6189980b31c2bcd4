package dev.steadfast.web.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Behind HAProxy in HTTP mode ({@code option forwardfor}): for a request that comes from a trusted
 * balancer, the client's address is the last {@code X-Forwarded-For} value (the one the balancer
 * appended; earlier ones are whatever the client sent), and everything after this handler (audit
 * records, logs) sees it as the request's remote address. From anyone else the header is ignored.
 */
public final class ForwardedForHandler extends Handler.Wrapper {
    private final Predicate<InetAddress> trusted;

    public ForwardedForHandler(Handler next, Predicate<InetAddress> trusted) {
        super(next);
        this.trusted = trusted;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        SocketAddress peer = request.getConnectionMetaData().getRemoteSocketAddress();
        if (peer instanceof InetSocketAddress from && trusted.test(from.getAddress())) {
            InetAddress client = lastForwardedFor(request);
            if (client != null) {
                InetSocketAddress address = new InetSocketAddress(client, 0);
                ConnectionMetaData meta = new ConnectionMetaData.Wrapper(request.getConnectionMetaData()) {
                    @Override
                    public SocketAddress getRemoteSocketAddress() {
                        return address;
                    }
                };
                request = new Request.Wrapper(request) {
                    @Override
                    public ConnectionMetaData getConnectionMetaData() {
                        return meta;
                    }
                };
            }
        }
        return super.handle(request, response, callback);
    }

    /** The last address in the last {@code X-Forwarded-For} field; null when there is none or it is no numeric address. */
    static InetAddress lastForwardedFor(Request request) {
        String last = null;
        for (HttpField f : request.getHeaders()) {
            if (f.getName().equalsIgnoreCase("X-Forwarded-For")) {
                last = f.getValue();
            }
        }
        if (last == null) {
            return null;
        }
        String value = last.substring(last.lastIndexOf(',') + 1).strip();
        if (value.isEmpty()) {
            return null;
        }
        for (char c : value.toCharArray()) { // a literal only: never a DNS query for what a header says
            if (Character.digit(c, 16) < 0 && c != '.' && c != ':') {
                return null;
            }
        }
        try {
            return InetAddress.getByName(value);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
