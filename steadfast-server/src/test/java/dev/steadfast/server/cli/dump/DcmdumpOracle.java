package dev.steadfast.server.cli.dump;

import dev.steadfast.dicom.charset.SpecificCharacterSet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code dcmdump -Un +L -M} listing into {@link ListingRow}s. dcmdump prints text as
 * the file's raw bytes, so values are decoded here with the Specific Character Set in force
 * at their place (tracked per item, as the listing declares it).
 */
final class DcmdumpOracle {
    /** indent, tag, VR, value, length, VM, keyword (may hold spaces); a value may span lines (+L prints CR/LF raw). */
    private static final Pattern LINE = Pattern.compile(
            "^( *)\\(([0-9a-f]{4}),([0-9a-f]{4})\\) ([A-Za-z?]{2}) (.*?) *# *(\\S+), *(\\d+) [^\n]*$", Pattern.DOTALL);

    private DcmdumpOracle() {}

    /** Rows of the meta section (root "meta") and of the data set (root "ds"), delimiters left out. */
    static List<ListingRow> read(Path oracle) throws IOException {
        // ISO-8859-1 keeps every byte as one char, so the original bytes can be recovered.
        String text = Files.readString(oracle, StandardCharsets.ISO_8859_1);
        List<ListingRow> rows = new ArrayList<>();
        ListingRow.PathBuilder paths = new ListingRow.PathBuilder("ds");
        SpecificCharacterSet[] charsets = new SpecificCharacterSet[256];
        charsets[0] = SpecificCharacterSet.DEFAULT;
        StringBuilder pending = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (pending.isEmpty()) {
                if (line.startsWith("# Dicom-Meta-Information-Header")) {
                    paths = new ListingRow.PathBuilder("meta");
                } else if (line.startsWith("# Dicom-Data-Set")) {
                    paths = new ListingRow.PathBuilder("ds");
                }
                if (line.isBlank() || line.strip().startsWith("#")) { // headers; DICOMDIR offset notes
                    continue;
                }
            } else {
                pending.append('\n');
            }
            pending.append(line);
            Matcher m = LINE.matcher(pending);
            if (!m.matches()) {
                continue; // a multi-line value: read on
            }
            int depth = m.group(1).length() / 2;
            int tag = (Integer.parseInt(m.group(2), 16) << 16) | Integer.parseInt(m.group(3), 16);
            String vr = m.group(4);
            String value = m.group(5);
            String length = m.group(6);
            int vm = Integer.parseInt(m.group(7));
            pending.setLength(0); // only now: the matcher reads its groups from the builder
            if (tag == DumpLines.ITEM_DELIMITATION || tag == DumpLines.SEQUENCE_DELIMITATION) {
                continue;
            }
            boolean item = tag == DumpLines.ITEM;
            if (item) {
                charsets[depth + 1] = depth > 0 ? charsets[depth - 1] : SpecificCharacterSet.DEFAULT;
            }
            String path = paths.next(depth, tag, item);
            ListingRow row = row(path, vr, value, length, vm,
                    charsets[depth] == null ? SpecificCharacterSet.DEFAULT : charsets[depth]);
            if (tag == 0x00080005 && row.note() == null) {
                charsets[depth] = SpecificCharacterSet.of(row.values().toArray(String[]::new));
            }
            rows.add(row);
        }
        if (!pending.isEmpty()) {
            throw new IOException(oracle + ": unterminated line: " + pending);
        }
        return rows;
    }

    private static ListingRow row(String path, String vr, String value, String length, int vm,
                                  SpecificCharacterSet cs) {
        if (value.startsWith("(") && !vr.equals("AT")) {
            return new ListingRow(path, vr, List.of(), value, length, vm);
        }
        if (value.startsWith("[") && value.endsWith("]")) {
            String raw = value.substring(1, value.length() - 1);
            String decoded = decode(raw, vr, cs);
            List<String> values = switch (vr) {
                case "LT", "ST", "UT", "UR" -> List.of(decoded);
                default -> Arrays.asList(decoded.split("\\\\", -1));
            };
            return new ListingRow(path, vr, values, null, length, vm);
        }
        return new ListingRow(path, vr, Arrays.asList(value.split("\\\\", -1)), null, length, vm);
    }

    private static String decode(String raw, String vr, SpecificCharacterSet cs) {
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        SpecificCharacterSet.Mode mode = switch (vr) {
            case "PN" -> SpecificCharacterSet.Mode.PERSON_NAME;
            case "LT", "ST", "UT" -> SpecificCharacterSet.Mode.TEXT;
            case "SH", "LO", "UC" -> SpecificCharacterSet.Mode.MULTI_VALUE;
            default -> null; // other text VRs are not subject to the character set
        };
        return mode == null ? raw : cs.decode(bytes, 0, bytes.length, mode);
    }
}
