package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.DicomWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Command sets (PS3.7 section 9.3 and 10.3): always implicit VR little endian, always with the
 * Command Group Length. Encoding and decoding go through the core reader and writer.
 */
public final class Commands {
    /** Command Data Set Type value meaning "no data set" (PS3.7 E.1-1); any other value means one follows. */
    public static final int NO_DATA_SET = 0x0101;
    public static final int DATA_SET_PRESENT = 0x0000;

    public static final int PRIORITY_MEDIUM = 0;
    public static final int PRIORITY_HIGH = 1;
    public static final int PRIORITY_LOW = 2;

    private Commands() {
    }

    public static byte[] encode(Dataset command) throws IOException {
        command.remove(Tag.CommandGroupLength);
        byte[] body = DicomWriter.encode(command, UID.ImplicitVRLittleEndian);
        command.setInt(Tag.CommandGroupLength, VR.UL, body.length);
        // The group length element comes first and is always 12 bytes in implicit VR LE: (0000,0000), length 4, UL value.
        byte[] out = new byte[12 + body.length];
        out[4] = 4;
        out[8] = (byte) body.length;
        out[9] = (byte) (body.length >>> 8);
        out[10] = (byte) (body.length >>> 16);
        out[11] = (byte) (body.length >>> 24);
        System.arraycopy(body, 0, out, 12, body.length);
        return out;
    }

    public static Dataset decode(byte[] b) throws IOException {
        return DicomReader.readDataset(new ByteArrayInputStream(b), UID.ImplicitVRLittleEndian);
    }

    /** A request command. N-ACTION, N-GET, N-SET and N-DELETE name the Requested SOP class and instance; the others the Affected. */
    public static Dataset request(Dimse type, int messageId, String sopClassUid, String sopInstanceUid, boolean hasDataSet) {
        boolean requested = type == Dimse.N_ACTION_RQ || type == Dimse.N_GET_RQ || type == Dimse.N_SET_RQ || type == Dimse.N_DELETE_RQ;
        Dataset cmd = new Dataset();
        cmd.setString(requested ? Tag.RequestedSOPClassUID : Tag.AffectedSOPClassUID, VR.UI, sopClassUid);
        cmd.setInt(Tag.CommandField, VR.US, type.commandField());
        cmd.setInt(Tag.MessageID, VR.US, messageId);
        if (type == Dimse.C_STORE_RQ || type == Dimse.C_FIND_RQ || type == Dimse.C_MOVE_RQ || type == Dimse.C_GET_RQ) {
            cmd.setInt(Tag.Priority, VR.US, PRIORITY_MEDIUM);
        }
        cmd.setInt(Tag.CommandDataSetType, VR.US, hasDataSet ? DATA_SET_PRESENT : NO_DATA_SET);
        if (sopInstanceUid != null) {
            cmd.setString(requested ? Tag.RequestedSOPInstanceUID : Tag.AffectedSOPInstanceUID, VR.UI, sopInstanceUid);
        }
        return cmd;
    }

    /** C-CANCEL-RQ for the operation with {@code messageId}. */
    public static Dataset cancel(int messageId) {
        Dataset cmd = new Dataset();
        cmd.setInt(Tag.CommandField, VR.US, Dimse.C_CANCEL_RQ.commandField());
        cmd.setInt(Tag.MessageIDBeingRespondedTo, VR.US, messageId);
        cmd.setInt(Tag.CommandDataSetType, VR.US, NO_DATA_SET);
        return cmd;
    }

    /** The response to {@code rq}: SOP class and instance copied into the Affected attributes. */
    public static Dataset response(Dataset rq, Status status, boolean hasDataSet) {
        Dataset cmd = new Dataset();
        String sopClass = sopClassUid(rq);
        if (sopClass != null) {
            cmd.setString(Tag.AffectedSOPClassUID, VR.UI, sopClass);
        }
        cmd.setInt(Tag.CommandField, VR.US, commandField(rq) | 0x8000);
        cmd.setInt(Tag.MessageIDBeingRespondedTo, VR.US, rq.getInt(Tag.MessageID, 0));
        cmd.setInt(Tag.CommandDataSetType, VR.US, hasDataSet ? DATA_SET_PRESENT : NO_DATA_SET);
        cmd.setInt(Tag.Status, VR.US, status.code());
        String sopInstance = sopInstanceUid(rq);
        if (sopInstance != null) {
            cmd.setString(Tag.AffectedSOPInstanceUID, VR.UI, sopInstance);
        }
        return cmd;
    }

    /** Adds the error comment (truncated to LO's 64 characters) and offending element of a failure. */
    public static void addError(Dataset rsp, String comment, int offendingElement) {
        if (comment != null && !comment.isBlank()) {
            String c = comment.replace('\\', '/').replaceAll("[\\r\\n]+", " ");
            rsp.setString(Tag.ErrorComment, VR.LO, c.length() > 64 ? c.substring(0, 64) : c);
        }
        if (offendingElement >= 0) {
            rsp.setInt(Tag.OffendingElement, VR.AT, offendingElement);
        }
    }

    public static void setSubOperations(Dataset rsp, int remaining, int completed, int failed, int warning) {
        if (remaining >= 0) {
            rsp.setInt(Tag.NumberOfRemainingSuboperations, VR.US, remaining);
        }
        rsp.setInt(Tag.NumberOfCompletedSuboperations, VR.US, completed);
        rsp.setInt(Tag.NumberOfFailedSuboperations, VR.US, failed);
        rsp.setInt(Tag.NumberOfWarningSuboperations, VR.US, warning);
    }

    public static int commandField(Dataset cmd) {
        return cmd.getInt(Tag.CommandField, -1);
    }

    public static Dimse type(Dataset cmd) {
        return Dimse.of(commandField(cmd));
    }

    public static boolean hasDataSet(Dataset cmd) {
        return cmd.getInt(Tag.CommandDataSetType, NO_DATA_SET) != NO_DATA_SET;
    }

    public static Status status(Dataset cmd) {
        return new Status(cmd.getInt(Tag.Status, 0xC000) & 0xFFFF);
    }

    public static String sopClassUid(Dataset cmd) {
        String s = cmd.getString(Tag.AffectedSOPClassUID);
        return s != null ? s : cmd.getString(Tag.RequestedSOPClassUID);
    }

    public static String sopInstanceUid(Dataset cmd) {
        String s = cmd.getString(Tag.AffectedSOPInstanceUID);
        return s != null ? s : cmd.getString(Tag.RequestedSOPInstanceUID);
    }
}
