package dev.steadfast.server.dimse;

import dev.steadfast.archive.index.IndexException;
import dev.steadfast.archive.index.StoredInstance;
import dev.steadfast.archive.query.InformationModel;
import dev.steadfast.archive.query.InvalidQueryException;
import dev.steadfast.archive.query.QueryEngine;
import dev.steadfast.archive.query.QueryLevel;
import dev.steadfast.archive.query.QueryRequest;
import dev.steadfast.archive.retrieve.RetrieveEngine;
import dev.steadfast.archive.retrieve.RetrieveRequest;
import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.net.assoc.TlsConfig;
import dev.steadfast.net.dimse.CGetService;
import dev.steadfast.net.dimse.CMoveService;
import dev.steadfast.net.dimse.Dimse;
import dev.steadfast.net.dimse.DimseException;
import dev.steadfast.net.dimse.DimseRequest;
import dev.steadfast.net.dimse.Status;
import dev.steadfast.net.dimse.StoreSource;
import dev.steadfast.server.config.AccessConfig;
import dev.steadfast.server.config.RemoteAeConfig;
import dev.steadfast.server.imaging.LosslessTranscoding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrieve SCP (C-MOVE and C-GET) for one information model on the one retrieve engine. The
 * framework runs the C-STORE sub-operations; this names the instances and the destination.
 */
public final class RetrieveAdapter implements CMoveService, CGetService {
    private static final Logger LOG = LoggerFactory.getLogger(RetrieveAdapter.class);

    private final RetrieveEngine engine;
    private final QueryEngine query;
    private final InformationModel model;
    private final AccessControl access;
    private final Function<String, RemoteAeConfig> destinations;
    private final TlsConfig tls;
    private final LosslessTranscoding transcoding;

    /**
     * @param destinations the configured peer with an AE title, or null
     * @param tls          our key and trust material for destinations configured with {@code tls: true}, or null
     */
    public RetrieveAdapter(RetrieveEngine engine, QueryEngine query, InformationModel model, AccessControl access,
                           Function<String, RemoteAeConfig> destinations, TlsConfig tls, LosslessTranscoding transcoding) {
        this.transcoding = transcoding;
        this.tls = tls;
        this.engine = engine;
        this.query = query;
        this.model = model;
        this.access = access;
        this.destinations = destinations;
    }

    private dev.steadfast.archive.audit.AccessAudit audit = dev.steadfast.archive.audit.AccessAudit.NONE;

    /** Reports every C-GET and C-MOVE to the audit trail (set once, at wiring). */
    public RetrieveAdapter audited(dev.steadfast.archive.audit.AccessAudit a) {
        this.audit = a;
        return this;
    }

    /**
     * One "DICOM Instances Transferred" (read) per study about to be sent: to the requestor (C-GET) or to the
     * move destination (C-MOVE). Recorded as the retrieve starts; how each sub-operation ended is the C-GET/C-MOVE
     * response's to report.
     */
    private void audit(DimseRequest rq, List<StoredInstance> found) {
        Map<String, Map<String, Integer>> byStudy = new LinkedHashMap<>();
        for (StoredInstance i : found) {
            byStudy.computeIfAbsent(i.studyUid(), k -> new LinkedHashMap<>()).merge(i.record().sopClassUid(), 1, Integer::sum);
        }
        var requestor = new dev.steadfast.archive.audit.AuditEvents.Actor(rq.callingAeTitle(), rq.remoteAddress());
        var destination = rq.type() == Dimse.C_GET_RQ ? requestor
                : new dev.steadfast.archive.audit.AuditEvents.Actor(rq.moveDestination(), moveHost(rq.moveDestination()));
        List<dev.steadfast.archive.audit.AuditEvents.StudyRef> studies = new ArrayList<>();
        byStudy.forEach((s, classes) -> studies.add(new dev.steadfast.archive.audit.AuditEvents.StudyRef(s, null, null, classes)));
        audit.retrieved(requestor, destination, studies, false, null);
    }

    private String moveHost(String aeTitle) {
        RemoteAeConfig r = aeTitle == null ? null : destinations.apply(aeTitle);
        return r == null ? null : r.host();
    }

    @Override
    public MoveDestination destination(String aeTitle) throws DimseException {
        RemoteAeConfig r = destinations.apply(aeTitle);
        if (r == null) {
            throw new DimseException(Status.MOVE_DESTINATION_UNKNOWN, "move destination unknown: " + aeTitle, Tag.MoveDestination);
        }
        if (r.tls() && tls == null) { // the loader refuses this configuration; never fall back to plain TCP
            throw new DimseException(Status.UNABLE_TO_PROCESS, "move destination " + aeTitle + " needs TLS, which is not configured");
        }
        return new MoveDestination(r.aeTitle(), r.host(), r.port(), r.tls() ? tls : null, r.associations());
    }

    @Override
    public List<? extends StoreSource> retrieve(DimseRequest rq, Dataset identifier) throws DimseException {
        access.check(rq.type() == Dimse.C_GET_RQ ? AccessConfig.Service.GET : AccessConfig.Service.MOVE, rq);
        List<StoredInstance> found;
        try {
            found = locate(identifier);
        } catch (InvalidQueryException e) {
            throw StatusTable.toDimse(e);
        } catch (dev.steadfast.archive.query.QueryLimitException e) {
            throw StatusTable.toDimse(e);
        } catch (IndexException e) {
            throw StatusTable.toDimse(e);
        } catch (dev.steadfast.archive.retrieve.RemoteCopies.UnavailableException e) {
            throw new DimseException(Status.UNABLE_TO_PROCESS, "not held here, and the peer site could not be asked: " + e.getMessage());
        }
        audit(rq, found);
        List<StoreSource> out = new ArrayList<>(found.size());
        StoredInstanceSource.Held held = StoredInstanceSource.Held.withDirectBuffer(); // one buffer per thread sending them
        for (StoredInstance i : found) {
            out.add(new StoredInstanceSource(engine, i, transcoding, held));
        }
        return out;
    }

    private List<StoredInstance> locate(Dataset id) {
        QueryLevel level = QueryLevel.of(id.getString(Tag.QueryRetrieveLevel));
        if (!model.allows(level)) {
            throw new InvalidQueryException(level + " level is not part of the " + model + " model");
        }
        List<String> studies = values(id, Tag.StudyInstanceUID);
        Map<String, StoredInstance> out = new LinkedHashMap<>();
        switch (level) {
            case PATIENT -> {
                List<String> patients = values(id, Tag.PatientID);
                if (patients.size() != 1) {
                    throw new InvalidQueryException("PATIENT level retrieve needs one Patient ID (0010,0020)");
                }
                Dataset keys = new Dataset().setString(Tag.PatientID, VR.LO, patients.get(0)).setString(Tag.StudyInstanceUID, VR.UI, "");
                for (Dataset study : query.queryAll(QueryRequest.of(InformationModel.PATIENT_ROOT, QueryLevel.STUDY, keys))) {
                    add(out, engine.locate(RetrieveRequest.study(study.getString(Tag.StudyInstanceUID))));
                }
            }
            case STUDY -> {
                require(studies, "Study Instance UID (0020,000D)");
                for (String study : studies) {
                    add(out, engine.locate(RetrieveRequest.study(study)));
                }
            }
            case SERIES -> {
                List<String> series = values(id, Tag.SeriesInstanceUID);
                require(series, "Series Instance UID (0020,000E)");
                add(out, engine.locate(new RetrieveRequest(studies.isEmpty() ? null : studies.get(0), series, List.of())));
            }
            case IMAGE -> {
                List<String> sops = values(id, Tag.SOPInstanceUID);
                require(sops, "SOP Instance UID (0008,0018)");
                List<String> series = values(id, Tag.SeriesInstanceUID);
                add(out, engine.locate(new RetrieveRequest(studies.isEmpty() ? null : studies.get(0), series, sops)));
            }
        }
        return new ArrayList<>(out.values());
    }

    private static void add(Map<String, StoredInstance> out, List<StoredInstance> found) {
        found.forEach(i -> out.putIfAbsent(i.record().sopUid(), i));
    }

    private static void require(List<String> values, String what) {
        if (values.isEmpty()) {
            throw new InvalidQueryException("retrieve at this level needs " + what);
        }
    }

    private static List<String> values(Dataset ds, int tag) {
        String[] v = ds.getStrings(tag);
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String s : v) {
                if (s != null && !s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }
}
