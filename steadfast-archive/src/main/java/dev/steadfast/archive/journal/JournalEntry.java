package dev.steadfast.archive.journal;

import dev.steadfast.archive.index.InstanceRecord;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.zip.CRC32C;

/** The bytes of one journal entry: an instance record, versioned and checksummed. */
final class JournalEntry {
    private static final int MAGIC = 0x53464A31; // "SFJ1"

    private JournalEntry() {}

    static byte[] encode(InstanceRecord r) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + r.metadata().length);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeUTF(r.sopUid());
        nullable(out, r.sopClassUid());
        out.writeBoolean(r.instanceNumber() != null);
        out.writeInt(r.instanceNumber() == null ? 0 : r.instanceNumber());
        out.writeUTF(r.transferSyntax());
        out.writeUTF(r.storageKey());
        out.writeLong(r.size());
        out.writeUTF(r.sha256());
        out.writeUTF(r.datasetSha256());
        out.writeLong(r.receivedAt());
        nullable(out, r.callingAe());
        out.writeInt(r.metadata().length);
        out.write(r.metadata());
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        return bytes.toByteArray();
    }

    static InstanceRecord decode(byte[] b) throws IOException {
        if (b.length < 12) {
            throw new IOException("journal entry too short");
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 8);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        in.skipNBytes(b.length - 8);
        if (in.readLong() != crc.getValue()) {
            throw new IOException("journal entry checksum mismatch");
        }
        in = new DataInputStream(new ByteArrayInputStream(b, 0, b.length - 8));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a journal entry");
        }
        String sop = in.readUTF();
        String sopClass = nullable(in);
        boolean hasNumber = in.readBoolean();
        int number = in.readInt();
        String ts = in.readUTF();
        String key = in.readUTF();
        long size = in.readLong();
        String sha = in.readUTF();
        String datasetSha = in.readUTF();
        long receivedAt = in.readLong();
        String ae = nullable(in);
        byte[] metadata = in.readNBytes(in.readInt());
        return new InstanceRecord(sop, sopClass, hasNumber ? number : null, ts, key, size, sha, datasetSha,
                receivedAt, ae, metadata);
    }

    private static void nullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        out.writeUTF(s == null ? "" : s);
    }

    private static String nullable(DataInputStream in) throws IOException {
        boolean present = in.readBoolean();
        String s = in.readUTF();
        return present ? s : null;
    }
}
