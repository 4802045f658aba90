package io.secrethub.server.http;

import io.secrethub.core.ClientAddress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of every API call, on Jetty's core {@link Handler} API: checks the request's shape (TLS,
 * path, method, content type, body size, JSON), builds an {@link ApiRequest}, routes it, and writes the
 * answer or a Vault-style error. Handlers block on the database, so this handler is a blocking one;
 * Jetty runs it on a virtual thread where the runtime has them.
 */
public final class ApiHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    /** Go's net/http answer, which Vault clients see, to plain HTTP on a TLS port. */
    static final String PLAIN_HTTP_ON_TLS = "Client sent an HTTP request to an HTTPS server.\n";

    private final Router router;
    private final long maxRequestBytes;

    public ApiHandler(Router router, long maxRequestBytes) {
        this.router = router;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (!request.isSecure()) {
            response.setStatus(400);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            Content.Sink.write(response, true, PLAIN_HTTP_ON_TLS, callback);
            return true;
        }
        Reply reply;
        try {
            ApiRequest api = parse(request);
            Router.Match match = router.route(api.path()).orElseThrow(() -> new ApiException(404,
                    "no handler for route \"" + printable(api.path()) + "\". route entry not found."));
            reply = ClientAddress.with(api.clientAddress(), () -> match.endpoint().handle(api, match.rest()));
        } catch (RuntimeException e) {
            ApiException error = CoreErrors.map(e);
            if (error == null) {
                LOG.error("internal error on {} {}: {}", request.getMethod(), printable(request.getHttpURI().getPath()),
                        e.getClass().getName(), e);
                error = new ApiException(500, "internal error");
            }
            reply = new Reply(error.status(), Map.of("errors", error.errors()));
        }
        write(request, response, callback, reply);
        return true;
    }

    private ApiRequest parse(Request request) {
        String rawPath = request.getHttpURI().getPath();
        if (rawPath == null || !rawPath.startsWith("/v1/")) {
            throw new ApiException(404, List.of());
        }
        String path = request.getHttpURI().getDecodedPath().substring("/v1/".length());
        checkPath(rawPath, path);
        Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        Operation operation = operation(request.getMethod(), query.getValue("list"));
        String namespace = request.getHeaders().get("X-Vault-Namespace");
        if (namespace != null && !namespace.isEmpty() && !namespace.equals("root") && !namespace.equals("root/")) {
            throw ApiException.badRequest("namespaces are not supported");
        }
        Map<String, Object> body = null;
        if (operation == Operation.UPDATE || operation == Operation.DELETE) {
            body = readBody(request);
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (Fields.Field field : query) {
            parameters.put(field.getName(), field.getValues());
        }
        X509Certificate[] peer = null;
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData tls) {
            peer = tls.peerCertificates();
        }
        return new ApiRequest(operation, path, parameters, body, token(request), Request.getRemoteAddr(request), peer);
    }

    /** Refuses {@code ..}, {@code .}, empty segments and control characters (NUL) instead of normalising them. */
    private static void checkPath(String rawPath, String path) {
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) < 0x20 || path.charAt(i) == 0x7f) {
                throw ApiException.badRequest("invalid path: control character");
            }
        }
        if (rawPath.indexOf('.') < 0 && rawPath.indexOf('%') < 0) {
            return; // no segment can be "." or ".." (plain or %2e-encoded): skip the split on every request
        }
        for (String segment : rawPath.split("/", -1)) {
            String lower = segment.toLowerCase(Locale.ROOT);
            if (segment.equals("..") || segment.equals(".") || lower.equals("%2e%2e") || lower.equals("%2e")) {
                throw ApiException.badRequest("invalid path: relative segment");
            }
        }
    }

    private static Operation operation(String method, String list) {
        switch (method) {
            case "GET":
                if (list != null && !list.isEmpty()) {
                    boolean listing = switch (list) {
                        case "true", "1", "t", "T", "TRUE", "True" -> true;
                        case "false", "0", "f", "F", "FALSE", "False" -> false;
                        default -> throw ApiException.badRequest("invalid value for list: expected a boolean");
                    };
                    return listing ? Operation.LIST : Operation.READ;
                }
                return Operation.READ;
            case "HEAD":
                return Operation.HEAD;
            case "LIST":
                return Operation.LIST;
            case "POST":
            case "PUT":
                return Operation.UPDATE;
            case "DELETE":
                return Operation.DELETE;
            default:
                throw new ApiException(405, List.of());
        }
    }

    private Map<String, Object> readBody(Request request) {
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (contentType != null && !acceptedContentType(contentType)) {
            throw new ApiException(415, "unsupported content type; send application/json");
        }
        long declared = request.getLength();
        if (declared > maxRequestBytes) {
            throw new ApiException(413, "http: request body too large");
        }
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared >= 0) {
                // Content-Length known (a login's ~100 bytes): read exactly that, not via an 8 KB chunk, then make
                // sure nothing follows it.
                bytes = in.readNBytes((int) declared);
                if (in.read() != -1) {
                    throw ApiException.badRequest("failed to read the request body");
                }
            } else {
                bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestBytes + 1));
            }
        } catch (IOException e) {
            throw ApiException.badRequest("failed to read the request body");
        }
        if (bytes.length > maxRequestBytes) {
            throw new ApiException(413, "http: request body too large");
        }
        if (bytes.length == 0 || isBlank(bytes)) {
            return null; // Vault treats an empty body as no parameters
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("failed to parse JSON input: not UTF-8");
        }
        return Json.parseObject(text);
    }

    /**
     * JSON, or no particular type: Vault parses every body as JSON whatever it is labelled, and
     * {@code curl --data} labels it as a form, so that label is taken too.
     */
    private static boolean acceptedContentType(String contentType) {
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.equals("application/x-www-form-urlencoded")
                || type.equals("text/plain") || type.isEmpty();
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String token(Request request) {
        String token = request.getHeaders().get("X-Vault-Token");
        if (token != null && !token.isEmpty()) {
            return token;
        }
        for (HttpField field : request.getHeaders().getFields(HttpHeader.AUTHORIZATION)) {
            String value = field.getValue();
            if (value != null && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return value.substring(7).strip();
            }
        }
        return null;
    }

    private static void write(Request request, Response response, Callback callback, Reply reply) {
        response.setStatus(reply.status());
        if (reply.body() == null || HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, Json.write(reply.body()) + "\n", callback);
    }

    /** A path fit for an error text or log line: printable ASCII, bounded. */
    static String printable(String path) {
        String shown = path.length() > 256 ? path.substring(0, 256) + "..." : path;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
