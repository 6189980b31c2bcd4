package dev.steadfast.dicom.json;

import dev.steadfast.dicom.BulkData;
import dev.steadfast.dicom.VR;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Decides what a BulkDataURI read from JSON becomes in the data set. The path has the form
 * {@link BulkDataUris} describes; the result is the element's value: {@code null} (empty),
 * {@code byte[]} in little endian, {@link BulkData} or {@link dev.steadfast.dicom.Fragments}.
 *
 * <p>JSON from the network must not make the archive open local files: only
 * {@link #FILE_REFERENCES} turns {@code file:} URIs into {@link BulkData}, and it is meant for
 * JSON the archive wrote itself.
 */
@FunctionalInterface
public interface BulkDataUriResolver {

    Object resolve(List<Integer> path, VR vr, String uri) throws IOException;

    /** Leaves every such element empty (the URI is dropped). */
    BulkDataUriResolver NONE = (path, vr, uri) -> null;

    /**
     * Trusted input only: URIs of the form {@link BulkData#uri()} writes become {@link BulkData}
     * (little endian, as that form does not record byte order); others leave the element empty.
     */
    BulkDataUriResolver FILE_REFERENCES = (path, vr, uri) -> fileReference(uri);

    /** Leaves elements empty and records each URI by path, for the caller to fetch and fill in. */
    static BulkDataUriResolver collecting(Map<List<Integer>, String> uris) {
        return (path, vr, uri) -> {
            uris.put(List.copyOf(path), uri);
            return null;
        };
    }

    /** The reference a {@code file:...?offset=N&length=M} URI names, or null for any other URI. */
    static BulkData fileReference(String uri) {
        int q = uri.indexOf('?');
        if (!uri.startsWith("file:") || q < 0) {
            return null;
        }
        long offset = -1;
        long length = -1;
        for (String param : uri.substring(q + 1).split("&")) {
            try {
                if (param.startsWith("offset=")) {
                    offset = Long.parseLong(param.substring(7));
                } else if (param.startsWith("length=")) {
                    length = Long.parseLong(param.substring(7));
                } else {
                    return null;
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (offset < 0 || length < 0) {
            return null;
        }
        try {
            return new BulkData(Path.of(URI.create(uri.substring(0, q))), offset, length, false);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }
}
