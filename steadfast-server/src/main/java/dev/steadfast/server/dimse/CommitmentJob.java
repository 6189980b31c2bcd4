package dev.steadfast.server.dimse;

import dev.steadfast.server.config.RemoteAeConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A storage commitment request accepted and not yet answered, as the data of the durable
 * {@value #NAME} cluster job: where the report goes and what to check. Plain lines (UIDs and AE
 * titles hold no line breaks), so a job written by one version is read by the next.
 *
 * @param items referenced SOP class and instance UIDs, as received
 */
public record CommitmentJob(String ourAeTitle, RemoteAeConfig requestor, String transactionUid, List<String[]> items) {
    public static final String NAME = "commitment-report";
    private static final String VERSION = "commitment-report/1";

    public String encode() {
        StringBuilder b = new StringBuilder(VERSION).append('\n')
                .append(ourAeTitle).append('\n')
                .append(requestor.name()).append('\n')
                .append(requestor.aeTitle()).append('\n')
                .append(requestor.host()).append('\n')
                .append(requestor.port()).append('\n')
                .append(requestor.tls()).append('\n')
                .append(transactionUid).append('\n');
        for (String[] item : items) {
            b.append(item[0] == null ? "" : item[0]).append('\\').append(item[1] == null ? "" : item[1]).append('\n');
        }
        return b.toString();
    }

    public static CommitmentJob decode(String data) {
        String[] lines = data.split("\n", -1);
        if (lines.length < 8 || !VERSION.equals(lines[0])) {
            throw new IllegalArgumentException("not a " + VERSION + " job");
        }
        RemoteAeConfig requestor = new RemoteAeConfig(lines[2], lines[3], lines[4], Integer.parseInt(lines[5]),
                Boolean.parseBoolean(lines[6]));
        List<String[]> items = new ArrayList<>();
        for (int i = 8; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            int sep = lines[i].indexOf('\\');
            String cls = lines[i].substring(0, sep);
            String inst = lines[i].substring(sep + 1);
            items.add(new String[] {cls.isEmpty() ? null : cls, inst.isEmpty() ? null : inst});
        }
        return new CommitmentJob(lines[1], requestor, lines[7], items);
    }
}
