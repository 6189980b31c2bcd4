package dev.steadfast.server.cli.net;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Element;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.dictionary.ElementDictionary;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.DimseResponse;
import java.io.PrintWriter;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "find", mixinStandardHelpOptions = true, customSynopsis = "steadfast find AE@host:port [OPTIONS] [-k KEYWORD[=VALUE]]...",
        description = "Queries a peer (C-FIND); prints one line per match.")
public final class FindCommand implements Callable<Integer> {
    @Mixin
    PeerArgument target;

    private RemoteAe peer;

    @Mixin
    QueryOptions query;

    @Mixin
    AssociationOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        peer = target.peer(spec);
        PrintWriter out = spec.commandLine().getOut();
        try (DimseClient c = DimseClient.open(peer.host(), peer.port(),
                options.clientOptions(peer).propose(query.findSopClass(), ClientOptions.UNCOMPRESSED))) {
            int[] matches = {0};
            DimseResponse r = c.find(query.findSopClass(), query.identifier(), m -> {
                matches[0]++;
                out.println(line(m));
                return true;
            });
            if (!r.status().isSuccess()) {
                spec.commandLine().getErr().println("error: " + peer + ": C-FIND answered " + r);
                return Failures.FAILED;
            }
            spec.commandLine().getErr().println(matches[0] + " match" + (matches[0] == 1 ? "" : "es"));
            return Failures.OK;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            return Failures.report(spec.commandLine().getErr(), peer, e);
        }
    }

    /** keyword=value for each returned attribute, tab separated. */
    static String line(Dataset m) {
        StringJoiner j = new StringJoiner("\t");
        for (Element e : m) {
            if (e.tag() == Tag.SpecificCharacterSet) {
                continue;
            }
            String kw = ElementDictionary.keywordOf(e.tag());
            j.add((kw.isEmpty() ? String.format("%08X", e.tag()) : kw) + "=" + String.join("\\", m.getStrings(e.tag())));
        }
        return j.toString();
    }
}
