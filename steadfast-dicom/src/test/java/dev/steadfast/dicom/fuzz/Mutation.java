package dev.steadfast.dicom.fuzz;

/** A damaged input and how it was made, so that a failure can be read and reproduced. */
record Mutation(String description, byte[] bytes) {
}
