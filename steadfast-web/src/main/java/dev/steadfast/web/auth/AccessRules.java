package dev.steadfast.web.auth;

/**
 * Which role each HTTP request needs: deny by default, with the few open doors named.
 *
 * <ul>
 *   <li>{@code /health}: open (load balancers probe it without credentials; it names no patient data);</li>
 *   <li>{@code OPTIONS} anywhere: open (a browser's CORS preflight never carries credentials; it returns no data);</li>
 *   <li>DICOMweb: GET and HEAD need {@code read}, POST and PUT {@code write}, DELETE {@code admin};</li>
 *   <li>{@code /api}: {@code admin}, except GET {@code /api/forwarding} (the queues' state): {@code read};</li>
 *   <li>{@code /metrics} and anything else: any authenticated caller (metrics hold counts, no patient data).</li>
 * </ul>
 */
public final class AccessRules {
    /** What one request needs: nothing, any valid credentials, or a role. */
    public record Need(boolean open, Role role) {
        static final Need OPEN = new Need(true, null);
        static final Need AUTHENTICATED = new Need(false, null);

        static Need role(Role r) {
            return new Need(false, r);
        }
    }

    private final String dicomWebPath;

    /** @param dicomWebPath the DICOMweb context path, e.g. {@code /dicom-web} */
    public AccessRules(String dicomWebPath) {
        this.dicomWebPath = dicomWebPath;
    }

    public Need need(String method, String path) {
        if (method.equals("OPTIONS") || path.equals("/health")) {
            return Need.OPEN;
        }
        if (under(path, dicomWebPath)) {
            return switch (method) {
                case "GET", "HEAD" -> Need.role(Role.READ);
                case "POST", "PUT" -> Need.role(Role.WRITE);
                default -> Need.role(Role.ADMIN);
            };
        }
        if ((method.equals("GET") || method.equals("HEAD")) && path.equals("/api/cluster")) {
            return Need.role(Role.READ); // membership holds no patient data; monitoring reads it
        }
        if (under(path, "/api/forwarding") && (method.equals("GET") || method.equals("HEAD"))) {
            return Need.role(Role.READ); // the queues' state: counts, UIDs and reasons, shown to readers (issue 17)
        }
        if (under(path, "/api")) {
            return Need.role(Role.ADMIN);
        }
        return Need.AUTHENTICATED;
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }
}
