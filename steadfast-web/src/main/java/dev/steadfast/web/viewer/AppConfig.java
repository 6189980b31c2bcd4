package dev.steadfast.web.viewer;

import dev.steadfast.web.ViewerSignIn;

/**
 * The viewer's {@code app-config.js}: one DICOMweb data source, this server's, reached at the page's own
 * origin (so the same file works behind any host name or proxy), the study list as the home page.
 * Options are those of OHIF v3's {@code dicomweb} data source; the ones that matter here say what our
 * DICOMweb supports (includefield, fuzzy matching, bulk data URIs, WADO-RS frames).
 */
final class AppConfig {
    private AppConfig() {}

    static String script(String routerBasename, String dicomWebPath, ViewerSignIn signIn) {
        return ("""
                /* Written by Steadfast: the viewer reads this server's DICOMweb. */
                window.config = {
                  routerBasename: '%1$s',
                  showStudyList: true,
                  extensions: [],
                  modes: [],
                  maxNumberOfWebWorkers: 3,
                  showWarningMessageForCrossOrigin: false,
                  showCPUFallbackMessage: true,
                  showLoadingIndicator: true,
                  strictZSpacingForVolumeViewport: true,
                  // The header's logo becomes a link to the archive's status page (OHIF's white-labelling hook).
                  whiteLabeling: {
                    createLogoComponentFn: function (React) {
                      return React.createElement('a', { href: '/status', title: 'Archive status',
                        'data-cy': 'steadfast-status-link', className: 'text-primary-light ml-2 whitespace-nowrap' },
                        'Steadfast \u00b7 status');
                    },
                  },
                  defaultDataSourceName: 'steadfast',
                  dataSources: [
                    {
                      namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
                      sourceName: 'steadfast',
                      configuration: {
                        friendlyName: 'Steadfast',
                        name: 'steadfast',
                        wadoUriRoot: window.location.origin + '%2$s/wado',
                        qidoRoot: window.location.origin + '%2$s',
                        wadoRoot: window.location.origin + '%2$s',
                        qidoSupportsIncludeField: true,
                        supportsReject: false,
                        imageRendering: 'wadors',
                        thumbnailRendering: 'wadors',
                        enableStudyLazyLoad: true,
                        supportsFuzzyMatching: true,
                        supportsWildcard: true,
                        staticWado: false,
                        singlepart: 'bulkdata,video',
                        bulkDataURI: { enabled: true },
                        omitQuotationForMultipartRequest: true,
                      },
                    },
                  ],%3$s
                };
                """).formatted(routerBasename, dicomWebPath, signIn == null ? "" : oidc(signIn));
    }

    /** OHIF's sign-in (oidc-client-ts: authorization code with PKCE); it calls back at {@code <router base>/callback}. */
    private static String oidc(ViewerSignIn s) {
        return """

                  oidc: [
                    {
                      authority: '%s',
                      client_id: '%s',
                      response_type: 'code',
                      scope: '%s',
                      post_logout_redirect_uri: '/viewer/',
                    },
                  ],""".formatted(js(s.authority()), js(s.clientId()), js(s.scope()));
    }

    private static String js(String v) {
        return v.replace("\\", "\\\\").replace("'", "\\'").replace("\n", " ").replace("<", "\\x3c");
    }
}
