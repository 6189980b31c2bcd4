# Issue 18 test peer: writes a Basic Voice Audio Waveform object (PS3.3 A.34.2) with pydicom.
# Arguments: output file, Study Instance UID, Patient ID, Patient Name. Prints the SOP Instance UID.
import sys, math
import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
from pydicom.sequence import Sequence

out, study, patient_id, patient_name = sys.argv[1:5]
meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.9.4.1"
meta.MediaStorageSOPInstanceUID = generate_uid()
meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds = FileDataset(out, {}, file_meta=meta, preamble=b"\0" * 128)
ds.SOPClassUID = meta.MediaStorageSOPClassUID
ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
ds.StudyInstanceUID = study
ds.SeriesInstanceUID = generate_uid()
ds.Modality = "AU"
ds.PatientID = patient_id
ds.PatientName = patient_name
ds.SeriesNumber = "90"
ds.InstanceNumber = "1"
ds.ContentDate = "20261208"
ds.ContentTime = "101500"
ds.AcquisitionDateTime = "20261208101500"
n = 8000  # one second at 8 kHz, a 440 Hz tone, 8-bit mu-law as the IOD allows
w = Dataset()
w.WaveformOriginality = "ORIGINAL"
w.NumberOfWaveformChannels = 1
w.NumberOfWaveformSamples = n
w.SamplingFrequency = "8000"
ch = Dataset()
src = Dataset()
src.CodeValue = "MIC"; src.CodingSchemeDesignator = "DCM"; src.CodeMeaning = "Microphone"
ch.ChannelSourceSequence = Sequence([src])
ch.WaveformBitsStored = 8
w.ChannelDefinitionSequence = Sequence([ch])
w.WaveformBitsAllocated = 8
w.WaveformSampleInterpretation = "MB"
def mulaw(x):
    s = max(-1.0, min(1.0, x)); m = int(math.copysign(math.log1p(255 * abs(s)) / math.log1p(255), s) * 127)
    return (~(m + 128)) & 0xFF
w.WaveformData = bytes(mulaw(0.5 * math.sin(2 * math.pi * 440 * i / 8000)) for i in range(n))
ds.WaveformSequence = Sequence([w])
ds.is_little_endian = True
ds.is_implicit_VR = False
ds.save_as(out, write_like_original=False)
print(ds.SOPInstanceUID)
