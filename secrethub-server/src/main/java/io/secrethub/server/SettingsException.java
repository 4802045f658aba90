package io.secrethub.server;

/**
 * A setting the server cannot start with. The message is one line that names the setting, so an operator
 * sees at once what to fix; {@link Main} prints it and exits with status 2.
 */
public final class SettingsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SettingsException(String setting, String problem) {
        super(setting + ": " + problem);
    }

    public SettingsException(String setting, String problem, Throwable cause) {
        super(setting + ": " + problem, cause);
    }
}
