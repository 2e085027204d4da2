package io.quanta.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Hostile-input refusals: the typed error, a one-line user message without a Java class name, and the memory
 * the refusal took, measured as the bytes this thread allocated meanwhile (garbage included, so a bound that
 * holds here holds for the heap).
 */
public final class Refusals {
    private Refusals() {}

    /** Bytes this thread has allocated so far. */
    public static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Runs {@code action}, expecting {@code type}; checks it allocated less than {@code bound}; the message. */
    public static <T extends Throwable> String refused(Class<T> type, long bound, Executable action) {
        long before = allocated();
        T e = assertThrows(type, action);
        long used = allocated() - before;
        assertTrue(used < bound, "refusing took " + used + " bytes, more than " + bound);
        String m = e.getMessage();
        assertOneLineUserMessage(m);
        return m;
    }

    /** A message fit for a user: present, one line, naming no Java exception or error class. */
    public static void assertOneLineUserMessage(String m) {
        assertTrue(
                m != null
                        && !m.isBlank()
                        && !m.contains("\n")
                        && !m.matches("(?s).*\\b[A-Z]\\w*(Exception|Error)\\b.*")
                        && !m.matches("(?s).*\\b(?:[a-z_]\\w*\\.){2,}[A-Z]\\w*.*"), // a qualified class name
                "not a one-line user message: " + m);
    }
}
