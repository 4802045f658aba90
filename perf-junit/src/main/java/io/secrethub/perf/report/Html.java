package io.secrethub.perf.report;

/** Escaping for text placed in HTML, and for JSON placed in a {@code <script>} element. */
final class Html {

    private Html() {
    }

    /** {@code text} safe as element content or a double-quoted attribute value. */
    static String text(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * {@code json} safe inside {@code <script type="application/json">}: a {@code </script>} in a test name or an
     * error message must not end the element, so every {@code <} becomes the JSON escape {@code \u003c}.
     */
    static String scriptJson(String json) {
        return json.replace("<", "\\u003c");
    }
}
