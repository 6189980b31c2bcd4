package dev.steadfast.web.wado;

import dev.steadfast.dicom.UID;
import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.MediaType;

import java.util.List;
import java.util.function.Predicate;

/**
 * Chooses the transfer syntax instances go out in (PS3.18 8.7.3.2 and 8.7.8.2):
 * <ul>
 * <li>{@code transfer-syntax=*}: each instance as stored, byte for byte (what Orthanc asks for);</li>
 * <li>no parameter (or no Accept at all): the default, Explicit VR Little Endian, except for
 *     instances held only in lossy form or in a syntax that cannot be decoded here, which go as
 *     stored (the exemptions of 8.7.3);</li>
 * <li>a named syntax: as stored when already in it, else transcoded; lossy syntaxes only this
 *     way, because the client named them. 406 unless every instance can be written in it.</li>
 * </ul>
 */
final class RetrieveNegotiation {
    /** Keep each instance's stored syntax. */
    static final String AS_STORED = "*";
    /** Explicit VR Little Endian where possible, per instance. */
    static final String DEFAULT = UID.ExplicitVRLittleEndian;

    private RetrieveNegotiation() {}

    /**
     * {@link #AS_STORED}, {@link #DEFAULT} or a named UID every instance can be written in.
     * Ranges that do not admit multipart/related of application/dicom are passed over; 406 when none fits.
     *
     * @param allCanGo whether every instance is in, or can be transcoded to, a named syntax
     */
    static String choose(List<MediaType> accept, Predicate<String> allCanGo) {
        if (accept.isEmpty()) {
            return DEFAULT;
        }
        String refused = null;
        for (MediaType m : accept) {
            boolean multipart = m.admits("multipart/related");
            String type = m.param("type");
            boolean dicom = type == null ? m.isWildcard() || multipart : MediaType.parse(type).admits("application/dicom");
            if (!multipart || !dicom) {
                continue;
            }
            String ts = m.param("transfer-syntax");
            if (ts == null) {
                return DEFAULT;
            }
            if (ts.equals("*")) {
                return AS_STORED;
            }
            if (ts.equals(UID.ImplicitVRLittleEndian) || ts.equals(UID.ExplicitVRBigEndian)) {
                refused = ts + " is not used with web services (PS3.18 8.7.3)";
                continue;
            }
            if (allCanGo.test(ts)) {
                return ts;
            }
            refused = "the instances cannot be written in " + ts;
        }
        throw HttpError.notAcceptable((refused != null ? refused + "; " : "no acceptable media type for instances; ")
                + "accept multipart/related; type=\"application/dicom\" with transfer-syntax=* for the stored bytes");
    }
}
