package dev.steadfast.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.server.Main;
import dev.steadfast.server.node.ArchiveNode;
import dev.steadfast.server.testing.TestNodes;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: one machine needs no identity provider. {@code steadfast user add} keeps a PBKDF2 hash
 * (never the password) in the file {@code http.auth.users-file} names; serve then wants HTTP Basic
 * credentials of a user with the right role, and sees users added while it runs.
 */
class Issue14BuiltInUsersTest {
    private static final String ALICE_PASSWORD = "correct horse battery";
    private static final String BOB_PASSWORD = "staple-and-more-words";

    @TempDir
    Path tmp;

    @Test
    void usersAddedWithTheCliAreWhoHttpServes() throws Exception {
        Path users = tmp.resolve("conf/users");
        assertThat(user(0, ALICE_PASSWORD, "add", "--users-file", users.toString(), "--roles", "read", "alice")).contains("added alice");
        String file = Files.readString(users);
        assertThat(file).contains("alice:read:pbkdf2-sha256$600000$").doesNotContain(ALICE_PASSWORD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(users))).isEqualTo("rw-------");
        assertThat(user(1, "short", "add", "--users-file", users.toString(), "--roles", "read", "carol")).contains("at least 12");
        assertThat(user(2, ALICE_PASSWORD, "add", "--users-file", users.toString(), "--roles", "reader", "carol")).contains("unknown role");

        try (ArchiveNode node = TestNodes.start(tmp, TestNodes.indexUrl(TestNodes.Db.SQLITE, tmp),
                Map.of("http.auth.users-file", users.toString(), "api.delete-enabled", "true"), List.of())) {
            String root = "http://127.0.0.1:" + node.httpPort();
            String studies = root + "/dicom-web/studies";
            HttpResponse<String> none = Web.get(studies);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().allValues("WWW-Authenticate"))
                    .containsExactly("Basic realm=\"steadfast\", charset=\"UTF-8\"", "Bearer realm=\"steadfast\"");

            assertThat(Web.get(studies, "Accept", "application/dicom+json", "Authorization", Web.basic("alice", ALICE_PASSWORD))
                    .statusCode()).isIn(200, 204);
            assertThat(Web.get(studies, "Authorization", Web.basic("alice", "wrong password!")).statusCode()).isEqualTo(401);
            assertThat(Web.get(studies, "Authorization", Web.basic("mallory", ALICE_PASSWORD)).statusCode()).isEqualTo(401);
            assertThat(Web.stow(root + "/dicom-web", Web.uid(), "Authorization", Web.basic("alice", ALICE_PASSWORD)).statusCode())
                    .isEqualTo(403);
            assertThat(Web.get(root + "/api/statistics", "Authorization", Web.basic("alice", ALICE_PASSWORD)).statusCode()).isEqualTo(403);
            // Issue 15: the cluster's membership holds no patient data; the read role may poll it.
            assertThat(Web.get(root + "/api/cluster", "Authorization", Web.basic("alice", ALICE_PASSWORD)).body())
                    .contains("\"state\":\"up\"");
            assertThat(Web.get(root + "/api/cluster").statusCode()).isEqualTo(401);
            assertThat(Web.get(root + "/health").statusCode()).isEqualTo(200);

            // Added while serve runs: no restart.
            user(0, BOB_PASSWORD, "add", "--users-file", users.toString(), "--roles", "write,admin", "bob");
            assertThat(Web.get(root + "/api/statistics", "Authorization", Web.basic("bob", BOB_PASSWORD)).statusCode()).isEqualTo(200);
            String study = Web.uid();
            HttpResponse<String> stow = Web.stow(root + "/dicom-web", study, "Authorization", Web.basic("bob", BOB_PASSWORD));
            assertThat(stow.statusCode()).isEqualTo(200);
            // The audit record of a deletion names who did it, not just from where.
            assertThat(Web.delete(root + "/api/studies/" + study + "?reason=test", "Authorization", Web.basic("alice", ALICE_PASSWORD))
                    .statusCode()).isEqualTo(403);
            HttpResponse<String> deleted = Web.delete(root + "/api/studies/" + study + "?reason=test",
                    "Authorization", Web.basic("bob", BOB_PASSWORD));
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
            assertThat(deleted.body()).contains("\"deletedBy\":\"http bob@127.0.0.1\"");
            assertThat(user(0, null, "list", "--users-file", users.toString())).contains("alice\tread", "bob\twrite,admin");

            // An API token for a script (Prometheus): shown once, only its hash kept, sent as Bearer.
            String token = user(0, null, "token", "--users-file", users.toString(), "--roles", "read", "prometheus").lines()
                    .filter(l -> l.startsWith("sf_")).findFirst().orElseThrow();
            assertThat(Files.readString(users)).contains("prometheus:read:token-sha256$").doesNotContain(token);
            assertThat(Web.get(root + "/metrics", "Authorization", Web.bearer(token)).statusCode()).isEqualTo(200);
            assertThat(Web.get(studies, "Accept", "application/dicom+json", "Authorization", Web.bearer(token)).statusCode()).isIn(200, 204);
            assertThat(Web.stow(root + "/dicom-web", Web.uid(), "Authorization", Web.bearer(token)).statusCode()).isEqualTo(403);
            assertThat(Web.get(studies, "Authorization", Web.bearer(token + "x")).statusCode()).isEqualTo(401);
            assertThat(Web.get(studies, "Authorization", Web.basic("prometheus", token)).statusCode()).isEqualTo(401);
            assertThat(user(0, null, "list", "--users-file", users.toString())).contains("prometheus\tread\ttoken", "alice\tread\tpassword");

            // Removed while serve runs: refused from then on, even though the password was just accepted.
            user(0, null, "remove", "--users-file", users.toString(), "alice");
            assertThat(Web.get(studies, "Authorization", Web.basic("alice", ALICE_PASSWORD)).statusCode()).isEqualTo(401);
        }
    }

    /** Runs {@code steadfast user ...} with {@code password} on stdin; returns stdout + stderr. */
    private static String user(int expectedExit, String password, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream stdin = System.in;
        String[] all = new String[args.length + (password == null ? 1 : 2)];
        all[0] = "user";
        System.arraycopy(args, 0, all, 1, args.length);
        if (password != null) {
            // before the name: picocli takes options anywhere
            all[all.length - 1] = "--password-stdin";
            System.setIn(new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)));
        }
        try {
            int code = Main.execute(new PrintWriter(out), new PrintWriter(err, true), all);
            assertThat(code).as(out + " " + err).isEqualTo(expectedExit);
        } finally {
            System.setIn(stdin);
        }
        return out + err.toString();
    }
}
