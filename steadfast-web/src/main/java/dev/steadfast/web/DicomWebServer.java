package dev.steadfast.web;

import dev.steadfast.web.admin.AdminApi;
import dev.steadfast.web.viewer.ViewerHandler;
import dev.steadfast.web.admin.AdminService;
import dev.steadfast.web.auth.AuthHandler;
import dev.steadfast.web.auth.HttpAuth;
import dev.steadfast.web.http.Cors;
import dev.steadfast.web.http.RefusedUpload;
import dev.steadfast.web.http.RequestObserver;
import dev.steadfast.web.http.RouteHandler;
import dev.steadfast.web.status.StatusPageHandler;
import dev.steadfast.web.imaging.Imaging;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import java.util.concurrent.Executors;

/**
 * The DICOMweb services (PS3.18) on an embedded Jetty: a small platform-thread pool accepts
 * connections and every request runs on its own virtual thread, blocking on its streams.
 *
 * <pre>{@code
 * var server = new DicomWebServer(WebConfig.on("0.0.0.0", 8080), services);
 * server.start();   // ... server.stop();
 * }</pre>
 */
public final class DicomWebServer implements AutoCloseable {
    private final WebConfig config;
    private final Server jetty;
    private final ServerConnector connector;
    private final Imaging imaging;

    public DicomWebServer(WebConfig config, ArchiveServices services) {
        this(config, services, List.of());
    }

    /** With operational endpoints (health, metrics) on the same port, outside the DICOMweb context path. */
    public DicomWebServer(WebConfig config, ArchiveServices services, List<PlainEndpoint> endpoints) {
        this(config, services, endpoints, null, RequestObserver.NONE);
    }

    /**
     * With operational endpoints, the admin REST API under {@code /api} (null: none; no cross-origin
     * access to it) and an observer of every DICOMweb request (for metrics).
     */
    public DicomWebServer(WebConfig config, ArchiveServices services, List<PlainEndpoint> endpoints, AdminApi admin,
                          RequestObserver observer) {
        this(config, services, endpoints, admin, observer, HttpAuth.NONE);
    }

    /**
     * As above, with every request but {@code /health} and CORS preflights authenticated by
     * {@code auth} ({@link HttpAuth#NONE}: none, for loopback).
     */
    public DicomWebServer(WebConfig config, ArchiveServices services, List<PlainEndpoint> endpoints, AdminApi admin,
                          RequestObserver observer, HttpAuth auth) {
        this(config, services, endpoints, admin, List.of(), observer, auth);
    }

    /** As above, with more routes under {@code /api} beside the admin API's (the sites' inventory and reconcile, issue 17). */
    public DicomWebServer(WebConfig config, ArchiveServices services, List<PlainEndpoint> endpoints, AdminApi admin,
                          List<dev.steadfast.web.http.Route> moreAdminRoutes, RequestObserver observer, HttpAuth auth) {
        this.config = config;
        this.imaging = services.imaging();
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName("steadfast-web");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.jetty = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        this.connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        jetty.addConnector(connector);
        RefusedUpload refusals = new RefusedUpload(); // one bound on refused uploads drained at once, for every handler
        Handler routes = new RouteHandler(config.contextPath(), Routes.table(config, services), config.cors(),
                config.gzip(), config.publicBaseUrl(), observer, refusals);
        if (admin != null) {
            // Each handler declines paths outside its context, so the sequence finds the one that answers.
            routes = new Handler.Sequence(new RouteHandler("/api", java.util.stream.Stream.concat(
                    new AdminService(admin).routes().stream(), moreAdminRoutes.stream()).toList(), Cors.OFF,
                    config.gzip(), null, RequestObserver.NONE, refusals), routes);
        }
        Handler served = endpoints.isEmpty() ? routes : new PlainEndpointHandler(routes, endpoints);
        // The status page (no data of its own) before authentication; what it reads is checked as always.
        jetty.setHandler(new StatusPageHandler(new AuthHandler(served, auth, config.contextPath(), config.cors(), refusals)));
        jetty.setStopTimeout(5_000);
    }

    /**
     * Also serves the web viewer's build ({@code dist}, with its index.html) at {@code /viewer/} and its
     * files at the root, outside DICOMweb's authentication: the files hold no patient data, and the viewer
     * signs in itself. Call before {@link #start}.
     */
    public DicomWebServer withViewer(Path dist) {
        return withViewer(dist, null);
    }

    /** As {@link #withViewer(Path)}, the viewer signing its user in with OIDC ({@code signIn}, null: no sign-in). */
    public DicomWebServer withViewer(Path dist, ViewerSignIn signIn) {
        jetty.setHandler(new ViewerHandler(jetty.getHandler(), dist, config.contextPath(), signIn));
        return this;
    }

    /**
     * Behind an HTTP balancer: requests from an address {@code balancers} accepts are taken to come
     * from the last {@code X-Forwarded-For} address. Call after {@link #withViewer} and before {@link #start}.
     */
    public DicomWebServer trustForwardedFor(java.util.function.Predicate<java.net.InetAddress> balancers) {
        jetty.setHandler(new dev.steadfast.web.http.ForwardedForHandler(jetty.getHandler(), balancers));
        return this;
    }

    /**
     * At most {@code max} connections open at once (issue 14): past it the port stops accepting (new ones wait in
     * the listen backlog, and Jetty shortens the idle time-out of open ones to 5 s meanwhile), so clients that open
     * connections and send nothing cannot take every file descriptor the process has (DICOM's accepts and
     * storage's files fail then).
     * Call before {@link #start}.
     */
    public DicomWebServer limitConnections(int max) {
        org.eclipse.jetty.server.NetworkConnectionLimit limit = new org.eclipse.jetty.server.NetworkConnectionLimit(max, connector);
        limit.setEndPointIdleTimeout(5_000);
        jetty.addBean(limit);
        return this;
    }

    /** Binds and starts serving; returns once the port is open. */
    public DicomWebServer start() throws Exception {
        jetty.start();
        return this;
    }

    /** The bound port (the chosen one when configured with 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The service root, e.g. {@code http://127.0.0.1:8080/dicom-web}. */
    public URI baseUri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + port() + config.contextPath());
    }

    /** Stops accepting, lets running requests finish for a few seconds, then closes (and the imaging threads). */
    public void stop() throws Exception {
        try {
            jetty.stop();
        } finally {
            imaging.close();
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
