package dev.steadfast.server.cli;

import dev.steadfast.archive.admin.StudyDeletion;
import dev.steadfast.archive.audit.AccessAudit;
import dev.steadfast.archive.index.Index;
import dev.steadfast.archive.ingest.IngestService;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.archive.sites.Inventory;
import dev.steadfast.archive.storage.Storage;
import dev.steadfast.archive.storage.replica.ReplicatedStorage;
import dev.steadfast.server.cli.storage.ArchiveOptions;
import dev.steadfast.server.config.ConfigException;
import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.config.StorageTargetConfig;
import dev.steadfast.server.node.StorageTargets;
import dev.steadfast.server.sites.PeerClient;
import dev.steadfast.server.sites.ReconcileReport;
import dev.steadfast.server.sites.Reconciler;
import dev.steadfast.server.sites.SiteCopier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code steadfast reconcile}: compare this archive with the peer site, list the differences, and with --fill make them equal. */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {"Compares this archive's inventory with a peer Steadfast's, study by study and series by series"
                + " (instance counts, a digest of SOP Instance UIDs and data set SHA-256s), and lists the differences."
                + " With --fill, copies what one side lacks to it (WADO-RS from the peer, STOW-RS to it, verified by"
                + " SHA-256) and deletes on one side the studies the other deleted (tombstones: nothing deleted comes back).",
                "Reads the same configuration as serve (--config, STEADFAST_* variables, --data, --db; the peer from"
                        + " sites.peer.*). Can run while serve runs on the same data.",
                "Exit status: 0 the two sites agree (now), 1 differences remain or the peer could not be asked, 2 usage or"
                        + " configuration error."})
public final class ReconcileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ArchiveOptions where;

    @Option(names = "--peer", paramLabel = "URL", description = "The peer's HTTP base, e.g. http://site-b:8080 (default: sites.peer.url).")
    String peer;

    @Option(names = "--fill", description = "Fill the gaps in both directions and carry deletions over (default: only list them).")
    boolean fill;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServeConfig config;
        try {
            Map<String, String> own = new LinkedHashMap<>();
            if (peer != null) {
                own.put("sites.peer.url", peer);
            }
            config = where.load("reconcile", System.getenv(), err, own);
        } catch (ConfigException e) {
            err.println("steadfast reconcile: bad configuration: " + e.getMessage());
            return 2;
        }
        if (!config.sites().enabled()) {
            err.println("steadfast reconcile: no peer: give --peer URL or set sites.peer.url");
            return 2;
        }
        ReplicatedStorage targets = StorageTargets.openExisting(config.storage(), config.data().resolve("audit"));
        try (Index index = Index.open(config.index())) {
            Storage storage = targets.targets().size() == 1 ? targets.targets().get(0).storage() : targets;
            IngestService ingest = new IngestService(storage, index, config.ingest(), Clock.systemUTC());
            RetrieveEngine retrieve = new RetrieveEngine(index, storage, config.retrieve());
            boolean immutable = config.storage().targets().stream().anyMatch(StorageTargetConfig::immutable);
            PeerClient client = new PeerClient(config.sites());
            Reconciler reconciler = new Reconciler(new Inventory(index), client,
                    new SiteCopier(client, ingest, index, config.data().resolve("sites-tmp"), AccessAudit.NONE), retrieve,
                    new StudyDeletion(index, storage, null, immutable, Clock.systemUTC()), Clock.systemUTC(), AccessAudit.NONE);
            ReconcileReport report = reconciler.run(fill);
            out.print(json ? report.json() + "\n" : report.render());
            out.flush();
            if (report.error() != null) {
                err.println("steadfast reconcile: " + report.error());
            }
            return report.error() == null && (report.differences().isEmpty() || report.inSync()) ? 0 : 1;
        } finally {
            StorageTargets.close(targets);
        }
    }
}
