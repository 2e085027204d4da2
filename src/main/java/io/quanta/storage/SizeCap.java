package io.quanta.storage;

/** The download size cap's one error message. */
final class SizeCap {
    private SizeCap() {}

    static StorageException exceeded(String location, long cap, String actual) {
        return new StorageException(location + " is larger than the download size cap: " + actual + ", cap " + cap
                + " bytes (" + human(cap) + "); raise the cap if this object is expected");
    }

    /** Refuses before any body byte is read when the advertised size is already over the cap. */
    static void checkAdvertised(String location, long cap, long advertised) {
        if (advertised > cap) {
            throw exceeded(location, cap, "size " + advertised + " bytes (" + human(advertised) + ")");
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
