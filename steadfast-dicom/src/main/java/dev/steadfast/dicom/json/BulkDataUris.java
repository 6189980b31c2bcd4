package dev.steadfast.dicom.json;

import dev.steadfast.dicom.BulkData;
import dev.steadfast.dicom.Element;

import java.util.List;

/**
 * Names the BulkDataURI of a value that is not written inline. The path locates the
 * element from the top-level data set: tags and 0-based item indexes alternate, ending with
 * the element's own tag, e.g. {@code [0x00540016, 0, 0x00181072]}.
 */
@FunctionalInterface
public interface BulkDataUris {

    String uriFor(Element element, List<Integer> path);

    /**
     * {@link BulkData#uri()} for values left in a file, else {@code bulk:/} and the path as
     * {@link #pathString}, which {@link BulkDataUriResolver} implementations can map back.
     */
    BulkDataUris DEFAULT = (element, path) -> element.value() instanceof BulkData bd
            ? bd.uri() : "bulk:/" + pathString(path);

    /** {@code 00540016/0/00181072}: tags as 8 uppercase hex digits, item indexes in decimal. */
    static String pathString(List<Integer> path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.size(); i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(i % 2 == 0 ? String.format("%08X", path.get(i)) : Integer.toString(path.get(i)));
        }
        return sb.toString();
    }
}
