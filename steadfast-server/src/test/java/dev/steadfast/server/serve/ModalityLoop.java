package dev.steadfast.server.serve;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.UID;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.dimse.ClientOptions;
import dev.steadfast.net.dimse.DimseClient;
import dev.steadfast.net.dimse.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the index-down tests (issue 15) do as a modality and a workstation would: store, re-send
 * what was not acknowledged, and find a study's instances by C-FIND. Here rather than in
 * steadfast-testing, which depends on no Steadfast module (these speak DIMSE through steadfast-net).
 */
final class ModalityLoop {
    private ModalityLoop() {
    }

    /** One C-STORE of {@code ds} (Secondary Capture) on its own association, as MODALITY. */
    static Status store(int port, Dataset ds) throws Exception {
        ClientOptions o = new ClientOptions().callingAeTitle("MODALITY").calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        try (DimseClient c = DimseClient.open("127.0.0.1", port, o)) {
            return c.store(Instances.source(ds), null, -1).status();
        }
    }

    /**
     * Stores new instances of one study, one after the other, until {@code stop}; a store that fails
     * (refused, or the association broke) is sent again, on a new association if need be, until
     * acknowledged. Each acknowledged SOP Instance UID goes into {@code acknowledged} with its study.
     */
    static void resendUntilStopped(int port, String callingAe, Map<String, String> acknowledged, AtomicBoolean stop) {
        ClientOptions o = new ClientOptions().callingAeTitle(callingAe).calledAeTitle("STEADFAST")
                .propose(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian);
        String study = Instances.uid();
        String series = Instances.uid();
        String sop = Instances.uid();
        while (!stop.get()) {
            try (DimseClient c = DimseClient.open("127.0.0.1", port, o)) {
                while (!stop.get()) {
                    Dataset ds = Instances.image(study, series, sop, 32 * 1024);
                    var r = c.store(Instances.source(ds), null, -1);
                    if (!r.status().isSuccess()) {
                        Thread.sleep(200); // a modality's pause before the same instance again
                        continue;
                    }
                    acknowledged.put(sop, study);
                    sop = Instances.uid();
                }
            } catch (Exception e) {
                try {
                    Thread.sleep(200); // a modality's pause before a new association
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * The SOP Instance UIDs of {@code study} by C-FIND (IMAGE level).
     *
     * @throws IllegalStateException when the C-FIND does not succeed (the index still coming back)
     */
    static List<String> instancesOf(int port, String study) throws Exception {
        try (DimseClient c = DimseClient.open("127.0.0.1", port, new ClientOptions().callingAeTitle("CHECK")
                .calledAeTitle("STEADFAST").propose(UID.StudyRootQueryRetrieveInformationModelFind, UID.ImplicitVRLittleEndian))) {
            List<String> found = new ArrayList<>();
            Status s = c.find(UID.StudyRootQueryRetrieveInformationModelFind, new Dataset()
                    .setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE")
                    .setString(Tag.StudyInstanceUID, VR.UI, study)
                    .setString(Tag.SOPInstanceUID, VR.UI, ""), m -> found.add(m.getString(Tag.SOPInstanceUID).strip())).status();
            if (!s.equals(Status.SUCCESS)) {
                throw new IllegalStateException("C-FIND " + s);
            }
            return found;
        }
    }
}
