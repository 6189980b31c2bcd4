package dev.steadfast.web.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A method and a path template such as {@code /studies/{study}/series/{series}}; a last
 * parameter written {@code {path*}} takes the rest of the path, slashes included.
 */
public record Route(String method, String template, Service service, Pattern pattern, List<String> names) {

    /** What answers a route. */
    @FunctionalInterface
    public interface Service {
        void handle(Exchange x) throws Exception;
    }

    public static Route of(String method, String template, Service service) {
        List<String> names = new ArrayList<>();
        StringBuilder re = new StringBuilder();
        Matcher m = Pattern.compile("\\{([a-zA-Z]+)(\\*?)}").matcher(template);
        int last = 0;
        while (m.find()) {
            re.append(Pattern.quote(template.substring(last, m.start())));
            re.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
            names.add(m.group(1));
            last = m.end();
        }
        re.append(Pattern.quote(template.substring(last)));
        return new Route(method, template, service, Pattern.compile(re.toString()), List.copyOf(names));
    }

    /** The path parameters when the path matches, else null. */
    Map<String, String> match(String path) {
        Matcher m = pattern.matcher(path);
        if (!m.matches()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            params.put(names.get(i), m.group(i + 1));
        }
        return params;
    }
}
