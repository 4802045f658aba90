package io.secrethub.server.api;

import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict parser for the subset of Vault's HCL policy syntax SecretHub implements:
 *
 * <pre>
 * # comment, // comment, /* comment *&#47;
 * path "secret/data/app/*" {
 *   capabilities = ["read", "list"]
 * }
 * </pre>
 *
 * Anything else (parameter constraints, wrapping TTLs, other blocks) is refused with the line it is on, the
 * way the JSON form refuses it: silently dropping a restriction would grant more than the author meant.
 */
final class HclPolicy {

    static final int MAX_CHARS = 1024 * 1024;

    private final String text;
    private int at;

    private HclPolicy(String text) {
        this.text = text;
    }

    /** Parses {@code text} into the policy {@code name}. */
    static Policy parse(String name, String text) {
        if (text.length() > MAX_CHARS) {
            throw new InvalidRequestException("failed to parse policy: longer than " + MAX_CHARS + " characters");
        }
        return new HclPolicy(text).policy(name);
    }

    private Policy policy(String name) {
        Policy.Builder builder = Policy.builder(name);
        boolean any = false;
        while (skipSpace()) {
            String keyword = identifier();
            if (!keyword.equals("path")) {
                throw error("unsupported block \"" + keyword + "\"; only path blocks are supported");
            }
            skipSpace();
            String pattern = string();
            skipSpace();
            expect('{');
            List<Capability> capabilities = null;
            while (skipSpace() && peek() != '}') {
                String key = identifier();
                if (!key.equals("capabilities")) {
                    throw error("path \"" + pattern + "\": \"" + key + "\" is not supported by SecretHub");
                }
                if (capabilities != null) {
                    throw error("path \"" + pattern + "\": capabilities given twice");
                }
                skipSpace();
                expect('=');
                skipSpace();
                capabilities = capabilities(pattern);
            }
            expect('}');
            if (capabilities == null) {
                throw error("path \"" + pattern + "\": no capabilities");
            }
            builder.path(pattern, capabilities);
            any = true;
        }
        if (!any) {
            throw new InvalidRequestException("failed to parse policy: no path blocks");
        }
        return builder.build();
    }

    private List<Capability> capabilities(String pattern) {
        expect('[');
        List<Capability> capabilities = new ArrayList<>();
        skipSpace();
        while (peek() != ']') {
            String value = string();
            capabilities.add(Capability.fromVaultName(value).orElseThrow(() ->
                    error("path \"" + pattern + "\": unknown capability \"" + value + "\"")));
            skipSpace();
            if (peek() == ',') {
                at++;
                skipSpace();
            } else if (peek() != ']') {
                throw error("expected ',' or ']'");
            }
        }
        at++;
        return capabilities;
    }

    /** Skips white space and comments; false at the end of the text. */
    private boolean skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (Character.isWhitespace(c)) {
                at++;
            } else if (c == '#' || text.startsWith("//", at)) {
                while (at < text.length() && text.charAt(at) != '\n') {
                    at++;
                }
            } else if (text.startsWith("/*", at)) {
                int end = text.indexOf("*/", at + 2);
                if (end < 0) {
                    throw error("unterminated comment");
                }
                at = end + 2;
            } else {
                return true;
            }
        }
        return false;
    }

    private char peek() {
        if (at >= text.length()) {
            throw error("unexpected end of policy");
        }
        return text.charAt(at);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private String identifier() {
        int start = at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
            at++;
        }
        if (start == at) {
            throw error("expected a name");
        }
        return text.substring(start, at);
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (peek() != '"') {
            char c = text.charAt(at++);
            if (c == '\n') {
                throw error("unterminated string");
            }
            if (c == '\\') {
                char escaped = peek();
                at++;
                out.append(switch (escaped) {
                    case '"', '\\', '/' -> escaped;
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> throw error("unsupported escape \\" + escaped);
                });
            } else {
                out.append(c);
            }
        }
        at++;
        return out.toString();
    }

    private InvalidRequestException error(String message) {
        int line = 1;
        for (int i = 0; i < Math.min(at, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return new InvalidRequestException("failed to parse policy: line " + line + ": " + message);
    }
}
