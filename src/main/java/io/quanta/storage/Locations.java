package io.quanta.storage;

/** Small questions the CLI asks about location strings before deciding how to handle them. */
public final class Locations {
    private Locations() {}

    /** True for locations that must be fetched over the network (https://, s3://); false for paths and file://. */
    public static boolean isRemote(String location) {
        return !(Location.parse(location) instanceof Location.Local);
    }

    /** True when the location names a folder or prefix rather than one object (a trailing '/'). */
    public static boolean looksLikeFolder(String location) {
        return location.strip().endsWith("/");
    }

    /**
     * The location of a sibling file: the same folder, prefix or bucket with the last name replaced, e.g. the
     * report beside a model: {@code siblingOf("s3://b/out/m.tflite", "m.report.json")} is
     * {@code s3://b/out/m.report.json}.
     */
    public static String siblingOf(String location, String name) {
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("a sibling name is one file name, got '" + name + "'");
        }
        Location loc = Location.parse(location);
        if (loc instanceof Location.Local l) {
            return l.path().resolveSibling(name).toString();
        }
        String s = location.strip();
        int fragment = s.indexOf('#');
        if (fragment >= 0 && loc instanceof Location.Https) {
            s = s.substring(0, fragment); // a pin belongs to the original file, not to its sibling
        }
        int slash = s.lastIndexOf('/');
        if (s.endsWith("/") || slash < s.indexOf("://") + 3) {
            throw new StorageException(location + " names a folder or a bucket, not a file: no sibling of it");
        }
        return s.substring(0, slash + 1) + name;
    }

    /** Throws a {@link StorageException} naming the problem if the text is not a location. */
    public static void validate(String location) {
        Location.parse(location);
    }
}
