package dev.steadfast.net.pdu;

import java.util.ArrayList;
import java.util.List;

/**
 * User information item (PS3.8 annex D, PS3.7 annex D.3.3): maximum length, implementation class UID
 * and version name, and the optional negotiation sub-items. {@code maxPduLength} 0 means unlimited.
 */
public record UserInformation(
        int maxPduLength,
        String implementationClassUid,
        String implementationVersionName,
        AsyncOperationsWindow asyncOperationsWindow,
        List<RoleSelection> roleSelections,
        List<SopClassExtendedNegotiation> extendedNegotiations,
        List<SopClassCommonExtendedNegotiation> commonExtendedNegotiations,
        UserIdentityRq userIdentityRq,
        UserIdentityAc userIdentityAc) {

    static final int ITEM_TYPE = 0x50;
    static final int MAX_LENGTH = 0x51;
    static final int IMPLEMENTATION_CLASS_UID = 0x52;
    static final int IMPLEMENTATION_VERSION_NAME = 0x55;

    public UserInformation {
        roleSelections = List.copyOf(roleSelections);
        extendedNegotiations = List.copyOf(extendedNegotiations);
        commonExtendedNegotiations = List.copyOf(commonExtendedNegotiations);
    }

    public UserInformation(int maxPduLength, String implementationClassUid, String implementationVersionName) {
        this(maxPduLength, implementationClassUid, implementationVersionName, null, List.of(), List.of(), List.of(), null, null);
    }

    public RoleSelection roleSelection(String sopClassUid) {
        for (RoleSelection r : roleSelections) {
            if (r.sopClassUid().equals(sopClassUid)) {
                return r;
            }
        }
        return null;
    }

    public UserInformation withRoleSelections(List<RoleSelection> roles) {
        return new UserInformation(maxPduLength, implementationClassUid, implementationVersionName, asyncOperationsWindow,
                roles, extendedNegotiations, commonExtendedNegotiations, userIdentityRq, userIdentityAc);
    }

    public UserInformation withUserIdentityRq(UserIdentityRq rq) {
        return new UserInformation(maxPduLength, implementationClassUid, implementationVersionName, asyncOperationsWindow,
                roleSelections, extendedNegotiations, commonExtendedNegotiations, rq, userIdentityAc);
    }

    public UserInformation withNegotiation(AsyncOperationsWindow async, List<SopClassExtendedNegotiation> ext,
                                           List<SopClassCommonExtendedNegotiation> common, UserIdentityAc identityAc) {
        return new UserInformation(maxPduLength, implementationClassUid, implementationVersionName, async,
                roleSelections, ext, common, userIdentityRq, identityAc);
    }

    void write(PduOutput out) {
        int m = out.beginItem16(ITEM_TYPE);
        int l = out.beginItem16(MAX_LENGTH);
        out.u32(maxPduLength);
        out.endItem16(l);
        int c = out.beginItem16(IMPLEMENTATION_CLASS_UID);
        out.ascii(implementationClassUid);
        out.endItem16(c);
        if (asyncOperationsWindow != null) {
            asyncOperationsWindow.write(out);
        }
        for (RoleSelection r : roleSelections) {
            r.write(out);
        }
        if (implementationVersionName != null && !implementationVersionName.isEmpty()) {
            int v = out.beginItem16(IMPLEMENTATION_VERSION_NAME);
            out.ascii(implementationVersionName);
            out.endItem16(v);
        }
        for (SopClassExtendedNegotiation e : extendedNegotiations) {
            e.write(out);
        }
        for (SopClassCommonExtendedNegotiation e : commonExtendedNegotiations) {
            e.write(out);
        }
        if (userIdentityRq != null) {
            userIdentityRq.write(out);
        }
        if (userIdentityAc != null) {
            userIdentityAc.write(out);
        }
        out.endItem16(m);
    }

    static UserInformation read(PduInput in) throws PduFormatException {
        int maxLength = 0;
        String implClass = "";
        String implVersion = null;
        AsyncOperationsWindow async = null;
        List<RoleSelection> roles = new ArrayList<>();
        List<SopClassExtendedNegotiation> ext = new ArrayList<>();
        List<SopClassCommonExtendedNegotiation> common = new ArrayList<>();
        UserIdentityRq idRq = null;
        UserIdentityAc idAc = null;
        while (in.remaining() > 0) {
            int type = in.u8();
            in.skip(1);
            PduInput item = in.slice(in.u16());
            switch (type) {
                case MAX_LENGTH -> maxLength = item.u32();
                case IMPLEMENTATION_CLASS_UID -> implClass = item.ascii(item.remaining());
                case IMPLEMENTATION_VERSION_NAME -> implVersion = item.ascii(item.remaining());
                case AsyncOperationsWindow.ITEM_TYPE -> async = AsyncOperationsWindow.read(item);
                case RoleSelection.ITEM_TYPE -> roles.add(RoleSelection.read(item));
                case SopClassExtendedNegotiation.ITEM_TYPE -> ext.add(SopClassExtendedNegotiation.read(item));
                case SopClassCommonExtendedNegotiation.ITEM_TYPE -> common.add(SopClassCommonExtendedNegotiation.read(item));
                case UserIdentityRq.ITEM_TYPE -> idRq = UserIdentityRq.read(item);
                case UserIdentityAc.ITEM_TYPE -> idAc = UserIdentityAc.read(item);
                default -> { } // unknown sub-items are ignored (PS3.7 D.3.3: to be ignored by the receiver)
            }
        }
        return new UserInformation(maxLength, implClass, implVersion, async, roles, ext, common, idRq, idAc);
    }
}
