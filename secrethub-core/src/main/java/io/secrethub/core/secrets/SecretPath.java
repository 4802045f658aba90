package io.secrethub.core.secrets;

import io.secrethub.core.InvalidRequestException;

/**
 * The rules for secret paths, and the canonical form of list prefixes.
 *
 * <p>A path is 1 to {@value #MAX_SEGMENTS} segments joined by {@code /}; a segment is 1 to
 * {@value #MAX_SEGMENT_LENGTH} of {@code A-Z a-z 0-9 . _ -} and is not {@code .} or {@code ..}. The
 * whole path is at most {@value #MAX_LENGTH} characters. Paths are taken literally, never normalized:
 * {@code a//b}, {@code /a} and {@code a/} are refused rather than guessed at, so one secret has one
 * name. Error messages name the problem and its position but never repeat the input, which may be
 * anything.
 */
public final class SecretPath {

    public static final int MAX_LENGTH = 512;
    public static final int MAX_SEGMENT_LENGTH = 128;
    public static final int MAX_SEGMENTS = 32;

    private SecretPath() {
    }

    /**
     * @return {@code path}, if it is a valid secret path
     * @throws InvalidRequestException naming what is wrong
     */
    public static String validate(String path) {
        if (path == null) {
            throw new InvalidRequestException("path is required");
        }
        if (path.isEmpty()) {
            throw new InvalidRequestException("path is empty");
        }
        if (path.length() > MAX_LENGTH) {
            throw new InvalidRequestException("path is " + path.length() + " characters long; the limit is "
                    + MAX_LENGTH);
        }
        if (path.charAt(0) == '/') {
            throw new InvalidRequestException("path must not start with '/'");
        }
        if (path.charAt(path.length() - 1) == '/') {
            throw new InvalidRequestException("path must not end with '/' (that names a folder, not a secret)");
        }
        checkSegments(path);
        return path;
    }

    /**
     * The canonical form of a folder to list: {@code ""} for the top, otherwise the folder path with one
     * trailing {@code /}.
     */
    public static String validatePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String folder = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (folder.isEmpty()) {
            throw new InvalidRequestException("list prefix must not start with '/'; use \"\" for the top folder");
        }
        return validate(folder) + "/";
    }

    private static void checkSegments(String path) {
        int segment = 1;
        int start = 0;
        for (int i = 0; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                checkSegment(path, start, i, segment);
                segment++;
                start = i + 1;
                if (segment > MAX_SEGMENTS && i < path.length()) {
                    throw new InvalidRequestException("path has more than " + MAX_SEGMENTS + " segments");
                }
                continue;
            }
            char ch = path.charAt(i);
            if (!allowed(ch)) {
                throw new InvalidRequestException("path contains a character that is not allowed at index " + i
                        + " (allowed: letters A-Z a-z, digits, '.', '_', '-', and '/' between segments)");
            }
        }
    }

    private static void checkSegment(String path, int start, int end, int number) {
        int length = end - start;
        if (length == 0) {
            throw new InvalidRequestException("path segment " + number + " is empty ('//' is not allowed)");
        }
        if (length > MAX_SEGMENT_LENGTH) {
            throw new InvalidRequestException("path segment " + number + " is " + length
                    + " characters long; the limit is " + MAX_SEGMENT_LENGTH);
        }
        if (path.charAt(start) == '.' && (length == 1 || (length == 2 && path.charAt(start + 1) == '.'))) {
            throw new InvalidRequestException("path segment " + number + " is '" + path.substring(start, end)
                    + "': relative segments are not allowed");
        }
    }

    private static boolean allowed(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                || ch == '.' || ch == '_' || ch == '-';
    }
}
