package dev.steadfast.dicom.dictionary;

/**
 * One UID of the registry (PS3.6 Annex A). {@code type} is spelled as pydicom writes it,
 * e.g. "SOP Class", "Transfer Syntax"; {@code keyword} is the name of its {@code UID} constant,
 * empty for the few retired UIDs the standard no longer names.
 */
public record UidEntry(String uid, String name, String type, String keyword, boolean retired) {}
