package dev.steadfast.bench.data;

import dev.steadfast.bench.data.StudyPlan.Patient;
import dev.steadfast.bench.data.StudyPlan.SeriesPlan;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic, seeded source of realistic studies. Study {@code i} of a generator is a pure
 * function of (seed, profile, number of studies, i): the same arguments give the same bytes on any
 * machine, and studies can be made in any order or in parallel.
 *
 * <p>Patients: about two studies per patient (a pool of {@code studies * 2 / 3} patients, drawn
 * with repetition), born 1930-2024, names from {@link Names} (about one in eight not ASCII,
 * those data sets say {@code ISO_IR 192}). Study dates spread uniformly over 2015-01-01 to
 * 2026-11-27, times 07:00-19:59. UIDs are {@code 2.25.<128 bits>} derived from the seed.
 */
public final class DatasetGenerator {
    private static final LocalDate FIRST_STUDY = LocalDate.of(2015, 1, 1);
    private static final int STUDY_DAYS = (int) (LocalDate.of(2026, 11, 27).toEpochDay() - FIRST_STUDY.toEpochDay());
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

    private final long seed;
    private final Profile profile;
    private final int patients;

    /**
     * @param seed    any value; the data set is a function of it
     * @param profile what kind of studies
     * @param studies how many studies the whole data set will have (sizes the patient pool)
     */
    public DatasetGenerator(long seed, Profile profile, int studies) {
        this.seed = seed;
        this.profile = profile;
        this.patients = Math.max(1, studies * 2 / 3);
    }

    public Profile profile() {
        return profile;
    }

    public Patient patient(int p) {
        Mix.Rng r = new Mix.Rng(seed, 1, p);
        String family = Names.FAMILY.get(r.nextInt(Names.FAMILY.size()));
        // Accented given names only with accented family names: about one name in eight is not ASCII.
        String given = Names.GIVEN.get(r.nextInt(Names.isAscii(family) ? Names.ASCII_GIVEN : Names.GIVEN.size()));
        String middle = r.nextInt(4) == 0 ? "^" + (char) ('A' + r.nextInt(26)) : "";
        LocalDate birth = LocalDate.of(1930, 1, 1).plusDays(r.nextInt(365 * 94));
        String sex = switch (r.nextInt(20)) {
            case 0 -> "O";
            default -> r.nextInt(2) == 0 ? "F" : "M";
        };
        // IDs look like a hospital's: a permutation of the pool index, 8 digits.
        String id = String.format(Locale.ROOT, "P%08d", Math.floorMod(Mix.of(seed, 2, p), 100_000_000L));
        return new Patient(p, id, family + "^" + given + middle, birth, sex);
    }

    public StudyPlan study(int i) {
        Mix.Rng r = new Mix.Rng(seed, 3, i);
        Patient patient = patient(r.nextInt(patients));
        LocalDate date = FIRST_STUDY.plusDays(r.nextInt(STUDY_DAYS + 1));
        LocalTime time = LocalTime.of(r.between(7, 19), r.nextInt(60), r.nextInt(60));
        String accession = String.format(Locale.ROOT, "A%09d", Math.floorMod(Mix.of(seed, 4, i), 1_000_000_000L));
        String studyUid = uid(5, i, 0, 0);
        String kind = kind(r);
        boolean tiny = profile == Profile.INDEX;
        List<SeriesPlan> series = new ArrayList<>();
        String description;
        switch (kind) {
            case "CT" -> {
                description = pick(r, "CT HEAD W/O CONTRAST", "CT CHEST ABDOMEN PELVIS", "CT THORAX", "CTA CORONARY");
                int total = r.between(100, 300);
                int n = r.between(1, 3);
                int left = total;
                for (int s = 1; s <= n; s++) {
                    int count = s == n ? left : Math.max(1, total / n);
                    left -= count;
                    series.add(series(i, s, "CT", UID.CTImageStorage, pick(r, "AXIAL 5.0", "AXIAL 1.25", "CORONAL MPR",
                            "SAGITTAL MPR"), pick(r, "HEAD", "CHEST", "ABDOMEN"), tiny ? 8 : 512, tiny ? 8 : 512, count));
                }
            }
            case "MR" -> {
                description = pick(r, "MR BRAIN W/WO", "MR KNEE LEFT", "MR LUMBAR SPINE", "MR PROSTATE");
                int n = r.between(3, 8);
                for (int s = 1; s <= n; s++) {
                    series.add(series(i, s, "MR", UID.MRImageStorage, pick(r, "T1 SAG", "T2 AX", "FLAIR AX", "DWI",
                            "T1 POST GD"), pick(r, "BRAIN", "KNEE", "LSPINE", "PROSTATE"), tiny ? 8 : 256, tiny ? 8 : 256,
                            r.between(15, 40)));
                }
            }
            case "CR", "DX" -> {
                description = pick(r, "XR CHEST 2 VIEWS", "XR HAND", "XR KNEE", "XR PELVIS");
                int n = r.between(1, 2);
                for (int s = 1; s <= n; s++) {
                    boolean cr = kind.equals("CR");
                    series.add(series(i, s, kind, cr ? UID.ComputedRadiographyImageStorage
                                    : UID.DigitalXRayImageStorageForPresentation, pick(r, "PA", "LAT", "AP"),
                            pick(r, "CHEST", "HAND", "KNEE", "PELVIS"), tiny ? 8 : cr ? 2140 : 2048, tiny ? 8 : cr ? 1760 : 2048,
                            r.between(1, 2)));
                }
            }
            default -> { // SMALL
                description = pick(r, "SMALL STUDY", "NM SCOUT", "US ABDOMEN", "KEY IMAGES");
                int n = r.between(1, 4);
                for (int s = 1; s <= n; s++) {
                    series.add(series(i, s, "OT", UID.SecondaryCaptureImageStorage, "SERIES " + s, "",
                            64, 64, r.between(1, 5)));
                }
            }
        }
        return new StudyPlan(i, patient, studyUid, date, time, accession, String.valueOf(1 + i % 100_000), description,
                Names.PHYSICIANS.get(r.nextInt(Names.PHYSICIANS.size())),
                Names.INSTITUTIONS.get(r.nextInt(Names.INSTITUTIONS.size())), List.copyOf(series));
    }

    private String kind(Mix.Rng r) {
        return switch (profile) {
            case CT -> "CT";
            case MR -> "MR";
            case CR -> r.nextInt(3) == 0 ? "DX" : "CR";
            case SMALL -> "SMALL";
            case MIXED, INDEX -> {
                int p = r.nextInt(100);
                yield p < 30 ? "CR" : p < 45 ? "DX" : p < 75 ? "CT" : "MR";
            }
        };
    }

    private SeriesPlan series(int study, int number, String modality, String sopClass, String description, String bodyPart,
                              int rows, int columns, int instances) {
        return new SeriesPlan(number, uid(6, study, number, 0), modality, sopClass, description, bodyPart, rows, columns,
                instances);
    }

    /** The SOP Instance UID of instance {@code n} (1-based) of a series. */
    public String instanceUid(StudyPlan study, SeriesPlan series, int n) {
        return uid(7, study.index(), series.number(), n);
    }

    /**
     * One instance as a data set, pixel data included.
     *
     * @param n 1-based instance number within the series
     */
    public Dataset instance(StudyPlan study, SeriesPlan series, int n) {
        Patient p = study.patient();
        Dataset ds = new Dataset();
        if (p.utf8()) {
            ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        }
        String modality = series.modality();
        boolean ct = modality.equals("CT");
        ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", ct ? "AXIAL" : "");
        ds.setString(Tag.SOPClassUID, VR.UI, series.sopClassUid());
        ds.setString(Tag.SOPInstanceUID, VR.UI, instanceUid(study, series, n));
        String date = DA.format(study.date());
        String time = TM.format(study.time());
        ds.setString(Tag.StudyDate, VR.DA, date);
        ds.setString(Tag.SeriesDate, VR.DA, date);
        ds.setString(Tag.ContentDate, VR.DA, date);
        ds.setString(Tag.StudyTime, VR.TM, time);
        ds.setString(Tag.SeriesTime, VR.TM, time);
        ds.setString(Tag.ContentTime, VR.TM, TM.format(study.time().plusSeconds(n)));
        ds.setString(Tag.AccessionNumber, VR.SH, study.accession());
        ds.setString(Tag.Modality, VR.CS, modality);
        ds.setString(Tag.Manufacturer, VR.LO, "STEADFAST BENCH");
        ds.setString(Tag.InstitutionName, VR.LO, study.institution());
        ds.setString(Tag.ReferringPhysicianName, VR.PN, study.referringPhysician());
        ds.setString(Tag.StudyDescription, VR.LO, study.description());
        ds.setString(Tag.SeriesDescription, VR.LO, series.description());
        ds.setString(Tag.ManufacturerModelName, VR.LO, "GEN-" + modality);
        ds.setString(Tag.PatientName, VR.PN, p.name());
        ds.setString(Tag.PatientID, VR.LO, p.id());
        ds.setString(Tag.PatientBirthDate, VR.DA, DA.format(p.birthDate()));
        ds.setString(Tag.PatientSex, VR.CS, p.sex());
        int age = Math.max(0, study.date().getYear() - p.birthDate().getYear());
        ds.setString(Tag.PatientAge, VR.AS, String.format(Locale.ROOT, "%03dY", Math.min(age, 999)));
        if (!series.bodyPart().isEmpty()) {
            ds.setString(Tag.BodyPartExamined, VR.CS, series.bodyPart());
        }
        if (ct) {
            ds.setString(Tag.SliceThickness, VR.DS, "1.25");
            ds.setString(Tag.KVP, VR.DS, "120");
        }
        if (modality.equals("MR")) {
            ds.setString(Tag.RepetitionTime, VR.DS, "500");
            ds.setString(Tag.EchoTime, VR.DS, "15");
            ds.setString(Tag.MagneticFieldStrength, VR.DS, "1.5");
        }
        ds.setString(Tag.StudyInstanceUID, VR.UI, study.studyUid());
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series.seriesUid());
        ds.setString(Tag.StudyID, VR.SH, study.studyId());
        ds.setString(Tag.SeriesNumber, VR.IS, String.valueOf(series.number()));
        ds.setString(Tag.InstanceNumber, VR.IS, String.valueOf(n));
        if (ct || modality.equals("MR")) {
            String z = String.format(Locale.ROOT, "%.2f", -n * 1.25);
            ds.setString(Tag.ImagePositionPatient, VR.DS, "-250.0", "-250.0", z);
            ds.setString(Tag.ImageOrientationPatient, VR.DS, "1", "0", "0", "0", "1", "0");
            ds.setString(Tag.FrameOfReferenceUID, VR.UI, uid(8, study.index(), series.number(), 0));
            ds.setString(Tag.SliceLocation, VR.DS, z);
        } else if (!modality.equals("OT")) {
            ds.setString(Tag.ViewPosition, VR.CS, series.description().length() <= 3 ? series.description() : "");
            ds.setString(Tag.PatientOrientation, VR.CS, "L", "F");
        }
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, series.rows());
        ds.setInt(Tag.Columns, VR.US, series.columns());
        ds.setString(Tag.PixelSpacing, VR.DS, "0.5", "0.5");
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setString(Tag.WindowCenter, VR.DS, ct ? "40" : "2048");
        ds.setString(Tag.WindowWidth, VR.DS, ct ? "400" : "4096");
        if (ct) {
            ds.setString(Tag.RescaleIntercept, VR.DS, "-1024");
            ds.setString(Tag.RescaleSlope, VR.DS, "1");
        }
        ds.setBytes(Tag.PixelData, VR.OW, pixels(study, series, n));
        return ds;
    }

    /** A phantom: an ellipse of soft tissue with a bright disc and seeded noise; 12 bits stored. */
    private byte[] pixels(StudyPlan study, SeriesPlan series, int n) {
        int rows = series.rows();
        int cols = series.columns();
        byte[] px = new byte[rows * cols * 2];
        long x = Mix.of(seed, 9, study.index(), series.number(), n) | 1;
        double phase = n / (double) Math.max(1, series.instances());
        double ax = cols * (0.35 + 0.08 * Math.sin(phase * Math.PI));
        double ay = rows * (0.28 + 0.05 * Math.sin(phase * Math.PI));
        double cx = cols / 2.0;
        double cy = rows / 2.0;
        double bx = cols * 0.5;
        double by = rows * 0.68;
        double br2 = Math.pow(rows * 0.05, 2);
        int i = 0;
        for (int r = 0; r < rows; r++) {
            double dy = (r - cy) / ay;
            double dy2 = dy * dy;
            double ey2 = (r - by) * (r - by);
            for (int c = 0; c < cols; c++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                double dx = (c - cx) / ax;
                int v;
                if (dx * dx + dy2 > 1) {
                    v = (int) (x & 7); // air
                } else if ((c - bx) * (c - bx) + ey2 < br2) {
                    v = 2400 + (int) (x & 63); // bone
                } else {
                    v = 1040 + (int) (x & 31); // soft tissue
                }
                px[i++] = (byte) v;
                px[i++] = (byte) (v >>> 8);
            }
        }
        return px;
    }

    private String uid(long kind, long a, long b, long c) {
        long hi = Mix.of(seed, kind, a, b, c);
        long lo = Mix.of(~seed, kind, a, b, c);
        byte[] bytes = new byte[16];
        for (int k = 0; k < 8; k++) {
            bytes[k] = (byte) (hi >>> (56 - 8 * k));
            bytes[8 + k] = (byte) (lo >>> (56 - 8 * k));
        }
        return "2.25." + new BigInteger(1, bytes);
    }

    private static String pick(Mix.Rng r, String... options) {
        return options[r.nextInt(options.length)];
    }
}
