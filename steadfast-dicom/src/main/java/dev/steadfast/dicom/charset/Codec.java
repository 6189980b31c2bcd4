package dev.steadfast.dicom.charset;

import dev.steadfast.dicom.charset.SpecificCharacterSet.Mode;

/** Turns the bytes of one textual value into text and back. */
sealed interface Codec permits DirectCodec, Iso2022Codec {

    String decode(byte[] bytes, int offset, int length, Mode mode);

    byte[] encode(String text, Mode mode);
}
