package dev.steadfast.server.cli;

import dev.steadfast.server.config.ServeConfig;
import dev.steadfast.server.node.PortInUse;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;

/** Why {@code serve} could not start, in one line that says what is wrong and what to do. */
final class StartFailures {
    private StartFailures() {
    }

    static String describe(Exception e, ServeConfig config) {
        return switch (e) {
            case PortInUse p when p.inUse() -> p.getMessage() + " (another steadfast serve, or another program, listens there): stop it, or "
                    + "choose another port with " + flagFor(p.service());
            case PortInUse p -> p.getMessage() + ": check " + (p.service().equals("HTTP") ? "--http-bind (http.bind)"
                    : p.service().equals("HL7") ? "hl7.bind" : "dicom.bind")
                    + " and " + flagFor(p.service());
            case FileAlreadyExistsException f -> f.getFile() + " is a file, not a folder: " + folderAdvice(f.getFile(), config);
            case NotDirectoryException f -> f.getFile() + " is a file, not a folder: " + folderAdvice(f.getFile(), config);
            case AccessDeniedException f -> noPermission(f.getFile(), "permission denied", config);
            case FileSystemException f when f.getFile() != null && f.getReason() != null
                    && f.getReason().toLowerCase(java.util.Locale.ROOT).contains("not a directory") ->
                    "part of " + f.getFile() + " is a file, not a folder: " + folderAdvice(f.getFile(), config);
            case FileSystemException f when f.getFile() != null && f.getReason() != null && isPermission(f.getReason()) ->
                    noPermission(f.getFile(), f.getReason(), config);
            case FileSystemException f when f.getFile() != null -> "cannot create or use " + f.getFile()
                    + (f.getReason() == null ? "" : " (" + f.getReason() + ")") + ": " + folderChoice(f.getFile(), config);
            default -> e.getMessage() == null ? e.toString() : e.getMessage();
        };
    }

    private static boolean isPermission(String reason) {
        String r = reason.toLowerCase(java.util.Locale.ROOT);
        return r.contains("permission") || r.contains("not permitted") || r.contains("read-only");
    }

    private static String noPermission(String file, String reason, ServeConfig config) {
        return "cannot create or write " + file + " (" + reason + "): give the user running steadfast read and write access to it, or "
                + folderChoice(file, config);
    }

    private static String flagFor(String service) {
        return switch (service) {
            case "HTTP" -> "--http-port (http.port)";
            case "DICOM TLS" -> "dicom.tls.port";
            case "HL7" -> "hl7.port";
            default -> "--dicom-port (dicom.port)";
        };
    }

    private static String folderAdvice(String file, ServeConfig config) {
        return "move it away, or " + folderChoice(file, config);
    }

    private static String folderChoice(String file, ServeConfig config) {
        boolean inData = file != null && java.nio.file.Path.of(file).toAbsolutePath().startsWith(config.data().toAbsolutePath());
        return inData ? "choose another data folder with --data (data)" : "fix the storage or index path in the configuration";
    }
}
