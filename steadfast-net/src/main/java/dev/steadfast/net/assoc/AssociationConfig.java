package dev.steadfast.net.assoc;

import dev.steadfast.dicom.Implementation;
import java.time.Duration;

/**
 * Limits and timeouts of one side of an association. Immutable; {@link #DEFAULTS} are safe for a
 * server on an untrusted network.
 *
 * @param maxPduLengthReceive  largest P-DATA-TF PDU we accept (announced as our maximum length)
 * @param maxPduLengthSend     cap on the P-DATA-TF PDUs we send, whatever the peer announced (0: peer's value)
 * @param maxAssociatePduLength largest A-ASSOCIATE-RQ/AC accepted (user identity tokens live there)
 * @param connectTimeout       transport connect timeout (requestor)
 * @param artimTimeout         ARTIM timer: awaiting A-ASSOCIATE-RQ/AC, A-RELEASE-RP, and the transport close in Sta13
 * @param idleTimeout          no PDU received for this long while established: abort
 * @param responseTimeout      requestor waiting for a DIMSE response (or a C-STORE sub-operation response)
 * @param writeTimeout         a PDU write that does not complete in this time (peer does not read): abort
 * @param maxDatasetLength     largest data set accepted in one message, in bytes
 * @param maxCommandLength     largest command set accepted
 */
public record AssociationConfig(
        int maxPduLengthReceive,
        int maxPduLengthSend,
        int maxAssociatePduLength,
        Duration connectTimeout,
        Duration artimTimeout,
        Duration idleTimeout,
        Duration responseTimeout,
        Duration writeTimeout,
        long maxDatasetLength,
        int maxCommandLength,
        String implementationClassUid,
        String implementationVersionName) {

    public static final AssociationConfig DEFAULTS = new AssociationConfig(
            65536, 0, 65536,
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(60),
            8L << 30, 65536,
            Implementation.CLASS_UID, Implementation.VERSION_NAME);

    public AssociationConfig {
        if (maxPduLengthReceive < 4096 || maxPduLengthReceive > (64 << 20)) {
            throw new IllegalArgumentException("maxPduLengthReceive must be within 4 KiB..64 MiB: " + maxPduLengthReceive);
        }
        if (maxPduLengthSend != 0 && maxPduLengthSend < 1024) {
            throw new IllegalArgumentException("maxPduLengthSend must be 0 or at least 1024: " + maxPduLengthSend);
        }
        if (maxAssociatePduLength < 1024) {
            throw new IllegalArgumentException("maxAssociatePduLength must be at least 1024");
        }
        for (Duration d : new Duration[] {connectTimeout, artimTimeout, idleTimeout, responseTimeout, writeTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
        if (maxDatasetLength <= 0 || maxCommandLength < 256) {
            throw new IllegalArgumentException("dataset and command limits must be positive");
        }
    }

    public AssociationConfig withMaxPduLengthReceive(int n) {
        return new AssociationConfig(n, maxPduLengthSend, maxAssociatePduLength, connectTimeout, artimTimeout, idleTimeout,
                responseTimeout, writeTimeout, maxDatasetLength, maxCommandLength, implementationClassUid, implementationVersionName);
    }

    public AssociationConfig withMaxPduLengthSend(int n) {
        return new AssociationConfig(maxPduLengthReceive, n, maxAssociatePduLength, connectTimeout, artimTimeout, idleTimeout,
                responseTimeout, writeTimeout, maxDatasetLength, maxCommandLength, implementationClassUid, implementationVersionName);
    }

    public AssociationConfig withTimeouts(Duration artim, Duration idle, Duration response, Duration write) {
        return new AssociationConfig(maxPduLengthReceive, maxPduLengthSend, maxAssociatePduLength, connectTimeout, artim, idle,
                response, write, maxDatasetLength, maxCommandLength, implementationClassUid, implementationVersionName);
    }

    public AssociationConfig withMaxDatasetLength(long n) {
        return new AssociationConfig(maxPduLengthReceive, maxPduLengthSend, maxAssociatePduLength, connectTimeout, artimTimeout,
                idleTimeout, responseTimeout, writeTimeout, n, maxCommandLength, implementationClassUid, implementationVersionName);
    }
}
