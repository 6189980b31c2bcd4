package dev.steadfast.server.architecture;

import dev.steadfast.testing.Checkout;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Layers are modules and dependencies point one way (DESIGN.md): a back-edge in a pom, a
 * module-info or an import of a higher layer's package fails here, before it can tangle the
 * layers. The compiler enforces each module-info's exports for the modules that have one; the
 * modules that have none (bench, testing) are held to the same exports here.
 */
class ModuleLayeringTest {

    /** Which Steadfast modules each module may depend on. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "steadfast-testing", Set.of(),
            "steadfast-dicom", Set.of(),
            "steadfast-imaging", Set.of("steadfast-dicom"),
            "steadfast-net", Set.of("steadfast-dicom"),
            "steadfast-archive", Set.of("steadfast-dicom", "steadfast-imaging"),
            "steadfast-web", Set.of("steadfast-dicom", "steadfast-imaging", "steadfast-archive"),
            "steadfast-server", Set.of("steadfast-dicom", "steadfast-imaging", "steadfast-net", "steadfast-archive",
                    "steadfast-web"),
            "steadfast-bench", Set.of("steadfast-dicom", "steadfast-imaging", "steadfast-net", "steadfast-archive",
                    "steadfast-web"));

    /** Shared test helpers: any module's tests may use it, nothing may ship with it. */
    private static final String TEST_SUPPORT = "steadfast-testing";

    /** Modules without a module-info: run by hand or only in tests, never wired into serve. */
    private static final Set<String> NO_DESCRIPTOR = Set.of("steadfast-bench", TEST_SUPPORT);

    private static final Pattern REQUIRES = Pattern.compile("^\\s*requires\\s+(?:transitive\\s+|static\\s+)*dev\\.steadfast\\.(\\w+)\\s*;",
            Pattern.MULTILINE);
    private static final Pattern EXPORTS = Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** A reference to a Steadfast type, by import or qualified name: its package is group 1. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.steadfast(?:\\.[a-z]\\w*)+)\\.(?:[A-Z]|\\*)");

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.steadfast\\.(\\w+)\\.", Pattern.MULTILINE);

    private static Path root() {
        return Checkout.root();
    }

    private static List<String> modules(Path root) throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(root.resolve("pom.xml").toFile());
        NodeList list = pom.getElementsByTagName("module");
        return Stream.iterate(0, i -> i < list.getLength(), i -> i + 1).map(i -> list.item(i).getTextContent().trim()).toList();
    }

    @Test
    void everyModuleIsKnownToTheLayering() throws Exception {
        assertThat(ALLOWED.keySet()).containsAll(modules(root()));
    }

    @Test
    void pomDependenciesPointDownwardsOnly() throws Exception {
        Path root = root();
        for (String module : modules(root)) {
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(root.resolve(module).resolve("pom.xml").toFile());
            NodeList deps = pom.getElementsByTagName("dependency");
            Set<String> used = new HashSet<>();
            for (int i = 0; i < deps.getLength(); i++) {
                Element d = (Element) deps.item(i);
                String artifact = d.getElementsByTagName("artifactId").item(0).getTextContent().trim();
                if (artifact.equals(TEST_SUPPORT)) {
                    assertThat(scopeOf(d)).as(module + " depends on " + TEST_SUPPORT).isEqualTo("test");
                } else if (artifact.startsWith("steadfast-")) {
                    used.add(artifact);
                }
            }
            assertThat(ALLOWED.get(module)).as(module + " may depend on").containsAll(used);
        }
    }

    @Test
    void sourcesImportOnlyLowerLayers() throws Exception {
        Path root = root();
        for (String module : modules(root)) {
            Set<String> allowedPackages = new HashSet<>();
            allowedPackages.add(module.substring("steadfast-".length()));
            for (String m : ALLOWED.get(module)) {
                allowedPackages.add(m.substring("steadfast-".length()));
            }
            for (Path f : javaSources(root.resolve(module).resolve("src/main/java"))) {
                Matcher m = IMPORT.matcher(read(f));
                while (m.find()) {
                    assertThat(allowedPackages).as(root.relativize(f) + " imports dev.steadfast." + m.group(1))
                            .contains(m.group(1));
                }
            }
        }
    }

    @Test
    void theCoreLibraryDependsOnTheJdkAlone() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(root().resolve("steadfast-dicom/pom.xml").toFile());
        NodeList deps = pom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            assertThat(scopeOf(d)).as("steadfast-dicom dependency " + d.getTextContent().trim()).isEqualTo("test");
        }
    }

    @Test
    void everyShippedModuleHasAModuleDescriptor() throws Exception {
        Path root = root();
        for (String module : modules(root)) {
            if (!NO_DESCRIPTOR.contains(module)) {
                assertThat(root.resolve(module).resolve("src/main/java/module-info.java")).as(module).isRegularFile();
            }
        }
    }

    @Test
    void moduleDescriptorsRequireOnlyLowerLayersAndExportPackagesThatExist() throws Exception {
        Path root = root();
        for (String module : modules(root)) {
            Path info = root.resolve(module).resolve("src/main/java/module-info.java");
            if (!Files.isRegularFile(info)) {
                continue;
            }
            String text = read(info);
            Matcher r = REQUIRES.matcher(text);
            while (r.find()) {
                assertThat(ALLOWED.get(module)).as(module + "'s module-info requires dev.steadfast." + r.group(1))
                        .contains("steadfast-" + r.group(1));
            }
            Matcher e = EXPORTS.matcher(text);
            while (e.find()) {
                Path dir = root.resolve(module).resolve("src/main/java").resolve(e.group(1).replace('.', '/'));
                assertThat(Files.isDirectory(dir) && hasJava(dir)).as(module + " exports " + e.group(1) + ", which has no sources")
                        .isTrue();
            }
        }
    }

    /** picocli sets the annotated fields by reflection, which a named module allows only where it opens the package. */
    @Test
    void picocliCommandPackagesAreOpenToPicocli() throws Exception {
        Path src = root().resolve("steadfast-server/src/main/java");
        String info = read(src.resolve("module-info.java"));
        Pattern annotated = Pattern.compile("@(?:Command|Option|Parameters|Mixin|ArgGroup|Spec)\\b");
        for (Path f : javaSources(src)) {
            if (annotated.matcher(read(f)).find()) {
                String pkg = src.relativize(f.getParent()).toString().replace('/', '.');
                assertThat(info).as(root().relativize(f) + " has picocli annotations").contains("opens " + pkg + " to info.picocli;");
            }
        }
    }

    /** bench and the test helpers are compiled on the class path, where the compiler does not check exports. */
    @Test
    void modulesWithoutADescriptorUseOnlyExportedPackages() throws Exception {
        Path root = root();
        Set<String> exported = new HashSet<>();
        for (String module : modules(root)) {
            Path info = root.resolve(module).resolve("src/main/java/module-info.java");
            if (Files.isRegularFile(info)) {
                Matcher e = EXPORTS.matcher(read(info));
                while (e.find()) {
                    exported.add(e.group(1));
                }
            }
        }
        for (String module : NO_DESCRIPTOR) {
            String own = "dev.steadfast." + module.substring("steadfast-".length());
            for (Path f : javaSources(root.resolve(module).resolve("src"))) {
                Matcher m = REFERENCE.matcher(read(f));
                while (m.find()) {
                    String pkg = m.group(1);
                    if (!pkg.equals(own) && !pkg.startsWith(own + ".")) {
                        assertThat(exported).as(root.relativize(f) + " uses " + pkg + ", which its module does not export")
                                .contains(pkg);
                    }
                }
            }
        }
    }

    /** The .java files under {@code dir}, none when it does not exist. */
    private static List<Path> javaSources(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static boolean hasJava(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.toString().endsWith(".java"));
        }
    }

    private static String scopeOf(Element dependency) {
        NodeList scope = dependency.getElementsByTagName("scope");
        return scope.getLength() > 0 ? scope.item(0).getTextContent().trim() : "compile";
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
