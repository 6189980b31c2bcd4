package dev.steadfast.server.serve;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A real HL7 receiving system for the issue 18 tests: HAPI's own MLLP server on a port, keeping
 * every message it gets (as encoded text) and answering what {@code answer} says (AA, AE, AR, or
 * null to answer only after a long pause).
 */
final class HapiReceiver implements AutoCloseable {
    private final HapiContext context = new DefaultHapiContext();
    private final HL7Service server;
    final List<String> received = new CopyOnWriteArrayList<>();

    HapiReceiver(int port, Function<String, AcknowledgmentCode> answer) throws Exception {
        context.setValidationContext(ValidationContextFactory.noValidation());
        // Its own threads: HAPI's default executor is shared by every context, and closing one would stop the others.
        context.setExecutorService(java.util.concurrent.Executors.newCachedThreadPool());
        context.getParserConfiguration().setIdGenerator(new ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator());
        server = context.newServer(port, false);
        server.registerApplication("*", "*", new ReceivingApplication<Message>() {
            @Override
            public Message processMessage(Message m, Map<String, Object> metadata) throws HL7Exception {
                String text = m.encode();
                received.add(text);
                AcknowledgmentCode code = answer.apply(text);
                try {
                    if (code == null) {
                        Thread.sleep(8_000); // well past the sender's acknowledgement timeout (3 s in the test)
                        return m.generateACK();
                    }
                    return code == AcknowledgmentCode.AA ? m.generateACK()
                            : m.generateACK(code, new HL7Exception("refused by the test receiver"));
                } catch (Exception e) {
                    throw new HL7Exception(e);
                }
            }

            @Override
            public boolean canProcess(Message m) {
                return true;
            }
        });
        server.startAndWait();
    }

    /** MSH-10 of each message received, in order. */
    List<String> controlIds() {
        return received.stream().map(t -> t.split("\r", 2)[0].split("\\|", -1)[9]).toList();
    }

    @Override
    public void close() throws Exception {
        server.stopAndWait();
        context.close();
    }
}
