/** The DICOM core library: data model, dictionary, Part 10 and stream reading and writing. JDK only. */
module dev.steadfast.dicom {
    requires java.xml;

    exports dev.steadfast.dicom;
    exports dev.steadfast.dicom.charset;
    exports dev.steadfast.dicom.dictionary;
    exports dev.steadfast.dicom.io;
    exports dev.steadfast.dicom.json;
    exports dev.steadfast.dicom.value;
    exports dev.steadfast.dicom.xml;
}
