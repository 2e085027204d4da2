package io.quanta.storage;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Downloads single files over https with a size cap, sha256 pinning, timeouts and retries with backoff. Redirects
 * are followed here rather than by the JDK client, so that each hop is checked: at most {@link #MAX_REDIRECTS},
 * and never to anything but https. The read timeout covers the wait for the headers and every silence in the
 * body.
 */
final class HttpsStore {
    /** Redirects followed per download (the JDK client's own default is 5 as well). */
    static final int MAX_REDIRECTS = 5;

    private final StorageOptions options;
    private final LongAdder transferred;
    private HttpClient client;

    HttpsStore(StorageOptions options, LongAdder transferred) {
        this.options = options;
        this.transferred = transferred;
    }

    private synchronized HttpClient client() {
        if (client == null) {
            HttpClient.Builder b = HttpClient.newBuilder()
                    .connectTimeout(options.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER); // followed in download(), hop by hop
            options.trustStore()
                    .ifPresent(ts -> b.sslContext(TrustMaterial.sslContext(TrustMaterial.trustManager(
                            ts,
                            options.trustStorePassword()
                                    .map(String::toCharArray)
                                    .orElse(null)))));
            client = b.build();
        }
        return client;
    }

    Path fetch(Location.Https loc, Path cacheDir, String expectedSha256) {
        String pinned = loc.sha256().orElse(null);
        if (pinned != null && expectedSha256 != null && !pinned.equalsIgnoreCase(expectedSha256)) {
            throw new StorageException("two different sha256 pins for " + loc.display() + ": " + pinned
                    + " in the URL and " + expectedSha256.toLowerCase() + " given separately");
        }
        String expected = pinned != null ? pinned : expectedSha256;
        Path target = CachePaths.forHttps(cacheDir, loc.uri());
        if (expected != null && cachedCopyMatches(target, expected)) {
            return target; // pinned content already here: no network needed
        }
        Backoff backoff = options.backoff();
        for (int attempt = 1; ; attempt++) {
            try {
                download(loc, target, expected);
                return target;
            } catch (Retryable r) {
                if (attempt >= backoff.maxAttempts()) {
                    throw new StorageException(
                            r.getMessage() + " (gave up after " + attempt + " attempts)", r.getCause());
                }
                backoff.sleepAfter(attempt);
            }
        }
    }

    private static boolean cachedCopyMatches(Path target, String expected) {
        try {
            return Files.isRegularFile(target) && Sha256.of(target).equalsIgnoreCase(expected);
        } catch (IOException e) {
            return false;
        }
    }

    /** One attempt; throws {@link Retryable} for failures worth another try (5xx, I/O), StorageException otherwise. */
    private void download(Location.Https loc, Path target, String expected) throws Retryable {
        String where = loc.display();
        URI uri = loc.uri();
        for (int redirects = 0; ; redirects++) {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .GET()
                    .timeout(options.readTimeout())
                    .build();
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
            try {
                // The response arrives with its headers; the body is read from the publisher with an idle timeout.
                response = client().send(request, HttpResponse.BodyHandlers.ofPublisher());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while downloading " + where, e);
            } catch (IOException e) {
                throw classify(where, e);
            }
            IdleTimeoutBody body = new IdleTimeoutBody(options.readTimeout(), where);
            response.body().subscribe(body);
            try (body) {
                int status = response.statusCode();
                if (isRedirect(status)) {
                    uri = redirectTarget(where, uri, response, redirects);
                    continue;
                }
                save(where, response, body, target, expected);
                return;
            } catch (IOException e) {
                throw classify(where, e);
            }
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** Where a redirect leads, if it may be followed: https only, and at most {@link #MAX_REDIRECTS} of them. */
    static URI redirectTarget(String where, URI from, HttpResponse<?> response, int followed) {
        String location = response.headers().firstValue("Location").orElse(null);
        if (location == null) {
            throw new StorageException("unexpected answer from " + where + " (HTTP " + response.statusCode()
                    + " without a Location to go to)");
        }
        if (followed >= MAX_REDIRECTS) {
            throw new StorageException("too many redirects from " + where + " (more than " + MAX_REDIRECTS + ")");
        }
        URI next;
        try {
            next = from.resolve(location.strip());
        } catch (IllegalArgumentException e) {
            throw new StorageException("malformed redirect from " + where + " to '" + location + "'");
        }
        if (!"https".equalsIgnoreCase(next.getScheme()) || next.getHost() == null) {
            throw new StorageException(
                    "refusing the redirect from " + where + " to " + next + ": downloads never leave https://");
        }
        return next;
    }

    private void save(String where, HttpResponse<?> response, IdleTimeoutBody body, Path target, String expected)
            throws IOException, Retryable {
        int status = response.statusCode();
        if (status == 404 || status == 410) {
            throw new StorageException("not found: " + where + " (HTTP " + status + ")");
        }
        if (status == 401 || status == 403) {
            throw new StorageException("access denied to " + where + " (HTTP " + status + ")");
        }
        if (status >= 500) {
            throw new Retryable("server error from " + where + " (HTTP " + status + ")", null);
        }
        if (status != 200) {
            throw new StorageException("unexpected answer from " + where + " (HTTP " + status + ")");
        }
        OptionalLong length = response.headers().firstValueAsLong("Content-Length");
        if (length.isPresent()) {
            SizeCap.checkAdvertised(where, options.maxDownloadBytes(), length.getAsLong());
        }
        CappedInputStream in = new CappedInputStream(body, where, options.maxDownloadBytes(), transferred);
        AtomicFiles.write(target, out -> {
            in.transferTo(out);
            if (length.isPresent() && in.count() != length.getAsLong()) {
                throw new IOException("connection ended after " + in.count() + " of " + length.getAsLong() + " bytes");
            }
            Sha256.check(where, expected, in.sha256());
            return null;
        });
    }

    private static Retryable classify(String where, IOException e) {
        if (e instanceof SSLHandshakeException || e instanceof SSLException) {
            throw new StorageException(
                    "TLS with " + where + " failed: " + Detail.of(e, "handshake failed")
                            + " (if the server uses a private certificate authority, pass its CA as a truststore)",
                    e);
        }
        if (e instanceof HttpTimeoutException) {
            return new Retryable("no answer from " + where + " in time: " + Detail.of(e, "timed out"), e);
        }
        if (e instanceof ConnectException) {
            return new Retryable("cannot reach " + where + ": connection refused or unreachable", e);
        }
        // The JDK's own messages are short sentences ("connection reset"); its class names are not for users.
        return new Retryable("I/O error downloading " + where + ": " + Detail.of(e, "the connection failed"), e);
    }

    /** A failure another attempt may cure. */
    private static final class Retryable extends Exception {
        Retryable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
