package dev.steadfast.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code STEADFAST_*} environment variables the configuration knows. Any other one is a
 * mistake (a typo such as {@code STEADFAST_DICOM_AE_TTILE} would otherwise leave the default in
 * force without a word), so it stops the command, naming the closest known variable.
 */
public final class EnvironmentVariables {
    static final String PREFIX = "STEADFAST_";

    /**
     * Variables that are not options of the configuration but are read elsewhere, so they are
     * allowed: the test suite's corpus folder, the {@code steadfast} launcher's switch and the JDK
     * lookup that the launcher and {@code mvnw} share ({@code .mvn/jdk.sh}). docs/DEPLOYMENT.md
     * lists them; keep both in step.
     */
    public static final Set<String> NOT_OPTIONS = Set.of("STEADFAST_TESTDATA", "STEADFAST_NO_CDS", "STEADFAST_JDK_DIRS");

    private EnvironmentVariables() {
    }

    /** Every variable {@link ConfigLoader} reads or tolerates, sorted. */
    public static Set<String> known() {
        Set<String> known = new TreeSet<>(NOT_OPTIONS);
        known.add(ConfigLoader.REMOTE_AES_ENV);
        for (ConfigOptions.Option o : ConfigOptions.ALL) {
            known.add(o.environmentVariable());
        }
        return known;
    }

    /** Throws for the first unknown {@code STEADFAST_*} variable (in name order, so the message is stable). */
    static void check(Map<String, String> env) {
        Set<String> known = known();
        List<String> unknown = new ArrayList<>();
        for (String name : new TreeSet<>(env.keySet())) {
            if (name.startsWith(PREFIX) && !known.contains(name)) {
                unknown.add(name);
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        String name = unknown.getFirst();
        String closest = closest(name, known);
        throw new ConfigException(name, "unknown environment variable" + (closest == null ? "" : " (did you mean " + closest + "?)")
                + "; unset it, or see docs/DEPLOYMENT.md for the variables there are"
                + (unknown.size() > 1 ? " (also unknown: " + String.join(", ", unknown.subList(1, unknown.size())) + ")" : ""));
    }

    /** The known name nearest by edit distance, if it is near enough to be a plausible typo. */
    static String closest(String name, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(name, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        String suffix = name.substring(PREFIX.length());
        return bestDistance <= Math.max(2, suffix.length() / 3) ? best : null;
    }

    /** Optimal string alignment distance: a swap of two neighbours (TTILE for TITLE) counts as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
