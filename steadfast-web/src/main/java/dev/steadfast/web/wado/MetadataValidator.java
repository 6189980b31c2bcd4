package dev.steadfast.web.wado;

import dev.steadfast.archive.index.StoredInstance;

import java.util.List;
import java.util.zip.CRC32C;

/**
 * The validator (ETag) of a WADO-RS metadata answer (issue 16): a viewer re-opening a study asks again for its
 * metadata, and with {@code If-None-Match} gets a 304 instead of the same megabytes. It covers everything the
 * answer is made of: the media type, the base URL (bulk data URIs name it), and each instance's stored
 * metadata bytes in order (so an instance added, removed or updated in the index changes it). Weak: the same
 * metadata may be encoded differently (gzip or not). CRC32C, not a cryptographic hash, keeps it cheap on a
 * 1,000-instance series; an accidental collision only costs a stale cache entry until the next change.
 */
final class MetadataValidator {
    private MetadataValidator() {}

    static String etag(String mediaType, String baseUrl, List<StoredInstance> instances) {
        CRC32C crc = new CRC32C();
        long length = 0;
        crc.update((mediaType + "|" + baseUrl).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (StoredInstance i : instances) {
            byte[] meta = i.record().metadata();
            crc.update(i.record().sopUid().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            if (meta != null) {
                crc.update(meta);
                length += meta.length;
            }
        }
        return "W/\"m" + Long.toHexString(crc.getValue()) + "-" + Long.toHexString(length) + "-" + instances.size() + "\"";
    }
}
