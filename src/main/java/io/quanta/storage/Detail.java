package io.quanta.storage;

import java.util.regex.Pattern;

/**
 * The detail of a library's exception as a user may read it: its message without the qualified class names
 * that the JDK and the AWS SDK nest into messages ("sun.security...SunCertPathBuilderException: unable to find
 * ..."), on one line.
 */
final class Detail {
    private static final Pattern CLASS_NAME =
            Pattern.compile("\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*");
    private static final Pattern BARE_CLASS_NAME = Pattern.compile("\\b[A-Z]\\w*(?:Exception|Error)\\b:?\\s*");

    private Detail() {}

    /** The message of {@code t} for users, or {@code fallback} when it has none worth showing. */
    static String of(Throwable t, String fallback) {
        String m = t.getMessage();
        if (m == null) {
            return fallback;
        }
        String s = BARE_CLASS_NAME
                .matcher(CLASS_NAME.matcher(m).replaceAll(""))
                .replaceAll("")
                .replaceAll("\\s+", " ")
                .strip();
        return s.isEmpty() ? fallback : s;
    }
}
