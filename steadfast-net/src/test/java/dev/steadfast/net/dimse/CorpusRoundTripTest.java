package dev.steadfast.net.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.TransferSyntax;
import dev.steadfast.dicom.dictionary.UidRegistry;
import dev.steadfast.testing.Corpus;
import dev.steadfast.testing.Peers;
import dev.steadfast.net.TestScp;
import dev.steadfast.net.assoc.AssociationConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every corpus file through our SCU into our SCP: each transfer syntax as it is, data set bytes unchanged (an odd deflated one padded). */
class CorpusRoundTripTest {
    @Test
    void everyCorpusFileArrivesByteIdenticalInItsOwnSyntax() throws Exception {
        List<StoreSource> sources = new ArrayList<>();
        Set<String> contexts = new LinkedHashSet<>();
        for (Corpus.Entry row : Corpus.wellFormed()) {
            StoreSource s;
            try {
                s = StoreSource.ofFile(row.path());
            } catch (Exception e) {
                continue; // a few files have no SOP UIDs at all
            }
            if (UidRegistry.storageSopClasses().contains(s.sopClassUid())) {
                sources.add(s);
                contexts.add(s.sopClassUid() + " " + s.transferSyntaxUid());
            }
        }
        ClientOptions o = new ClientOptions().calledAeTitle("SCP");
        for (String c : contexts) {
            String[] p = c.split(" ");
            o.propose(p[0], p[1]);
        }
        Set<String> syntaxes = new TreeSet<>();
        try (TestScp scp = new TestScp("SCP", AssociationConfig.DEFAULTS.withMaxPduLengthReceive(16384), 2, null);
             DimseClient c = DimseClient.open("127.0.0.1", scp.port(), o)) {
            for (StoreSource s : sources) {
                assertThat(c.store(s, null, -1).status()).as(s.toString()).isEqualTo(Status.SUCCESS);
                TestScp.Received r = scp.all.get(scp.all.size() - 1);
                assertThat(r.transferSyntaxUid()).isEqualTo(s.transferSyntaxUid());
                byte[] original;
                try (var in = s.openDataset()) {
                    original = in.readAllBytes();
                }
                if (original.length % 2 == 1 && TransferSyntax.of(s.transferSyntaxUid()).deflated()) {
                    // A deflated data set of odd length goes out with its PS3.5 A.5 pad byte (issue 13).
                    original = java.util.Arrays.copyOf(original, original.length + 1);
                }
                assertThat(TestScp.sha256(r.dataset())).as(s.toString()).isEqualTo(TestScp.sha256(original));
                syntaxes.add(r.transferSyntaxUid());
            }
        }
        assertThat(sources.size()).isGreaterThan(90);
        Set<String> corpusSyntaxes = new TreeSet<>();
        sources.forEach(s -> corpusSyntaxes.add(s.transferSyntaxUid()));
        assertThat(syntaxes).isEqualTo(corpusSyntaxes).hasSize(17);
    }
}
