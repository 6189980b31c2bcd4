package dev.steadfast.web;

import dev.steadfast.web.http.Route;
import dev.steadfast.web.qido.QidoService;
import dev.steadfast.web.stow.StowService;
import dev.steadfast.web.wado.FrameService;
import dev.steadfast.web.wado.RenderedService;
import dev.steadfast.web.wado.WadoService;
import dev.steadfast.web.wadouri.WadoUriService;

import java.util.List;

/** Every DICOMweb resource, as PS3.18 lists them, relative to the context path. */
final class Routes {
    private static final String STUDY = "/studies/{study}";
    private static final String SERIES = STUDY + "/series/{series}";
    private static final String INSTANCE = SERIES + "/instances/{instance}";
    private static final String FRAMES = INSTANCE + "/frames/{frames}";

    private Routes() {}

    static List<Route> table(WebConfig config, ArchiveServices s) {
        StowService stow = new StowService(s.ingest(), config.sourceName()).audited(s.audit());
        QidoService qido = new QidoService(s.query(), config.qidoMaxResults()).audited(s.audit());
        WadoService wado = new WadoService(s.retrieve(), s.imaging()).audited(s.audit());
        FrameService frames = new FrameService(wado, s.retrieve(), s.imaging());
        RenderedService rendered = new RenderedService(wado, s.retrieve(), s.imaging());
        WadoUriService wadoUri = new WadoUriService(s.retrieve(), s.imaging());
        return List.of(
                // STOW-RS (10.5)
                Route.of("POST", "/studies", stow::store),
                Route.of("POST", STUDY, stow::store),
                // QIDO-RS (10.6)
                Route.of("GET", "/studies", qido::studies),
                Route.of("GET", STUDY + "/series", qido::series),
                Route.of("GET", "/series", qido::series),
                Route.of("GET", SERIES + "/instances", qido::instances),
                Route.of("GET", STUDY + "/instances", qido::instances),
                Route.of("GET", "/instances", qido::instances),
                // WADO-RS (10.4)
                Route.of("GET", STUDY, wado::retrieve),
                Route.of("GET", SERIES, wado::retrieve),
                Route.of("GET", INSTANCE, wado::retrieve),
                Route.of("GET", STUDY + "/metadata", viewed(wado::metadata, s, "metadata")),
                Route.of("GET", SERIES + "/metadata", viewed(wado::metadata, s, "metadata")),
                Route.of("GET", INSTANCE + "/metadata", viewed(wado::metadata, s, "metadata")),
                Route.of("GET", FRAMES, viewed(frames::frames, s, "frames")),
                Route.of("GET", INSTANCE + "/bulkdata/{path*}", viewed(frames::bulkdata, s, "bulkdata")),
                Route.of("GET", STUDY + "/rendered", viewed(rendered::rendered, s, "rendered")),
                Route.of("GET", SERIES + "/rendered", viewed(rendered::rendered, s, "rendered")),
                Route.of("GET", INSTANCE + "/rendered", viewed(rendered::rendered, s, "rendered")),
                Route.of("GET", FRAMES + "/rendered", viewed(rendered::rendered, s, "rendered")),
                Route.of("GET", STUDY + "/thumbnail", viewed(rendered::thumbnail, s, "thumbnail")),
                Route.of("GET", SERIES + "/thumbnail", viewed(rendered::thumbnail, s, "thumbnail")),
                Route.of("GET", INSTANCE + "/thumbnail", viewed(rendered::thumbnail, s, "thumbnail")),
                Route.of("GET", FRAMES + "/thumbnail", viewed(rendered::thumbnail, s, "thumbnail")),
                // WADO-URI (9)
                Route.of("GET", "/wado", viewed(wadoUri::get, s, "wado-uri")));
    }

    /** A viewer read, reported to the audit trail once it was answered (gathered per requestor and study there). */
    private static Route.Service viewed(Route.Service service, ArchiveServices s, String what) {
        return x -> {
            service.handle(x);
            String study = x.pathParamOrNull("study");
            if (study == null) {
                study = x.queryParam("studyUID"); // WADO-URI
            }
            s.audit().viewed(new dev.steadfast.archive.audit.AuditEvents.Actor(x.user() == null ? "DICOMWEB" : x.user(),
                    x.remoteAddress()), study, what);
        };
    }
}
