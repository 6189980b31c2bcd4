package dev.steadfast.dicom;

/**
 * One data element as found: its tag, VR and value, kept undecoded. The value is one of
 * {@code null} (empty), {@code byte[]} (raw bytes in the stated byte order), {@link Sequence},
 * {@link Fragments} (encapsulated pixel data) or {@link BulkData} (left on disk).
 */
public record Element(int tag, VR vr, Object value, boolean bigEndian) {

    public Element {
        if (vr == null) {
            throw new IllegalArgumentException("VR is required for " + Tag.toString(tag));
        }
        if (value != null && !(value instanceof byte[]) && !(value instanceof Sequence)
                && !(value instanceof Fragments) && !(value instanceof BulkData)) {
            throw new IllegalArgumentException("unsupported value type " + value.getClass().getName());
        }
    }

    public boolean isEmpty() {
        return switch (value) {
            case null -> true;
            case byte[] b -> b.length == 0;
            case Sequence s -> s.isEmpty();
            case Fragments f -> false;
            case BulkData bd -> bd.length() == 0;
            default -> false;
        };
    }

    /** Raw bytes for an in-memory value, or null for sequences, fragments and bulk data. */
    public byte[] bytes() {
        return value instanceof byte[] b ? b : null;
    }

    /** Encoded value length in bytes as found (for in-memory and bulk values), -1 for sequences and fragments. */
    public long length() {
        return switch (value) {
            case null -> 0;
            case byte[] b -> b.length;
            case BulkData bd -> bd.length();
            default -> -1;
        };
    }

    @Override
    public String toString() {
        return Tag.toString(tag) + " " + vr + " #" + length();
    }
}
