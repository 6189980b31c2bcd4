package dev.steadfast.web.http;

import java.util.List;

/** Picks what to send from what the client accepts (RFC 9110 12.5.1, simplified to q order). */
public final class Negotiation {
    private Negotiation() {}

    /**
     * The first offered media type (essence) admitted by the best acceptable range; offers are
     * in the server's order of preference. Throws 406 when none is acceptable.
     */
    public static String choose(List<MediaType> accept, String... offered) {
        if (accept.isEmpty()) {
            return offered[0];
        }
        for (MediaType range : accept) {
            for (String o : offered) {
                if (range.admits(o)) {
                    return o;
                }
            }
        }
        throw HttpError.notAcceptable("none of the acceptable media types can be produced here; available: "
                + String.join(", ", offered));
    }
}
