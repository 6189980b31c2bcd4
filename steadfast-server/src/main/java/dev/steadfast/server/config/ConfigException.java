package dev.steadfast.server.config;

/** A configuration value is wrong: names the option and says what is expected. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String option, String problem) {
        super(option + ": " + problem);
    }

    public ConfigException(String message) {
        super(message);
    }

    static void check(boolean ok, String option, String problem) {
        if (!ok) {
            throw new ConfigException(option, problem);
        }
    }
}
