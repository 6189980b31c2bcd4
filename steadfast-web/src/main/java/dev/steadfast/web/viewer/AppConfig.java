package dev.steadfast.web.viewer;

/**
 * The viewer's {@code app-config.js}: one DICOMweb data source, this server's, reached at the page's own
 * origin (so the same file works behind any host name or proxy), the study list as the home page.
 * Options are those of OHIF v3's {@code dicomweb} data source; the ones that matter here say what our
 * DICOMweb supports (includefield, fuzzy matching, bulk data URIs, WADO-RS frames).
 */
final class AppConfig {
    private AppConfig() {}

    static String script(String routerBasename, String dicomWebPath) {
        return """
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
                  ],
                };
                """.formatted(routerBasename, dicomWebPath);
    }
}
