package dev.steadfast.web.qido;

import dev.steadfast.archive.query.InformationModel;
import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.archive.query.QueryRequest;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Sequence;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.dictionary.ElementDictionary;
import dev.steadfast.web.http.HttpError;

import java.util.List;
import java.util.Map;

/**
 * A QIDO-RS request (PS3.18 10.6) translated to the query engine's terms: the same
 * {@link QueryRequest} a C-FIND with these keys at this level would give (Study Root), so both
 * front doors return the same matches.
 *
 * @param request    what the query engine runs (its limit still uncapped: the service caps it)
 * @param includeAll includefield=all: every attribute the stored metadata has
 * @param fuzzy      fuzzymatching=true was asked (person names then match by prefix of each value)
 */
public record QidoQuery(QueryRequest request, boolean includeAll, boolean fuzzy) {

    /**
     * @param level  STUDY, SERIES or IMAGE
     * @param study  Study Instance UID from the path, or null
     * @param series Series Instance UID from the path, or null
     * @param params query parameters in order
     */
    public static QidoQuery parse(QueryLevel level, String study, String series, List<Map.Entry<String, String>> params) {
        Dataset keys = new Dataset();
        DefaultKeys.add(keys, level, study == null, series == null);
        keys.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192"); // parameters are UTF-8
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        if (level != QueryLevel.STUDY) {
            keys.setNull(Tag.SeriesInstanceUID, VR.UI);
        }
        int limit = 0;
        int offset = 0;
        boolean all = false;
        boolean fuzzy = false;
        for (Map.Entry<String, String> p : params) {
            String name = p.getKey();
            String value = p.getValue() == null ? "" : p.getValue();
            switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "limit" -> limit = count(name, value);
                case "offset" -> offset = count(name, value);
                case "fuzzymatching" -> fuzzy = bool(name, value);
                case "includefield" -> {
                    for (String f : value.split(",")) {
                        String field = f.strip();
                        if (field.equalsIgnoreCase("all")) {
                            all = true;
                        } else if (!field.isEmpty()) {
                            returnKey(keys, Attributes.path(field));
                        }
                    }
                }
                default -> {
                    if (name.startsWith("_")) {
                        continue; // cache busters of browser libraries
                    }
                    matchKey(keys, Attributes.path(name), value);
                }
            }
        }
        // The path constrains like matching keys, after the parameters so a parameter cannot widen it.
        if (study != null) {
            keys.setString(Tag.StudyInstanceUID, VR.UI, study);
        }
        if (series != null) {
            keys.setString(Tag.SeriesInstanceUID, VR.UI, series);
        }
        if (fuzzy) {
            fuzz(keys);
        }
        if (all) {
            for (int tag : Attributes.all()) {
                if (!keys.contains(tag)) {
                    keys.setNull(tag, ElementDictionary.vrOf(tag));
                }
            }
        }
        QueryRequest request = new QueryRequest(InformationModel.STUDY_ROOT, level, keys, offset, limit, false);
        return new QidoQuery(request, all, fuzzy);
    }

    private static void returnKey(Dataset keys, int[] path) {
        Dataset ds = keys;
        for (int i = 0; i < path.length - 1; i++) {
            if (!ds.contains(path[i])) {
                ds.newSequence(path[i]).addItem();
            }
            Sequence seq = ds.getSequence(path[i]);
            if (seq == null) {
                throw HttpError.badRequest(Attributes.describe(path) + " names a sequence that is not one");
            }
            ds = seq.isEmpty() ? seq.addItem() : seq.get(0);
        }
        int tag = path[path.length - 1];
        if (!ds.contains(tag)) {
            VR vr = ElementDictionary.vrOf(tag);
            if (vr == VR.SQ) {
                ds.newSequence(tag);
            } else {
                ds.setNull(tag, vr);
            }
        }
    }

    private static void matchKey(Dataset keys, int[] path, String value) {
        returnKey(keys, path);
        Dataset ds = keys;
        for (int i = 0; i < path.length - 1; i++) {
            ds = ds.getSequence(path[i]).get(0);
        }
        int tag = path[path.length - 1];
        VR vr = ElementDictionary.vrOf(tag);
        if (vr == VR.SQ) {
            throw HttpError.badRequest("cannot match a sequence by value: " + Attributes.describe(path));
        }
        if (value.isEmpty()) {
            return; // universal matching
        }
        if (vr == VR.UI) {
            // UID lists may be comma- or backslash-separated
            ds.setString(tag, vr, value.split("[,\\\\]"));
        } else {
            ds.setString(tag, vr, value);
        }
    }

    /** Person names match what starts with each given name part (then case-insensitively, as the engine does). */
    private static void fuzz(Dataset keys) {
        for (int tag : keys.tags()) {
            if (keys.get(tag).vr() == VR.PN) {
                String v = keys.getString(tag);
                if (v != null && !v.isEmpty() && v.indexOf('*') < 0 && v.indexOf('?') < 0) {
                    keys.setString(tag, VR.PN, v + "*");
                }
            }
        }
    }

    private static int count(String name, String value) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(name + " must be a non-negative integer, not '" + value + "'");
        }
    }

    private static boolean bool(String name, String value) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw HttpError.badRequest(name + " must be true or false");
        };
    }
}
