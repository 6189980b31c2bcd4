package dev.steadfast.bench.peers;

import dev.steadfast.bench.util.Args;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

import java.nio.file.Path;

/**
 * The WADO-RS retrieve baseline of issue 19: a plain static file server, Jetty's own
 * {@link ResourceHandler} with its defaults (the same Jetty version serve runs), serving a folder
 * (serve's stored files of the study) to the same client. It adds nothing: no index, no checksum,
 * no multipart framing; one GET per file.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.peers.StaticFiles --dir DIR</pre>
 * Prints {@code READY http=P} when listening on 127.0.0.1; stops on end of standard input.
 */
public final class StaticFiles {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "StaticFiles --dir DIR [--port 0]");
        Server server = new Server();
        ServerConnector http = new ServerConnector(server);
        http.setHost("127.0.0.1");
        http.setPort(a.getInt("port", 0));
        server.addConnector(http);
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(files).newResource(Path.of(a.required("dir"))));
        files.setDirAllowed(false);
        server.setHandler(files);
        server.start();
        System.out.println("READY http=" + http.getLocalPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until the benchmark closes our standard input (or kills us)
        }
        server.stop();
    }
}
