package dev.steadfast.web.wado;

import dev.steadfast.web.http.HttpError;
import dev.steadfast.web.http.MediaType;
import dev.steadfast.web.imaging.Imaging;

import java.util.Collection;
import java.util.List;

/**
 * Chooses the transfer syntax instances go out in (PS3.18 8.7.3.5.2). An Accept range without
 * {@code transfer-syntax} or with {@code *} gets the stored bytes as they are (byte-identical);
 * a named syntax gets the stored bytes when they are in it and otherwise needs the transcoder.
 */
final class RetrieveNegotiation {
    /** Keep each instance's stored syntax. */
    static final String AS_STORED = "*";

    private RetrieveNegotiation() {}

    /**
     * The target syntax, {@link #AS_STORED} or a UID every instance is in or can be transcoded to.
     * Ranges that do not admit multipart/related of application/dicom are passed over; 406 when none fits.
     */
    static String choose(List<MediaType> accept, Collection<String> storedSyntaxes, Imaging imaging) {
        if (accept.isEmpty()) {
            return AS_STORED;
        }
        for (MediaType m : accept) {
            boolean multipart = m.admits("multipart/related");
            String type = m.param("type");
            boolean dicom = type == null ? m.isWildcard() || multipart : MediaType.parse(type).admits("application/dicom");
            if (!multipart || !dicom) {
                continue;
            }
            String ts = m.param("transfer-syntax");
            if (ts == null || ts.equals("*")) {
                return AS_STORED;
            }
            boolean all = storedSyntaxes.stream().allMatch(s -> s.equals(ts) || imaging.canTranscode(s, ts));
            if (all) {
                return ts;
            }
        }
        throw HttpError.notAcceptable("cannot send the instances as asked: they are stored in "
                + String.join(", ", storedSyntaxes) + " and transcoding to the requested syntax is not available;"
                + " accept transfer-syntax=* for the stored bytes");
    }
}
