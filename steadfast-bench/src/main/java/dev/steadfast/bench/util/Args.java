package dev.steadfast.bench.util;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} and {@code --flag} command-line options of the benchmark tools; no dependency. */
public final class Args {
    private final Map<String, String> values = new HashMap<>();

    public Args(String[] args, String usage) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println(usage);
                System.exit(0);
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a + "\n" + usage);
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(name, args[++i]);
            } else {
                values.put(name, "true");
            }
        }
    }

    public String get(String name, String def) {
        return values.getOrDefault(name, def);
    }

    public String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    public int getInt(String name, int def) {
        return Integer.parseInt(get(name, String.valueOf(def)).replace("_", ""));
    }

    public long getLong(String name, long def) {
        return Long.parseLong(get(name, String.valueOf(def)).replace("_", ""));
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(get(name, "false"));
    }

    /** A comma-separated list, e.g. {@code --assocs 1,4,16}. */
    public List<String> list(String name, String def) {
        return List.of(get(name, def).split(","));
    }
}
