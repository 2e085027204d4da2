package io.quanta.storage;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 REST server for tests: S3Proxy over a jclouds filesystem backend in a temporary directory, on a free
 * port of 127.0.0.1, with AWS signature checks against known test credentials. The backend {@link #blobs()} is
 * the independent view tests use to set up objects and to see what really got stored.
 */
final class S3ProxyFixture implements AutoCloseable {
    static final String ACCESS_KEY = "quanta-test-access";
    static final String SECRET_KEY = "quanta-test-secret-0123456789";

    private final BlobStoreContext context;
    private final S3Proxy proxy;

    S3ProxyFixture(Path backendDir) throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", backendDir.toString());
        context = ContextBuilder.newBuilder("filesystem").overrides(props).build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(20);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    BlobStore blobs() {
        return context.getBlobStore();
    }

    void createBucket(String name) {
        blobs().createContainerInLocation(null, name);
    }

    void put(String bucket, String key, byte[] content) {
        blobs().putBlob(
                        bucket,
                        blobs().blobBuilder(key)
                                .payload(content)
                                .contentLength(content.length)
                                .build());
    }

    /** Options for a client of this server: its endpoint, the right keys, quick retries. */
    StorageOptions.Builder options() {
        return StorageOptions.builder()
                .s3Endpoint(endpoint())
                .s3Credentials(ACCESS_KEY, SECRET_KEY)
                .maxAttempts(2)
                .initialBackoff(java.time.Duration.ofMillis(10));
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
