package io.secrethub.core.database;

import io.secrethub.core.InvalidRequestException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a database config's connection URL may say. The URL comes from whoever may write configs, and the
 * PostgreSQL driver acts on its parameters inside SecretHub's process: some load classes ({@code socketFactory},
 * {@code sslfactory}, {@code sslpasswordcallback}), read or write files ({@code sslcert}, {@code sslkey},
 * {@code sslrootcert}, {@code loggerFile}) or set arbitrary server settings ({@code options}). Only the
 * parameters below are accepted, and without an explicit {@code sslmode} the
 * connection verifies the server's certificate and host name ({@code verify-full}), so a config cannot quietly
 * talk to an impostor in the clear.
 */
public final class ConnectionUrls {

    /** The default when the URL names no {@code sslmode}. */
    public static final String DEFAULT_SSL_MODE = "verify-full";

    private static final String PREFIX = "jdbc:postgresql://";
    private static final Set<String> ALLOWED = Set.of("sslmode", "connectTimeout", "loginTimeout", "socketTimeout",
            "tcpKeepAlive", "ApplicationName", "targetServerType", "hostRecheckSeconds", "loadBalanceHosts",
            "channelBinding", "gssEncMode", "currentSchema");
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
            "verify-full");
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_.$-]{1,63}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.:-]{0,128}");

    private ConnectionUrls() {
    }

    /**
     * Checks the hosts, database name and parameters of {@code url} (which already starts with the JDBC prefix
     * and holds only printable characters).
     *
     * @throws InvalidRequestException naming what is not allowed
     */
    public static void checkParameters(String url) {
        String rest = url.substring(PREFIX.length());
        int query = rest.indexOf('?');
        String location = query < 0 ? rest : rest.substring(0, query);
        int slash = location.indexOf('/');
        String hosts = slash < 0 ? location : location.substring(0, slash);
        for (String host : hosts.split(",", -1)) {
            if (!HOST.matcher(host).matches()) {
                throw new InvalidRequestException("connectionUrl has an invalid host '" + host + "': expected"
                        + " host[:port] (names, IPv4 or [IPv6]), comma-separated");
            }
        }
        if (slash >= 0 && !DATABASE.matcher(location.substring(slash + 1)).matches()) {
            throw new InvalidRequestException("connectionUrl has an invalid database name: 1-63 characters of"
                    + " letters, digits, '_', '.', '$' or '-'");
        }
        if (query < 0) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (String parameter : rest.substring(query + 1).split("&", -1)) {
            String[] kv = parameter.split("=", 2);
            String key = kv[0];
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.contains("password") || lower.equals("user")) {
                throw new InvalidRequestException("connectionUrl must not carry credentials (parameter '" + key
                        + "'): set username() and password()");
            }
            if (!ALLOWED.contains(key)) {
                throw new InvalidRequestException("connectionUrl parameter '" + key + "' is not allowed; allowed: "
                        + String.join(", ", new java.util.TreeSet<>(ALLOWED)));
            }
            if (!seen.add(key)) {
                throw new InvalidRequestException("connectionUrl names parameter '" + key + "' twice");
            }
            String value = kv.length > 1 ? kv[1] : "";
            if (!VALUE.matcher(value).matches()) {
                throw new InvalidRequestException("connectionUrl parameter '" + key + "' has an invalid value");
            }
            if (key.equals("sslmode") && !SSL_MODES.contains(value)) {
                throw new InvalidRequestException("connectionUrl sslmode must be one of " + new java.util.TreeSet<>(
                        SSL_MODES));
            }
        }
    }

    /** Driver properties to connect with besides the URL's own: {@code sslmode=verify-full} unless it names one. */
    public static Properties defaults(String url) {
        Properties properties = new Properties();
        int query = url.indexOf('?');
        boolean namesSslMode = query >= 0 && java.util.Arrays.stream(url.substring(query + 1).split("&"))
                .anyMatch(p -> p.startsWith("sslmode="));
        if (!namesSslMode) {
            properties.setProperty("sslmode", DEFAULT_SSL_MODE);
        }
        return properties;
    }
}
