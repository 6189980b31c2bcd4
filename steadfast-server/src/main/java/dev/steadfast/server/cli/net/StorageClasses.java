package dev.steadfast.server.cli.net;

import dev.steadfast.dicom.UID;
import java.util.List;

/** Storage SOP classes a retrieving SCU offers to receive: 64 in use today, leaving room for compressed contexts. */
final class StorageClasses {
    static final List<String> COMMON = List.of(
            UID.ComputedRadiographyImageStorage, UID.DigitalXRayImageStorageForPresentation, UID.DigitalXRayImageStorageForProcessing,
            UID.DigitalMammographyXRayImageStorageForPresentation, UID.DigitalMammographyXRayImageStorageForProcessing,
            UID.CTImageStorage, UID.EnhancedCTImageStorage, UID.LegacyConvertedEnhancedCTImageStorage,
            UID.UltrasoundMultiFrameImageStorage, UID.MRImageStorage, UID.EnhancedMRImageStorage, UID.MRSpectroscopyStorage,
            UID.UltrasoundImageStorage, UID.EnhancedUSVolumeStorage, UID.SecondaryCaptureImageStorage,
            UID.MultiFrameGrayscaleByteSecondaryCaptureImageStorage, UID.MultiFrameGrayscaleWordSecondaryCaptureImageStorage,
            UID.MultiFrameTrueColorSecondaryCaptureImageStorage, UID.TwelveLeadECGWaveformStorage, UID.HemodynamicWaveformStorage,
            UID.GrayscaleSoftcopyPresentationStateStorage, UID.ColorSoftcopyPresentationStateStorage, UID.XRayAngiographicImageStorage,
            UID.EnhancedXAImageStorage, UID.XRayRadiofluoroscopicImageStorage, UID.XRay3DAngiographicImageStorage,
            UID.BreastTomosynthesisImageStorage, UID.BreastProjectionXRayImageStorageForPresentation,
            UID.IntravascularOpticalCoherenceTomographyImageStorageForPresentation, UID.NuclearMedicineImageStorage,
            UID.ParametricMapStorage, UID.RawDataStorage, UID.SpatialRegistrationStorage, UID.DeformableSpatialRegistrationStorage,
            UID.SegmentationStorage, UID.SurfaceSegmentationStorage, UID.VLEndoscopicImageStorage, UID.VideoEndoscopicImageStorage,
            UID.VLPhotographicImageStorage, UID.OphthalmicPhotography8BitImageStorage, UID.OphthalmicTomographyImageStorage,
            UID.VLWholeSlideMicroscopyImageStorage, UID.BasicTextSRStorage, UID.EnhancedSRStorage, UID.ComprehensiveSRStorage,
            UID.Comprehensive3DSRStorage, UID.ProcedureLogStorage, UID.MammographyCADSRStorage, UID.KeyObjectSelectionDocumentStorage,
            UID.ChestCADSRStorage, UID.XRayRadiationDoseSRStorage, UID.MicroscopyBulkSimpleAnnotationsStorage,
            UID.EncapsulatedPDFStorage, UID.EncapsulatedCDAStorage, UID.PositronEmissionTomographyImageStorage,
            UID.EnhancedPETImageStorage, UID.BasicStructuredDisplayStorage, UID.RTImageStorage, UID.RTDoseStorage,
            UID.RTStructureSetStorage, UID.RTBeamsTreatmentRecordStorage, UID.RTPlanStorage, UID.RTIonPlanStorage,
            UID.RTIonBeamsTreatmentRecordStorage);

    private StorageClasses() {
    }
}
