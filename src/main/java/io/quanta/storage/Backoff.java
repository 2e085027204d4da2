package io.quanta.storage;

import java.time.Duration;

/** Exponential backoff between attempts: initial, 2x, 4x, ... capped at {@code max}. */
record Backoff(int maxAttempts, Duration initial, Duration max) {
    Backoff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
    }

    /** The pause after failed attempt number {@code attempt} (1-based). */
    Duration delayAfter(int attempt) {
        long ms = initial.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    void sleepAfter(int attempt) {
        try {
            Thread.sleep(delayAfter(attempt).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting to retry", e);
        }
    }
}
