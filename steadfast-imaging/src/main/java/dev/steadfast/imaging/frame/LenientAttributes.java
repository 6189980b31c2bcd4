package dev.steadfast.imaging.frame;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.VR;

import java.nio.charset.StandardCharsets;

/**
 * Numeric attributes read leniently: real files store known attributes as UN (explicit VR
 * writers that lost the VR), which the core getters refuse. DS/IS text in UN is parsed; US in
 * UN is read as little-endian 16-bit.
 */
public final class LenientAttributes {
    private LenientAttributes() {}

    public static double[] doubles(Dataset ds, int tag) {
        Element e = ds.get(tag);
        if (e == null) {
            return new double[0];
        }
        try {
            return e.vr() == VR.UN ? text(e) : ds.getDoubles(tag);
        } catch (RuntimeException bad) {
            return new double[0];
        }
    }

    public static double getDouble(Dataset ds, int tag, double def) {
        double[] v = doubles(ds, tag);
        return v.length == 0 ? def : v[0];
    }

    public static int getInt(Dataset ds, int tag, int def) {
        Element e = ds.get(tag);
        if (e == null) {
            return def;
        }
        if (e.vr() == VR.UN) {
            byte[] b = e.bytes();
            if (b != null && b.length == 2) {
                return (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
            }
            double[] t = doubles(ds, tag);
            return t.length == 0 ? def : (int) t[0];
        }
        try {
            return ds.getInt(tag, def);
        } catch (RuntimeException bad) {
            return def;
        }
    }

    private static double[] text(Element e) {
        byte[] b = e.bytes();
        if (b == null) {
            return new double[0];
        }
        String[] parts = new String(b, StandardCharsets.US_ASCII).trim().split("\\\\");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Double.parseDouble(parts[i].trim());
        }
        return out;
    }
}
