package dev.steadfast.server.cli.dump;

import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.dicom.dictionary.UidRegistry;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.FileMeta;

import java.io.PrintWriter;

/**
 * Prints a parsed file as a dcmdump-style listing:
 * {@code (gggg,eeee) VR [value]   # length, VM Keyword}, File Meta Information first.
 */
public final class DumpPrinter {
    private static final int VALUE_COLUMN = 40;

    private final PrintWriter out;
    private final int width;

    /** @param width longest value text shown, in characters; 0 prints values in full */
    public DumpPrinter(PrintWriter out, int width) {
        this.out = out;
        this.width = width;
    }

    public void print(String name, DicomFile file) {
        out.println("# File: " + name);
        FileMeta meta = file.meta();
        if (meta.attributes().isEmpty()) {
            out.println("# No File Meta Information" + (meta.hasPreamble() ? "" : ", no preamble"));
        } else {
            out.println("# File Meta Information" + (meta.hasPreamble() ? "" : " (no preamble)"));
            DumpLines.walk(meta.attributes(), true, maxBinaryBytes(), this::print);
        }
        String ts = file.transferSyntaxUid();
        out.println("# Data Set: " + ts + " (" + UidRegistry.nameOf(ts) + ")");
        DumpLines.walk(file.dataset(), TransferSyntax.of(ts).explicitVR(), maxBinaryBytes(), this::print);
    }

    private long maxBinaryBytes() {
        // Three characters per hex byte: the cut falls between values, not inside one.
        return width == 0 ? Long.MAX_VALUE : Math.max(1, (width - 3) / 3);
    }

    void print(DumpLine line) {
        out.println(format(line, width));
    }

    /** One listing line; {@code width} 0 prints values in full. */
    public static String format(DumpLine line, int width) {
        StringBuilder sb = new StringBuilder(120);
        sb.repeat("  ", line.depth());
        sb.append(String.format("(%04x,%04x) ", line.tag() >>> 16, line.tag() & 0xFFFF)).append(line.vr()).append(' ');
        int valueStart = sb.length();
        if (line.note() != null) {
            sb.append(line.note());
        } else {
            String text = displayed(String.join("\\", line.values()), width);
            sb.append(line.quoted() ? "[" + text + "]" : text);
        }
        sb.repeat(" ", Math.max(0, VALUE_COLUMN - (sb.length() - valueStart)));
        sb.append(" # ").append(String.format("%3s", line.length())).append(", ").append(line.vm())
                .append(' ').append(line.keyword());
        return sb.toString();
    }

    /** Control characters escaped so one element stays one line; cut to {@code width} characters. */
    static String displayed(String value, int width) {
        StringBuilder sb = new StringBuilder(Math.min(value.length(), width == 0 ? value.length() : width) + 8);
        for (int i = 0; i < value.length(); i++) {
            if (width > 0 && sb.length() >= width) {
                return sb.append("...").toString();
            }
            char c = value.charAt(i);
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
