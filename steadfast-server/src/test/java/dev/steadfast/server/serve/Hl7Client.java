package dev.steadfast.server.serve;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HAPI's own MLLP client (a real socket to serve's HL7 port) and a builder of HL7 v2.5.1 messages
 * field by field, for the issue 18 tests.
 */
final class Hl7Client implements AutoCloseable {
    private static final AtomicInteger CONTROL = new AtomicInteger();

    private final HapiContext context = new DefaultHapiContext();
    private final Connection connection;

    /** The acknowledgement: MSA-1, MSA-3 text, the ERR segment (null when none) and the whole answer. */
    record Ack(String code, String err, String text) {
        /** ERR-3.1, the HL7 error code (table 0357), or null. */
        String errorCode() {
            if (err == null) {
                return null;
            }
            String[] f = err.split("\\|", -1);
            return f.length > 3 ? f[3].split("\\^")[0] : null;
        }
    }

    Hl7Client(int port) throws Exception {
        this(port, null);
    }

    /** {@code tls} non-null: MLLP over TLS, trusting what that context trusts. */
    Hl7Client(int port, javax.net.ssl.SSLContext tls) throws Exception {
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setIdGenerator(new ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator());
        if (tls != null) {
            context.setSocketFactory(new ca.uhn.hl7v2.util.StandardSocketFactory() {
                @Override
                public java.net.Socket createTlsSocket() throws java.io.IOException {
                    return tls.getSocketFactory().createSocket();
                }
            });
        }
        connection = context.newClient("127.0.0.1", port, tls != null);
    }

    /** Sends the segments (MSH first) and returns the acknowledgement. */
    Ack send(String... segments) throws Exception {
        Message m = context.getPipeParser().parse(String.join("\r", segments) + "\r");
        Message rsp = connection.getInitiator().sendAndReceive(m);
        String text = rsp.encode();
        List<String> lines = Arrays.asList(text.split("\r"));
        String msa = lines.stream().filter(l -> l.startsWith("MSA|")).findFirst().orElseThrow(() -> new AssertionError(text));
        String err = lines.stream().filter(l -> l.startsWith("ERR|")).findFirst().orElse(null);
        return new Ack(msa.split("\\|", -1)[1], err, text);
    }

    /** An MSH segment for {@code type} (ORM^O01^ORM_O01, ...) with a fresh control id. */
    static String msh(String type) {
        return "MSH|^~\\&|RIS|HOSP|STEADFAST|HOSP|20261207090000||" + type + "|CTL" + CONTROL.incrementAndGet() + "|P|2.5.1";
    }

    /** A segment from (field number, value) pairs; unnamed fields are empty. */
    static String seg(String name, Object... fieldsAndValues) {
        int max = 0;
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            max = Math.max(max, (Integer) fieldsAndValues[i]);
        }
        String[] f = new String[max + 1];
        Arrays.fill(f, "");
        f[0] = name;
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            f[(Integer) fieldsAndValues[i]] = String.valueOf(fieldsAndValues[i + 1]);
        }
        return String.join("|", f);
    }

    @Override
    public void close() {
        try {
            connection.close();
            context.close();
        } catch (java.io.IOException e) {
            // test client: nothing to keep
        }
    }
}
