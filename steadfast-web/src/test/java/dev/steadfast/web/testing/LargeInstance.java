package dev.steadfast.web.testing;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * A large native multi-frame CT (4096 x 4096 x 16 bit frames, 32 MiB each) as a Part 10 stream
 * generated on the fly: the header is built in memory, the pixel data comes from a 64 KiB block
 * stamped with its index, so the instance never exists in memory or on the test's disk. The
 * SHA-256 of the data set (everything after the File Meta Information, which ingest rewrites)
 * is taken as the stream is read, for comparison with what comes back.
 */
public final class LargeInstance {
    public static final int FRAME_BYTES = 4096 * 4096 * 2;

    public final String study;
    public final String series;
    public final String sop;
    private final int frames;
    private final MessageDigest datasetDigest;
    private final byte[] meta;
    private final byte[] datasetHeader;

    public LargeInstance(String study, String series, String sop, int frames) throws IOException {
        this.study = study;
        this.series = series;
        this.sop = sop;
        this.frames = frames;
        Dataset ds = Synthetic.instance("BIG", "Large^Study", study, series, sop);
        ds.remove(Tag.PixelData);
        ds.setInt(Tag.Rows, VR.US, 4096);
        ds.setInt(Tag.Columns, VR.US, 4096);
        ds.setInt(Tag.BitsStored, VR.US, 16);
        ds.setInt(Tag.HighBit, VR.US, 15);
        ds.setString(Tag.NumberOfFrames, VR.IS, Integer.toString(frames));
        byte[] header = Synthetic.part10(ds);
        int metaEnd = afterMeta(header);
        meta = java.util.Arrays.copyOf(header, metaEnd);
        ByteBuffer pixelHeader = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x7FE0).putShort((short) 0x0010).put((byte) 'O').put((byte) 'W').putShort((short) 0)
                .putInt((int) pixelBytes());
        byte[] dh = new byte[header.length - metaEnd + 12];
        System.arraycopy(header, metaEnd, dh, 0, header.length - metaEnd);
        System.arraycopy(pixelHeader.array(), 0, dh, header.length - metaEnd, 12);
        datasetHeader = dh;
        try {
            datasetDigest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    public long pixelBytes() {
        return (long) frames * FRAME_BYTES;
    }

    /** Bytes after the File Meta Information. */
    public long datasetBytes() {
        return datasetHeader.length + pixelBytes();
    }

    /** The Part 10 file; read it once, completely, before asking for {@link #datasetSha256()}. */
    public InputStream part10() {
        InputStream dataset = new DigestInputStream(new SequenceInputStream(new ByteArrayInputStream(datasetHeader),
                new PixelStream(pixelBytes(), sop.hashCode())), datasetDigest);
        return new SequenceInputStream(new ByteArrayInputStream(meta), dataset);
    }

    public String datasetSha256() {
        return HexFormat.of().formatHex(datasetDigest.digest());
    }

    /** Where the data set starts in a Part 10 file whose first 144 bytes are given. */
    public static int afterMeta(byte[] start) {
        return 132 + 12 + ByteBuffer.wrap(start, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** Deterministic pseudo-random bytes: a 64 KiB block, its first 8 bytes the block index. */
    private static final class PixelStream extends InputStream {
        private final byte[] block = new byte[64 * 1024];
        private final long length;
        private long pos;

        PixelStream(long length, long seed) {
            this.length = length;
            new Random(seed).nextBytes(block);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= length) {
                return -1;
            }
            int inBlock = (int) (pos % block.length);
            if (inBlock == 0) {
                ByteBuffer.wrap(block, 0, 8).putLong(pos / block.length);
            }
            int n = (int) Math.min(Math.min(len, block.length - inBlock), length - pos);
            System.arraycopy(block, inBlock, b, off, n);
            pos += n;
            return n;
        }
    }
}
