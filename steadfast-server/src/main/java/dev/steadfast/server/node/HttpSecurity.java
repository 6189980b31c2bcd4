package dev.steadfast.server.node;

import dev.steadfast.server.config.HttpConfig;
import dev.steadfast.server.config.HttpSecurityConfig;
import dev.steadfast.web.WebConfig;
import dev.steadfast.web.auth.ApiTokens;
import dev.steadfast.web.auth.Authenticator;
import dev.steadfast.web.auth.BasicUsers;
import dev.steadfast.web.auth.HttpAuth;
import dev.steadfast.web.auth.OidcBearer;
import dev.steadfast.web.auth.UserStore;
import dev.steadfast.web.http.Cors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The HTTP listener's security, from serve's configuration: authenticators, CORS, public base URL. */
final class HttpSecurity {
    private HttpSecurity() {
    }

    static WebConfig webConfig(HttpConfig http) {
        HttpSecurityConfig s = http.security();
        return WebConfig.on(http.bind(), http.port())
                .withCors(new Cors(s.corsOrigins(), s.corsMethods(), 600))
                .withPublicBaseUrl(s.publicBaseUrl());
    }

    /** The authenticators configured (the user file is read now: a broken one stops the start). */
    static HttpAuth auth(HttpSecurityConfig s) throws IOException {
        List<Authenticator> a = new ArrayList<>();
        if (s.oidc() != null) {
            var o = s.oidc();
            a.add(new OidcBearer(o.issuer(), o.audiences(), o.jwksUri(), o.rolesClaim()));
        }
        if (s.usersFile() != null) {
            UserStore users = new UserStore(s.usersFile());
            a.add(new BasicUsers(users));
            a.add(new ApiTokens(users));
        }
        return new HttpAuth(a);
    }

    /** For the start-up log line: what protects HTTP. */
    static String describe(HttpSecurityConfig s) {
        List<String> parts = new ArrayList<>();
        if (s.oidc() != null) {
            parts.add("OIDC bearer tokens from " + s.oidc().issuer());
        }
        if (s.usersFile() != null) {
            parts.add("built-in users " + s.usersFile());
        }
        String auth = parts.isEmpty() ? "no authentication (loopback only)" : String.join(" and ", parts);
        return auth + "; CORS " + (s.corsOrigins().isEmpty() ? "off" : String.join(", ", s.corsOrigins()));
    }
}
