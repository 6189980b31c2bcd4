package dev.steadfast.net.pdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PduCodecTest {
    private static Pdu roundTrip(Pdu p) throws IOException {
        byte[] b = PduWriter.encode(p);
        Pdu back = new PduReader(new ByteArrayInputStream(b), 1 << 20, 1 << 20).read();
        assertThat(PduWriter.encode(back)).isEqualTo(b);
        return back;
    }

    @Test
    void associateRqWithEverySubItemRoundTrips() throws IOException {
        UserInformation ui = new UserInformation(16384, "1.2.3.4", "TEST_1", new AsyncOperationsWindow(5, 1),
                List.of(new RoleSelection("1.2.840.10008.5.1.4.1.1.2", false, true)),
                List.of(new SopClassExtendedNegotiation("1.2.840.10008.5.1.4.1.2.2.1", new byte[] {1, 1, 0})),
                List.of(new SopClassCommonExtendedNegotiation("1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.4.2", List.of("1.2.3", "1.2.4"))),
                UserIdentityRq.usernamePasscode("alice", "secret", true), null);
        AAssociateRq rq = new AAssociateRq(1, "CALLED", "CALLING", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextRq(1, "1.2.840.10008.1.1", "1.2.840.10008.1.2"),
                        new PresentationContextRq(3, "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2")), ui);
        AAssociateRq back = (AAssociateRq) roundTrip(rq);
        assertThat(back.calledAeTitle()).isEqualTo("CALLED");
        assertThat(back.presentationContexts()).isEqualTo(rq.presentationContexts());
        UserInformation u = back.userInformation();
        assertThat(u.maxPduLength()).isEqualTo(16384);
        assertThat(u.implementationVersionName()).isEqualTo("TEST_1");
        assertThat(u.asyncOperationsWindow()).isEqualTo(new AsyncOperationsWindow(5, 1));
        assertThat(u.roleSelections()).isEqualTo(ui.roleSelections());
        assertThat(u.extendedNegotiations().get(0).serviceClassApplicationInformation()).containsExactly(1, 1, 0);
        assertThat(u.commonExtendedNegotiations()).isEqualTo(ui.commonExtendedNegotiations());
        assertThat(u.userIdentityRq().primaryFieldAsString()).isEqualTo("alice");
        assertThat(u.userIdentityRq().secondaryFieldAsString()).isEqualTo("secret");
        assertThat(u.userIdentityRq().toString()).doesNotContain("secret");
    }

    @Test
    void associateAcRejectAbortReleaseAndDataRoundTrip() throws IOException {
        AAssociateAc ac = new AAssociateAc(1, "A", "B", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextAc(1, 0, "1.2.840.10008.1.2"), new PresentationContextAc(3, 3, null)),
                new UserInformation(0, "1.2", null).withNegotiation(null, List.of(), List.of(), new UserIdentityAc(new byte[] {9})));
        AAssociateAc back = (AAssociateAc) roundTrip(ac);
        assertThat(back.presentationContext(1).transferSyntax()).isEqualTo("1.2.840.10008.1.2");
        assertThat(back.presentationContext(3).accepted()).isFalse();
        assertThat(back.userInformation().userIdentityAc().serverResponse()).containsExactly(9);
        assertThat(roundTrip(new AAssociateRj(2, 3, 2))).isEqualTo(new AAssociateRj(2, 3, 2));
        assertThat(roundTrip(new AAbort(2, 6))).isEqualTo(new AAbort(2, 6));
        assertThat(roundTrip(new AReleaseRq())).isEqualTo(new AReleaseRq());
        assertThat(roundTrip(new AReleaseRp())).isEqualTo(new AReleaseRp());
        byte[] data = {1, 2, 3, 4};
        PDataTf p = (PDataTf) roundTrip(new PDataTf(List.of(new PresentationDataValue(1, 3, data, 0, 4), new PresentationDataValue(3, 0, data, 1, 2))));
        assertThat(p.values()).hasSize(2);
        assertThat(p.values().get(0).isCommand()).isTrue();
        assertThat(p.values().get(0).isLast()).isTrue();
        assertThat(Arrays.copyOfRange(p.values().get(1).buffer(), p.values().get(1).offset(), p.values().get(1).offset() + 2)).containsExactly(2, 3);
    }

    @Test
    void hostileLengthsAreRefused() {
        byte[] huge = {4, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(huge), 16384, 65536).read())
                .isInstanceOfSatisfying(PduFormatException.class, e -> assertThat(e.abortReason()).isEqualTo(AAbort.INVALID_PDU_PARAMETER_VALUE));
        byte[] pdvTooLong = {4, 0, 0, 0, 0, 8, 0, 0, 0, 100, 1, 3, 0, 0};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(pdvTooLong), 16384, 65536).read()).isInstanceOf(PduFormatException.class);
        byte[] unknownType = {9, 0, 0, 0, 0, 4, 0, 0, 0, 0};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(unknownType), 16384, 65536).read())
                .isInstanceOfSatisfying(PduFormatException.class, e -> assertThat(e.abortReason()).isEqualTo(AAbort.UNRECOGNIZED_PDU));
        byte[] truncated = {7, 0, 0, 0, 0, 4, 0};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(truncated), 16384, 65536).read()).isInstanceOf(EOFException.class);
        byte[] itemOverrun = PduWriter.encode(new AAssociateRq(1, "A", "B", AAssociateRq.DICOM_APPLICATION_CONTEXT, List.of(),
                new UserInformation(0, "1.2", null)));
        itemOverrun[6 + 68 + 3] = (byte) 0xff; // application context item claims 255 bytes
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(itemOverrun), 16384, 65536).read()).isInstanceOf(PduFormatException.class);
    }
}
