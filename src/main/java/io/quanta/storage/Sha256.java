package io.quanta.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** sha256 digests as lower-case hex, the form users pin and reports record. */
public final class Sha256 {
    private Sha256() {}

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The sha256 of bytes in memory (a model written, a label value hashed). */
    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    static String of(Path file) throws IOException {
        MessageDigest d = newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return hex(d);
    }

    /** Throws the user-facing mismatch error when {@code expected} is set and differs from {@code actual}. */
    static void check(String location, String expected, String actual) {
        if (expected != null && !expected.equalsIgnoreCase(actual)) {
            throw new StorageException("sha256 mismatch for " + location + ": expected " + expected.toLowerCase()
                    + ", got " + actual + " (the content changed, or the pinned digest is wrong)");
        }
    }
}
