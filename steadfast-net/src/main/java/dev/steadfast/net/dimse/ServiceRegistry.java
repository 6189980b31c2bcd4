package dev.steadfast.net.dimse;

import dev.steadfast.dicom.UID;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Which handler serves which (SOP class, request type). Verification is always there. Immutable once built. */
public final class ServiceRegistry {
    private record Key(String sopClassUid, Dimse type) {
    }

    private final Map<Key, Object> handlers;
    private final Set<String> sopClasses;

    private ServiceRegistry(Map<Key, Object> handlers) {
        this.handlers = Map.copyOf(handlers);
        Set<String> s = new LinkedHashSet<>();
        handlers.keySet().forEach(k -> s.add(k.sopClassUid()));
        this.sopClasses = Set.copyOf(s);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The handler for a request, or null: the caller answers "SOP class not supported" / "unrecognized operation". */
    public Object handler(String sopClassUid, Dimse type) {
        return handlers.get(new Key(sopClassUid, type));
    }

    /** Whether any request type is served for this SOP class. */
    public boolean supports(String sopClassUid) {
        return sopClasses.contains(sopClassUid);
    }

    public Set<String> sopClasses() {
        return sopClasses;
    }

    public static final class Builder {
        private final Map<Key, Object> handlers = new HashMap<>();

        private Builder() {
            handlers.put(new Key(UID.Verification, Dimse.C_ECHO_RQ), CEchoService.DEFAULT);
        }

        public Builder echo(CEchoService s) {
            handlers.put(new Key(UID.Verification, Dimse.C_ECHO_RQ), s);
            return this;
        }

        public Builder store(Collection<String> sopClassUids, CStoreService s) {
            sopClassUids.forEach(c -> handlers.put(new Key(c, Dimse.C_STORE_RQ), s));
            return this;
        }

        public Builder find(String sopClassUid, CFindService s) {
            handlers.put(new Key(sopClassUid, Dimse.C_FIND_RQ), s);
            return this;
        }

        public Builder move(String sopClassUid, CMoveService s) {
            handlers.put(new Key(sopClassUid, Dimse.C_MOVE_RQ), s);
            return this;
        }

        public Builder get(String sopClassUid, CGetService s) {
            handlers.put(new Key(sopClassUid, Dimse.C_GET_RQ), s);
            return this;
        }

        public Builder nAction(String sopClassUid, NActionService s) {
            handlers.put(new Key(sopClassUid, Dimse.N_ACTION_RQ), s);
            return this;
        }

        public Builder nEventReport(String sopClassUid, NEventReportService s) {
            handlers.put(new Key(sopClassUid, Dimse.N_EVENT_REPORT_RQ), s);
            return this;
        }

        public Builder nCreate(String sopClassUid, NCreateService s) {
            handlers.put(new Key(sopClassUid, Dimse.N_CREATE_RQ), s);
            return this;
        }

        public Builder nSet(String sopClassUid, NSetService s) {
            handlers.put(new Key(sopClassUid, Dimse.N_SET_RQ), s);
            return this;
        }

        public ServiceRegistry build() {
            return new ServiceRegistry(handlers);
        }
    }
}
