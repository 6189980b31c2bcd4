package dev.steadfast.server.node;

import dev.steadfast.server.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * This node's cluster id: {@code cluster.node-id} when set, else the one kept in {@code <data>/node-id}.
 * On first start that file is written as {@code <host name>-<DICOM port>} (readable in /api/cluster;
 * two nodes on one host differ by port), with a random suffix instead when the port is chosen at
 * start (0). Kept in a file rather than recomputed because container host names change at every
 * start: a recomputed id would turn each restart into a new node and leave the old one as a ghost.
 */
final class NodeIdentity {
    private NodeIdentity() {
    }

    static String resolve(String configured, Path data, int dicomPort) throws IOException {
        if (configured != null) {
            return configured;
        }
        Path file = data.resolve("node-id");
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                throw new ConfigException("cluster.node-id", file + " holds '" + id + "', not a node id; fix or delete it");
            }
            return id;
        }
        String id = hostName() + "-" + (dicomPort > 0 ? Integer.toString(dicomPort)
                : HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        Path tmp = data.resolve("node-id.tmp");
        Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return id;
    }

    private static String hostName() {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            h = "node";
        }
        h = h.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
        return h.isEmpty() ? "node" : h.length() > 48 ? h.substring(0, 48) : h;
    }
}
