package dev.steadfast.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.Main;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: every kind of HTTP route serve has, asked without credentials and as a user of each role,
 * gets what docs/SECURITY.md's path table says: open routes answer anyone; the rest 401 without
 * credentials, 403 with valid credentials lacking the role (roles do not imply each other, so an admin
 * without {@code read} is refused a QIDO), and with the role pass authentication (the route's own answer).
 * One table, so a route family added later is asked the same way.
 */
class Issue14RoleMatrixTest {
    private static final String PASSWORD = "a long enough password";

    /** What a request needs: "open", "any" (any valid credentials) or a role's name. */
    private record Case(String method, String path, String needs) {
    }

    @TempDir
    Path tmp;

    @Test
    void everyRouteFamilyAnswersEachRoleAsTheSecurityTableSays() throws Exception {
        Path users = tmp.resolve("users");
        for (String role : List.of("read", "write", "admin")) {
            user(users, role);
        }
        String study = Web.uid();
        List<Case> cases = List.of(
                new Case("GET", "/health", "open"),
                new Case("GET", "/status", "open"),
                new Case("OPTIONS", "/dicom-web/studies", "open"),
                new Case("GET", "/metrics", "any"),
                new Case("GET", "/no-such-thing", "any"),
                new Case("GET", "/dicom-web/studies", "read"),
                new Case("HEAD", "/dicom-web/studies", "read"),
                new Case("GET", "/dicom-web/studies/" + study + "/metadata", "read"),
                new Case("GET", "/dicom-web/wado?requestType=WADO&studyUID=" + study + "&seriesUID=1.2&objectUID=1.2.3", "read"),
                new Case("POST", "/dicom-web/studies", "write"),
                new Case("DELETE", "/dicom-web/studies/" + study, "admin"),
                new Case("GET", "/api/cluster", "read"),
                new Case("GET", "/api/forwarding", "read"),
                new Case("POST", "/api/forwarding/NOWHERE/pause", "admin"),
                new Case("GET", "/api/statistics", "admin"),
                new Case("GET", "/api/studies", "admin"),
                new Case("DELETE", "/api/studies/" + study + "?reason=test", "admin"),
                new Case("PATCH", "/api/studies/" + study, "admin"),
                new Case("GET", "/api/rejections", "admin"),
                new Case("GET", "/api/hl7/dead-letters", "admin"),
                new Case("GET", "/api/hl7/destinations", "admin"),
                new Case("GET", "/api/workflow", "admin"),
                new Case("GET", "/api/inventory/studies", "admin"),
                new Case("GET", "/%61pi/statistics", "admin")); // percent-encoded: still the admin API

        List<String> wrong = new ArrayList<>();
        try (ArchiveNode node = TestNodes.start(tmp.resolve("data"), TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp.resolve("data")),
                Map.of("http.auth.users-file", users.toString(), "api.delete-enabled", "true"), List.of())) {
            String root = "http://127.0.0.1:" + node.httpPort();
            for (Case c : cases) {
                int none = send(root, c, null);
                if (c.needs().equals("open") ? none == 401 || none == 403 : none != 401) {
                    wrong.add(c + " without credentials: " + none);
                }
                for (String role : List.of("read", "write", "admin")) {
                    int status = send(root, c, Web.basic(role, PASSWORD));
                    boolean allowed = c.needs().equals("open") || c.needs().equals("any") || c.needs().equals(role);
                    if (allowed ? status == 401 || status == 403 : status != 403) {
                        wrong.add(c + " as " + role + ": " + status);
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static int send(String root, Case c, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + c.path()));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        b.method(c.method(), c.method().equals("POST") || c.method().equals("PATCH")
                ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (c.method().equals("POST") && c.path().startsWith("/dicom-web")) {
            b.header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=xyzzy");
        } else if (c.method().equals("POST") || c.method().equals("PATCH")) {
            b.header("Content-Type", "application/json");
        }
        return Web.HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** {@code steadfast user add} of a user named after its one role. */
    private static void user(Path users, String role) {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)));
        try {
            StringWriter out = new StringWriter();
            int code = Main.execute(new PrintWriter(out), new PrintWriter(out, true),
                    "user", "add", "--users-file", users.toString(), "--roles", role, "--password-stdin", role);
            assertThat(code).as(out.toString()).isZero();
        } finally {
            System.setIn(stdin);
        }
    }
}
