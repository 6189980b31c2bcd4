"""usage: pixels_equal.py RETRIEVED ORIGINAL [max_mean_diff]

Prints the retrieved file's transfer syntax, then EQUAL when pydicom decodes the same pixel
values from both (or, with max_mean_diff, CLOSE when the mean |difference| is within it).
"""
import sys

import numpy
import pydicom

a = pydicom.dcmread(sys.argv[1])
b = pydicom.dcmread(sys.argv[2])
print(a.file_meta.TransferSyntaxUID)
pa = a.pixel_array.astype(numpy.int64)
pb = b.pixel_array.astype(numpy.int64)
if pa.shape != pb.shape:
    print(f"SHAPE {pa.shape} vs {pb.shape}")
    sys.exit(1)
if len(sys.argv) > 3:
    mean = float(numpy.abs(pa - pb).mean())
    print(f"MEAN {mean:.3f}")
    sys.exit(0 if mean <= float(sys.argv[3]) else 1)
if not numpy.array_equal(pa, pb):
    print(f"DIFFER max {int(numpy.abs(pa - pb).max())}")
    sys.exit(1)
print("EQUAL")
