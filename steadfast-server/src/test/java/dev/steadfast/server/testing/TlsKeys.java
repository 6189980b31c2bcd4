package dev.steadfast.server.testing;

import dev.steadfast.testing.Peers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys and certificates for the DICOM TLS tests, made at test time with the JDK's keytool and openssl in one
 * folder: the archive's key pair ({@code archive.p12}, {@code archive.crt}), peers' self-signed certificates
 * ({@code NAME.key}, {@code NAME.crt}), and the archive's trust store ({@code trust.p12}).
 */
public final class TlsKeys {
    public static final String PASSWORD = "changeit";

    public final Path dir;
    private final String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();

    public TlsKeys(Path dir) throws Exception {
        this.dir = Files.createDirectories(dir);
    }

    /** The archive's key pair, {@code keyAlgorithm} as keytool takes it (e.g. {@code -keyalg RSA -keysize 2048}). */
    public TlsKeys archive(String... keyAlgorithm) throws Exception {
        List<String> gen = new ArrayList<>(List.of(keytool, "-genkeypair", "-alias", "steadfast"));
        gen.addAll(List.of(keyAlgorithm));
        gen.addAll(List.of("-dname", "CN=steadfast", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", dir.resolve("archive.p12").toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
        run(gen);
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "steadfast", "-keystore", dir.resolve("archive.p12").toString(),
                "-storepass", PASSWORD, "-file", dir.resolve("archive.crt").toString()));
        return this;
    }

    /** A peer's self-signed certificate {@code name.crt} (and key) naming {@code host}. */
    public TlsKeys peer(String name, String host) throws Exception {
        run(List.of(Peers.tool("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve(name + ".key").toString(),
                "-out", dir.resolve(name + ".crt").toString(), "-subj", "/CN=" + host, "-addext", "subjectAltName=DNS:" + host,
                "-days", "2"));
        return this;
    }

    /** Adds peer {@code name}'s certificate to the archive's trust store. */
    public TlsKeys trust(String name) throws Exception {
        run(List.of(keytool, "-importcert", "-noprompt", "-alias", name, "-file", dir.resolve(name + ".crt").toString(),
                "-storetype", "PKCS12", "-keystore", dir.resolve("trust.p12").toString(), "-storepass", PASSWORD));
        return this;
    }

    /** serve's flags for a node in {@code data} with these keys on a TLS port beside the plain one (HTTP off). */
    public Map<String, String> nodeFlags(Path data) throws Exception {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("data", data.toString());
        flags.put("dicom.port", "0");
        flags.put("dicom.bind", "127.0.0.1");
        flags.put("http.enabled", "false");
        flags.put("index.url", TestNodes.indexUrl(TestNodes.Db.SQLITE, data));
        flags.put("shutdown.grace-seconds", "5");
        flags.put("dicom.tls.port", String.valueOf(Peers.freePort()));
        flags.put("dicom.tls.key-store", dir.resolve("archive.p12").toString());
        flags.put("dicom.tls.key-store-password", PASSWORD);
        flags.put("dicom.tls.trust-store", dir.resolve("trust.p12").toString());
        flags.put("dicom.tls.trust-store-password", PASSWORD);
        return flags;
    }

    private static void run(List<String> command) throws Exception {
        Peers.Result r = Peers.run(command, 60);
        assertThat(r.exitCode()).as(String.join(" ", command) + "\n" + r.output()).isZero();
    }
}
