package dev.steadfast.net.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.dicom.UID;
import dev.steadfast.net.TestScp;
import dev.steadfast.net.assoc.AssociationConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** 16 associations at once, 200 small instances each: nothing lost, nothing duplicated. */
class LoadTest {
    @Test
    void sixteenAssociationsTimesTwoHundredInstances() throws Exception {
        int associations = 16;
        int perAssociation = 200;
        try (TestScp scp = new TestScp("SCP", AssociationConfig.DEFAULTS, associations, null);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int a = 0; a < associations; a++) {
                int assoc = a;
                results.add(pool.submit(() -> {
                    ClientOptions o = new ClientOptions().calledAeTitle("SCP").callingAeTitle("LOAD" + assoc)
                            .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
                    int ok = 0;
                    try (DimseClient c = DimseClient.open("127.0.0.1", scp.port(), o)) {
                        for (int i = 0; i < perAssociation; i++) {
                            if (c.store(LoopbackTest.memory("1.2.826.7." + assoc + "." + i, 2000), null, -1).status().isSuccess()) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            int ok = 0;
            for (Future<Integer> f : results) {
                ok += f.get();
            }
            assertThat(ok).isEqualTo(associations * perAssociation);
            assertThat(scp.received).hasSize(associations * perAssociation);
            assertThat(scp.duplicates).isEmpty();
            assertThat(scp.all).hasSize(associations * perAssociation);
        }
    }

    @Test
    void associationsOverTheLimitAreRejectedTransiently() throws Exception {
        try (TestScp scp = new TestScp("SCP", AssociationConfig.DEFAULTS, 1, null)) {
            ClientOptions o = new ClientOptions().calledAeTitle("SCP").propose(UID.Verification, UID.ImplicitVRLittleEndian);
            try (DimseClient first = DimseClient.open("127.0.0.1", scp.port(), o)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> DimseClient.open("127.0.0.1", scp.port(), o))
                        .isInstanceOfSatisfying(dev.steadfast.net.assoc.AssociationRejectedException.class, e -> {
                            assertThat(e.rejection().result()).isEqualTo(2);
                            assertThat(e.rejection().source()).isEqualTo(3);
                            assertThat(e.rejection().reason()).isEqualTo(2);
                        });
                assertThat(first.echo().status()).isEqualTo(Status.SUCCESS);
            }
        }
    }
}
