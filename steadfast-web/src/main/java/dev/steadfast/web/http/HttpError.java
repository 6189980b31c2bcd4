package dev.steadfast.web.http;

/**
 * A request that cannot be answered as asked. The status goes to the client with a JSON body
 * and a PS3.18 Warning header carrying the message, so the message must name no patient data.
 */
public final class HttpError extends RuntimeException {
    private final int status;

    public HttpError(int status, String message) {
        super(message);
        this.status = status;
    }

    public HttpError(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() { return status; }

    public static HttpError badRequest(String message) { return new HttpError(400, message); }

    public static HttpError notFound(String message) { return new HttpError(404, message); }

    public static HttpError notAcceptable(String message) { return new HttpError(406, message); }

    public static HttpError unsupportedMediaType(String message) { return new HttpError(415, message); }
}
