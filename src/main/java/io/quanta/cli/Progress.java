package io.quanta.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * One self-overwriting line on stderr while a batch runs. In automatic mode it appears only on a terminal
 * and only once the batch has run for a second, so quick runs and logs stay clean.
 */
final class Progress implements BatchRunner.Listener {
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private static final long REFRESH_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String label;
    private final boolean forced;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long lastPrint;
    private int lastWidth;
    private boolean lineOpen;

    /** @param mode true to always show, false never, null to show on a terminal for long batches */
    Progress(PrintWriter err, Boolean mode, boolean stderrIsTerminal) {
        this(err, "quanta run", mode, stderrIsTerminal);
    }

    /** @param label what the line starts with, e.g. "quanta quantize: calibrating" */
    Progress(PrintWriter err, String label, Boolean mode, boolean stderrIsTerminal) {
        this.err = err;
        this.label = label;
        this.forced = Boolean.TRUE.equals(mode);
        this.enabled = mode == null ? stderrIsTerminal : mode;
    }

    /** Whether stderr is a terminal; the launcher script tells, since Java cannot see it for stderr alone. */
    static boolean stderrIsTerminal() {
        return Boolean.getBoolean("quanta.stderr.tty");
    }

    @Override
    public void sampleDone(int done, int total) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        boolean last = done == total;
        boolean due = now - lastPrint >= REFRESH_NANOS && (forced || now - start >= SHOW_AFTER_NANOS);
        if (!due && !(last && lastWidth > 0) && !(last && forced)) {
            return;
        }
        lastPrint = now;
        double msPerSample = (now - start) / 1e6 / done;
        String line = String.format(
                Locale.ROOT,
                "%s: %d/%d samples (%d%%), %.2f ms/sample",
                label,
                done,
                total,
                (int) (100L * done / total),
                msPerSample);
        if (!last) {
            line += String.format(Locale.ROOT, ", about %d s left", Math.round(msPerSample * (total - done) / 1000));
        }
        err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        lastWidth = line.length();
        lineOpen = !last;
        if (last) {
            err.println();
        }
        err.flush();
    }

    /** Ends a line left open by a batch that stopped early, so an error message starts on a line of its own. */
    void close() {
        if (lineOpen) {
            err.println();
            err.flush();
            lineOpen = false;
        }
    }
}
