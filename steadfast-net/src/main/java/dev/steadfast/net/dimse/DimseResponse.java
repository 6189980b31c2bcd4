package dev.steadfast.net.dimse;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;

/** A response as the requestor sees it: status, the command set, and the data set if one came. */
public record DimseResponse(Status status, Dataset command, Dataset dataset) {
    public String errorComment() {
        return command.getString(Tag.ErrorComment);
    }

    public int completed() {
        return command.getInt(Tag.NumberOfCompletedSuboperations, 0);
    }

    public int failed() {
        return command.getInt(Tag.NumberOfFailedSuboperations, 0);
    }

    public int warning() {
        return command.getInt(Tag.NumberOfWarningSuboperations, 0);
    }

    public int remaining() {
        return command.getInt(Tag.NumberOfRemainingSuboperations, 0);
    }

    @Override
    public String toString() {
        String c = errorComment();
        return status + (c == null ? "" : " \"" + c + "\"");
    }
}
