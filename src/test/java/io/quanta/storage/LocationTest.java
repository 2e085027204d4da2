package io.quanta.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocationTest {
    private static final String SHA = "ab".repeat(32);

    @Test
    void parsesEachScheme() {
        assertEquals(new Location.Local(Path.of("models/m.tflite")), Location.parse("models/m.tflite"));
        assertEquals(new Location.Local(Path.of("/mnt/pvc/m.tflite")), Location.parse("file:///mnt/pvc/m.tflite"));
        assertEquals(new Location.S3("my-bucket", "models/m.tflite"), Location.parse("s3://my-bucket/models/m.tflite"));
        assertEquals(new Location.S3("my-bucket", ""), Location.parse("s3://my-bucket"));
        assertEquals(
                new Location.Https(URI.create("https://h.example/m.tflite"), Optional.empty()),
                Location.parse("https://h.example/m.tflite"));
        assertEquals(
                new Location.Https(URI.create("https://h.example:8443/m.tflite?v=2"), Optional.of(SHA)),
                Location.parse("https://h.example:8443/m.tflite?v=2#sha256=" + SHA.toUpperCase()));
    }

    @Test
    void remoteMeansHttpsOrS3() {
        assertTrue(Locations.isRemote("s3://b-1/k"));
        assertTrue(Locations.isRemote("https://h/x"));
        assertFalse(Locations.isRemote("file:///x"));
        assertFalse(Locations.isRemote("relative/x.tflite"));
        assertTrue(Locations.looksLikeFolder("s3://b-1/calib/"));
        assertEquals("calib/", ((Location.S3) Location.parse("s3://b-1/calib")).keyAsPrefix());
    }

    @Test
    void siblingsShareTheFolder() {
        assertEquals("s3://b-1/out/m.report.json", Locations.siblingOf("s3://b-1/out/m.tflite", "m.report.json"));
        assertEquals("s3://b-1/m.report.json", Locations.siblingOf("s3://b-1/m.tflite", "m.report.json"));
        assertEquals(
                Path.of("/out/m.report.json").toString(), Locations.siblingOf("file:///out/m.tflite", "m.report.json"));
        assertEquals(Path.of("out/r.json").toString(), Locations.siblingOf("out/m.tflite", "r.json"));
        assertEquals("https://h/a/r.json", Locations.siblingOf("https://h/a/m.tflite#sha256=" + SHA, "r.json"));
        assertThrows(StorageException.class, () -> Locations.siblingOf("s3://b-1", "r.json"));
        assertThrows(StorageException.class, () -> Locations.siblingOf("s3://b-1/out/", "r.json"));
    }

    @Test
    void malformedLocationsSayWhatIsAccepted() {
        assertMessage("s3://", "malformed S3 location 's3://': expected s3://bucket/key");
        assertMessage(
                "s3://Bad_Bucket/k",
                "malformed S3 location 's3://Bad_Bucket/k': bucket 'Bad_Bucket' is not a valid"
                        + " bucket name (3-63 lower-case letters, digits, '.' and '-')");
        assertMessage(
                "s3://bucket//k",
                "malformed S3 location 's3://bucket//k': the key starts with '/' (write s3://bucket/k)");
        assertMessage(
                "gs://b/k",
                "unsupported location scheme 'gs' in 'gs://b/k': use a path, file://, https:// or s3://bucket/key");
        assertMessage(
                "https://h/m#md5=00",
                "malformed URL 'https://h/m#md5=00': the only fragment accepted is #sha256=<64 hex digits>");
        assertMessage(
                "https://h/m#sha256=abc",
                "malformed URL 'https://h/m#sha256=abc': the only fragment accepted is #sha256=<64 hex digits>");
        assertMessage("https:///m", "malformed URL 'https:///m': no host");
        assertMessage(
                "file://server/share/m",
                "malformed file location 'file://server/share/m': file:// names a path on this"
                        + " machine, e.g. file:///data/model.tflite (found host 'server')");
        assertMessage(" ", "empty location: give a path, file://, https:// or s3://bucket/key");
        assertTrue(assertThrows(StorageException.class, () -> Location.parse("http://h/m"))
                .getMessage()
                .startsWith("plain http"));
    }

    @Test
    void optionsFromTheEnvironment() {
        var env = java.util.Map.of(
                "AWS_ENDPOINT_URL",
                "http://minio.storage:9000",
                "AWS_REGION",
                "eu-west-3",
                "QUANTA_MAX_DOWNLOAD_BYTES",
                "1000");
        StorageOptions o = StorageOptions.fromEnvironment(env).build();
        assertEquals(URI.create("http://minio.storage:9000"), o.s3Endpoint().orElseThrow());
        assertEquals("eu-west-3", o.effectiveRegion().orElseThrow());
        assertEquals(1000, o.maxDownloadBytes());
        assertEquals(
                Optional.empty(),
                StorageOptions.fromEnvironment(java.util.Map.of()).build().effectiveRegion());
        StorageException bad = assertThrows(
                StorageException.class,
                () -> StorageOptions.fromEnvironment(java.util.Map.of("AWS_ENDPOINT_URL_S3", "minio:9000")));
        assertTrue(bad.getMessage().startsWith("malformed S3 endpoint 'minio:9000'"), bad.getMessage());
    }

    private static void assertMessage(String location, String message) {
        assertEquals(
                message,
                assertThrows(StorageException.class, () -> Location.parse(location))
                        .getMessage());
    }
}
