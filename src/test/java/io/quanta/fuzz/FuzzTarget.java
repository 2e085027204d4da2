package io.quanta.fuzz;

/** One reader (and whatever runs behind it) under test: consumes an input, throws what it throws. */
public interface FuzzTarget {
    String name();

    void run(byte[] input) throws Exception;

    /** True for the typed, user-facing errors this target may end in; anything else is a bug. */
    boolean isUserError(Throwable t);
}
