package dev.steadfast.server.config;

import java.time.Duration;

/**
 * What one MLLP client may cost the HL7 listener (docs/HL7.md, "Limits"): a client that drips
 * bytes, never ends a message, sends a huge one or just holds a connection open gets a clear end
 * and never delays another client's acknowledgement.
 *
 * @param maxMessageBytes longest message accepted; a longer one is answered AR and its connection closed
 * @param messageTimeout  a message must be complete this long after its first byte, else its connection is closed
 * @param idleTimeout     a connection on which no message starts for this long is closed
 * @param maxConnections  open connections at most; one more is closed at once
 */
public record Hl7Limits(long maxMessageBytes, Duration messageTimeout, Duration idleTimeout, int maxConnections) {
    public static final Hl7Limits DEFAULTS = new Hl7Limits(32L << 20, Duration.ofSeconds(60), Duration.ofSeconds(600), 500);

    public Hl7Limits {
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("max-message-bytes must be at least 1024: " + maxMessageBytes);
        }
        if (messageTimeout.toMillis() < 1 || idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max-connections must be at least 1: " + maxConnections);
        }
    }
}
