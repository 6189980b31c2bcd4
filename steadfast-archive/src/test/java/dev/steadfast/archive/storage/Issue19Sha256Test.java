package dev.steadfast.archive.storage;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 19: ingest hashes with libcrypto when it can; its digests must be the JDK's, whatever the
 * sizes and splits of the updates (the network hands over odd pieces), across digest() and clone().
 */
class Issue19Sha256Test {

    @Test
    void libcryptoIsUsedWhereItIsInstalledAndTheJvmAllowsIt() {
        // The test JVM grants native access (surefire argLine), as the launcher and the jar's manifest do.
        boolean installed = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
                || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/libcrypto.so.3"));
        assumeTrue(installed && Runtime.version().feature() >= 22, "no libcrypto.so.3 or JDK < 22");
        assertThat(Sha256.isNative()).isTrue();
    }

    @Test
    void digestsAreTheJdksForAnySplitOfTheBytes() throws Exception {
        Random random = new Random(19);
        for (int round = 0; round < 200; round++) {
            byte[] data = new byte[round < 100 ? round : random.nextInt(300_000)];
            random.nextBytes(data);
            MessageDigest ours = Sha256.newDigest();
            MessageDigest jdk = Sha256.jdk();
            int at = 0;
            while (at < data.length) {
                int n = Math.min(data.length - at, random.nextInt(70_000) + 1);
                if (n == 1) {
                    ours.update(data[at]);
                } else {
                    ours.update(data, at, n);
                }
                jdk.update(data, at, n);
                at += n;
            }
            MessageDigest copy = (MessageDigest) ours.clone();
            copy.update((byte) 7);
            String expected = HexFormat.of().formatHex(jdk.digest());
            assertThat(HexFormat.of().formatHex(ours.digest())).as("round %d, %d bytes", round, data.length)
                    .isEqualTo(expected);
            // digest() resets: the same object hashes the next input from scratch
            ours.update(data);
            assertThat(HexFormat.of().formatHex(ours.digest())).isEqualTo(expected);
        }
    }
}
