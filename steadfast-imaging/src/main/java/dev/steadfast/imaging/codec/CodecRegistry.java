package dev.steadfast.imaging.codec;

import dev.steadfast.imaging.UnsupportedTransferSyntaxException;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Frame codecs by transfer syntax UID. Instances are immutable after construction and thread safe. */
public final class CodecRegistry {
    /** Stored and served as received, never decoded here (HTJ2K, JPEG XL, MPEG-2/4, HEVC). */
    public static final Set<String> PASS_THROUGH = Set.of(
            "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203",
            "1.2.840.10008.1.2.4.110", "1.2.840.10008.1.2.4.111", "1.2.840.10008.1.2.4.112",
            "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.100.1", "1.2.840.10008.1.2.4.101", "1.2.840.10008.1.2.4.101.1",
            "1.2.840.10008.1.2.4.102", "1.2.840.10008.1.2.4.102.1", "1.2.840.10008.1.2.4.103", "1.2.840.10008.1.2.4.103.1",
            "1.2.840.10008.1.2.4.104", "1.2.840.10008.1.2.4.104.1", "1.2.840.10008.1.2.4.105", "1.2.840.10008.1.2.4.105.1",
            "1.2.840.10008.1.2.4.106", "1.2.840.10008.1.2.4.106.1", "1.2.840.10008.1.2.4.107", "1.2.840.10008.1.2.4.108",
            "1.2.840.10008.1.2.4.94", "1.2.840.10008.1.2.4.95");

    private final Map<String, FrameCodec> codecs = new ConcurrentHashMap<>();

    /** An empty registry; {@link Codecs#standard()} has every codec of this module. */
    public CodecRegistry() {}

    public CodecRegistry register(FrameCodec codec) {
        codecs.put(codec.transferSyntaxUid(), codec);
        return this;
    }

    /** The codec for a syntax, or an exception saying why there is none. */
    public FrameCodec get(String transferSyntaxUid) {
        FrameCodec c = codecs.get(transferSyntaxUid);
        if (c == null) {
            String why = PASS_THROUGH.contains(transferSyntaxUid)
                    ? " is stored and served as received only; it cannot be transcoded"
                    : " has no codec";
            throw new UnsupportedTransferSyntaxException(transferSyntaxUid, "transfer syntax " + transferSyntaxUid + why);
        }
        return c;
    }

    public boolean supports(String transferSyntaxUid) { return codecs.containsKey(transferSyntaxUid); }
}
