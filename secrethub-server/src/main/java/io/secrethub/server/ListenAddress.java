package io.secrethub.server;

/**
 * Where the server listens: a host (name or IP literal) and a port (0 = any free port).
 *
 * @param host the host as written, without IPv6 brackets
 * @param port 0-65535
 */
public record ListenAddress(String host, int port) {

    /** Parses {@code host:port} or {@code [v6]:port}; {@code setting} names the source in errors. */
    public static ListenAddress parse(String setting, String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new SettingsException(setting, "expected HOST:PORT, was \"" + printable(text) + "\"");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new SettingsException(setting, "port is not a number in \"" + printable(text) + "\"");
        }
        if (port < 0 || port > 65535 || host.isEmpty()) {
            throw new SettingsException(setting, "expected HOST:PORT with a port of 0-65535, was \"" + printable(text)
                    + "\"");
        }
        return new ListenAddress(host, port);
    }

    /** {@code host:port}, bracketing IPv6 literals, as a URL authority. */
    public String authority(int actualPort) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + actualPort;
    }

    private static String printable(String text) {
        return text.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
