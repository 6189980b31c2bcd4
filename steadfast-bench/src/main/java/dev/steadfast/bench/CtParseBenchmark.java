package dev.steadfast.bench;

import dev.steadfast.dicom.io.DicomFile;
import dev.steadfast.dicom.io.DicomReader;
import dev.steadfast.dicom.io.ReadOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Parsing a 512x512 16-bit CT file (header only, and whole), from memory and from disk, next to
 * the baselines of moving the same bytes without parsing them. The file comes from {@code -p ct=PATH},
 * else the system property {@code steadfast.bench.ct}, else the corpus beside the checkout.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CtParseBenchmark {
    static final String CORPUS_CT = "../shared/testdata/dicom/ct/dicomParser__CT1_UNC.explicit_little_endian.dcm";

    @Param("")
    public String ct;

    private Path path;
    private byte[] bytes;

    @Setup
    public void load() throws IOException {
        String p = !ct.isEmpty() ? ct : System.getProperty("steadfast.bench.ct", CORPUS_CT);
        path = Path.of(p);
        bytes = Files.readAllBytes(path);
    }

    // ---- baselines: the same bytes, no parsing ----

    @Benchmark
    public byte[] fileReadAllBytes() throws IOException {
        return Files.readAllBytes(path);
    }

    @Benchmark
    public long fileStreamToSink() throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    @Benchmark
    public long memoryStreamToSink() throws IOException {
        return new ByteArrayInputStream(bytes).transferTo(OutputStream.nullOutputStream());
    }

    // ---- parsing ----

    @Benchmark
    public DicomFile fileHeaderOnly() throws IOException {
        return DicomReader.readFile(path, ReadOptions.headerOnly());
    }

    @Benchmark
    public DicomFile fileWhole() throws IOException {
        return DicomReader.readFile(path);
    }

    @Benchmark
    public DicomFile memoryHeaderOnly() throws IOException {
        return DicomReader.read(new ByteArrayInputStream(bytes), ReadOptions.headerOnly());
    }

    @Benchmark
    public DicomFile memoryWhole() throws IOException {
        return DicomReader.read(new ByteArrayInputStream(bytes), ReadOptions.DEFAULT);
    }
}
