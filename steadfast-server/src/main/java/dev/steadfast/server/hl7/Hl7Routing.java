package dev.steadfast.server.hl7;

import dev.steadfast.server.config.Hl7OutConfig;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Store and forward of received messages (issue 18, docs/HL7.md "Routing"): a message whose MSH
 * matches a route is queued for the route's destination when it is applied from the HL7 journal,
 * that is after it was acknowledged and in the order messages were accepted.
 */
public final class Hl7Routing {
    public static final Hl7Routing NONE = new Hl7Routing(List.of(), null);

    private final List<Hl7OutConfig.Route> routes;
    private final Hl7Outbox outbox;

    Hl7Routing(List<Hl7OutConfig.Route> routes, Hl7Outbox outbox) {
        this.routes = List.copyOf(routes);
        this.outbox = outbox;
    }

    /** The destinations a message goes to (none when it matches no route). */
    Set<String> destinations(String text) {
        Set<String> out = new LinkedHashSet<>();
        Msh m = Msh.of(text);
        if (m == null || routes.isEmpty()) {
            return out;
        }
        for (Hl7OutConfig.Route r : routes) {
            if (r.matches(m.type(), m.event(), m.component(5, 1), m.component(6, 1))) {
                out.add(r.destination());
            }
        }
        return out;
    }

    /** Queues the message for every destination its routes name. */
    void forward(String text) {
        for (String d : destinations(text)) {
            outbox.enqueue(d, text);
        }
    }
}
