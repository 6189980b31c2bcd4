package dev.steadfast.server.cli.net;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.dicom.dictionary.ElementDictionary;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Query keys like dcmtk's {@code -k keyword=value}, the level and the information model (a picocli mixin). */
public final class QueryOptions {
    enum Level { PATIENT, STUDY, SERIES, IMAGE }

    enum Model { STUDY, PATIENT }

    @Option(names = {"-L", "--level"}, defaultValue = "STUDY", description = "Query/retrieve level: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Level level;

    @Option(names = {"-m", "--model"}, defaultValue = "STUDY", description = "Information model root: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Model model;

    @Option(names = {"-k", "--key"}, paramLabel = "keyword[=value]", description = "A matching or return key, e.g. -k PatientName=DOE* -k StudyDate.")
    List<String> keys = new ArrayList<>();

    Dataset identifier() {
        Dataset ds = new Dataset();
        ds.setString(Tag.QueryRetrieveLevel, VR.CS, level.name());
        for (String k : keys) {
            int eq = k.indexOf('=');
            String name = eq < 0 ? k : k.substring(0, eq);
            String value = eq < 0 ? "" : k.substring(eq + 1);
            int tag = tagOf(name);
            if (tag == Tag.QueryRetrieveLevel) {
                continue;
            }
            VR vr = ElementDictionary.vrOf(tag);
            if (value.isEmpty()) {
                ds.setNull(tag, vr);
            } else {
                ds.setString(tag, vr, value.split("\\\\"));
            }
        }
        return ds;
    }

    /** A keyword, or a tag written gggg,eeee or ggggeeee. */
    static int tagOf(String name) {
        int tag = ElementDictionary.tagOf(name);
        if (tag >= 0) {
            return tag;
        }
        String hex = name.replace(",", "").replace("(", "").replace(")", "");
        if (hex.matches("[0-9A-Fa-f]{8}")) {
            return (int) Long.parseLong(hex, 16);
        }
        throw new IllegalArgumentException("unknown attribute '" + name + "' (use a keyword such as PatientName, or gggg,eeee)");
    }

    String findSopClass() {
        return model == Model.PATIENT ? UID.PatientRootQueryRetrieveInformationModelFind : UID.StudyRootQueryRetrieveInformationModelFind;
    }

    String moveSopClass() {
        return model == Model.PATIENT ? UID.PatientRootQueryRetrieveInformationModelMove : UID.StudyRootQueryRetrieveInformationModelMove;
    }

    String getSopClass() {
        return model == Model.PATIENT ? UID.PatientRootQueryRetrieveInformationModelGet : UID.StudyRootQueryRetrieveInformationModelGet;
    }
}
