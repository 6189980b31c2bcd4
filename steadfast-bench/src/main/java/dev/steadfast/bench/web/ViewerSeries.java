package dev.steadfast.bench.web;

import dev.steadfast.bench.data.DatasetGenerator;
import dev.steadfast.bench.data.Generate;
import dev.steadfast.bench.data.Profile;
import dev.steadfast.bench.data.StudyPlan;
import dev.steadfast.bench.data.StudyPlan.SeriesPlan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One generated CT series of N instances (512x512, 16 bit; the generator's CT profile, whose own series are
 * 100-300 images, stretched to N) for the viewer benchmark (bench/viewer.sh, issue 16). Prints the study UID.
 *
 * <pre>java -cp benchmarks.jar dev.steadfast.bench.web.ViewerSeries OUT_DIR [N=500] [SEED=1]</pre>
 */
public final class ViewerSeries {
    private ViewerSeries() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        DatasetGenerator gen = new DatasetGenerator(seed, Profile.CT, 1);
        StudyPlan study = gen.study(0);
        SeriesPlan first = study.series().getFirst();
        SeriesPlan series = new SeriesPlan(first.number(), first.seriesUid(), first.modality(), first.sopClassUid(),
                first.description(), first.bodyPart(), first.rows(), first.columns(), n);
        Files.createDirectories(out);
        for (int i = 1; i <= n; i++) {
            Files.write(out.resolve(String.format(Locale.ROOT, "i%04d.dcm", i)), Generate.encode(gen.instance(study, series, i)));
        }
        System.out.println(study.studyUid());
    }
}
