/**
 * DICOMweb (PS3.18), the admin REST API and health over the archive services, on Jetty. The
 * services themselves (qido, wado, stow, wadouri, multipart) stay private: the server reaches
 * them through {@code DicomWebServer} and the hooks exported below.
 */
module dev.steadfast.web {
    requires transitive dev.steadfast.archive;
    requires transitive dev.steadfast.imaging;
    requires transitive org.eclipse.jetty.server; // RouteHandler, in the API, is a Jetty Handler
    requires com.nimbusds.jose.jwt; // OIDC bearer tokens (web.auth)
    requires org.slf4j;

    exports dev.steadfast.web;
    exports dev.steadfast.web.admin;
    exports dev.steadfast.web.auth;
    exports dev.steadfast.web.http;
    exports dev.steadfast.web.imaging;
    exports dev.steadfast.web.multipart; // the server reads a peer site's WADO-RS answers (issue 17)
}
