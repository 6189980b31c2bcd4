package dev.steadfast.server.config;

import dev.steadfast.archive.forward.ForwardPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Outgoing HL7 (issue 18, docs/HL7.md "Outgoing"): destinations, each with a durable ordered queue
 * in the index (the forwarding queues of issue 17), routes of received messages to them, and the
 * destinations that get an ORU^R01 for every report stored, and those that get an ORM^O01 status
 * update for every step of a procedure (MPPS started, completed, discontinued; images available).
 *
 * @param policy     retries, backoff and dead letters of the HL7 queues
 * @param ackTimeout how long a destination may take to acknowledge a message; past it the message is
 *                   sent again later (a failure that counts toward the dead letter)
 */
public record Hl7OutConfig(Map<String, Destination> destinations, List<Route> routes, List<String> reportDestinations,
                           List<String> statusDestinations, ForwardPolicy policy, Duration ackTimeout) {
    public static final ForwardPolicy DEFAULT_POLICY = new ForwardPolicy(10, Duration.ofSeconds(5), Duration.ofMinutes(10),
            Duration.ofMinutes(5), 20, Duration.ofSeconds(1));
    public static final Hl7OutConfig NONE = new Hl7OutConfig(Map.of(), List.of(), List.of(), List.of(), DEFAULT_POLICY,
            Duration.ofSeconds(30));

    public Hl7OutConfig {
        destinations = Map.copyOf(destinations);
        routes = List.copyOf(routes);
        reportDestinations = List.copyOf(reportDestinations);
        statusDestinations = List.copyOf(statusDestinations);
    }

    public boolean enabled() {
        return !destinations.isEmpty();
    }

    /**
     * An HL7 system that receives messages over MLLP.
     *
     * @param application MSH-5 of the messages this archive writes for it (ORU^R01); may be null
     * @param facility    MSH-6 of those messages; may be null
     */
    public record Destination(String name, String host, int port, boolean tls, String application, String facility) {
    }

    /**
     * Received messages that match go to {@code destination} (store and forward). A null condition
     * matches anything; a condition matches exactly, or a prefix when it ends with {@code *}.
     *
     * @param messageType  MSH-9.1 (ORM, ADT, ...)
     * @param triggerEvent MSH-9.2 (O01, A08, ...)
     * @param application  MSH-5.1, the receiving application
     * @param facility     MSH-6.1, the receiving facility
     */
    public record Route(String messageType, String triggerEvent, String application, String facility, String destination) {
        public boolean matches(String type, String event, String app, String fac) {
            return one(messageType, type) && one(triggerEvent, event) && one(application, app) && one(facility, fac);
        }

        private static boolean one(String pattern, String value) {
            if (pattern == null) {
                return true;
            }
            String v = value == null ? "" : value;
            return pattern.endsWith("*") ? v.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(v);
        }
    }
}
