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

    /** Throws a {@link StorageException} naming the problem if the text is not a location. */
    public static void validate(String location) {
        Location.parse(location);
    }
}
