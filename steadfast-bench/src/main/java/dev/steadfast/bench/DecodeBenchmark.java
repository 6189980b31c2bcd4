package dev.steadfast.bench;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.imaging.PixelData;
import dev.steadfast.imaging.TranscodeOptions;
import dev.steadfast.imaging.Transcoder;
import dev.steadfast.imaging.render.RenderOptions;
import dev.steadfast.imaging.render.Renderer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Decode and render throughput of the 512x512 CT1 image in each transfer syntax. The encoded
 * copies are made by our transcoder at setup (the same image everywhere; docs/PERFORMANCE.md
 * compares them with dcmtk/gdcm on identical files written by {@code -p dump=DIR}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecodeBenchmark {
    @Param({"1.2.840.10008.1.2.1", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80",
            "1.2.840.10008.1.2.4.90"})
    public String ts;

    @Param("")
    public String ct;

    /** When set, the encoded files are also written here (for timing the dcmtk/gdcm tools on them). */
    @Param("")
    public String dump;

    private Dataset ds;

    @Setup
    public void setUp() throws Exception {
        Path p = Path.of(ct.isEmpty() ? System.getProperty("steadfast.bench.ct", CtParseBenchmark.CORPUS_CT) : ct);
        DicomFile f = DicomReader.readFile(p);
        Transcoder t = new Transcoder();
        ds = t.transcode(f.dataset(), f.transferSyntaxUid(), ts, TranscodeOptions.LOSSLESS_ONLY);
        if (!dump.isEmpty()) {
            try (var out = Files.newOutputStream(Path.of(dump, "ct1-" + ts + ".dcm"))) {
                dev.steadfast.dicom.io.DicomWriter.writeFile(out, ds, ts);
            }
        }
    }

    @Benchmark
    public byte[] decode() throws Exception {
        return PixelData.of(ds, ts).decodedFrame(0);
    }

    @Benchmark
    public BufferedImage render() throws Exception {
        return Renderer.render(ds, ts, 0, RenderOptions.DEFAULT.withWindow(40, 400));
    }
}
