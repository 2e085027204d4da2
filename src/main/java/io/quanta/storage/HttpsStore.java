package io.quanta.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** Downloads single files over https with a size cap, sha256 pinning, timeouts and retries with backoff. */
final class HttpsStore {
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
                    // NORMAL never follows a redirect from https down to http.
                    .followRedirects(HttpClient.Redirect.NORMAL);
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
        HttpRequest request = HttpRequest.newBuilder(loc.uri())
                .GET()
                .timeout(options.readTimeout())
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while downloading " + where, e);
        } catch (IOException e) {
            throw classify(where, e);
        }
        try (InputStream body = response.body()) {
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
                    throw new IOException(
                            "connection ended after " + in.count() + " of " + length.getAsLong() + " bytes");
                }
                Sha256.check(where, expected, in.sha256());
                return null;
            });
        } catch (IOException e) {
            throw classify(where, e);
        }
    }

    private static Retryable classify(String where, IOException e) {
        if (e instanceof SSLHandshakeException || e instanceof SSLException) {
            throw new StorageException(
                    "TLS with " + where + " failed: " + e.getMessage()
                            + " (if the server uses a private certificate authority, pass its CA as a truststore)",
                    e);
        }
        if (e instanceof HttpTimeoutException) {
            return new Retryable("no answer from " + where + " in time: " + e.getMessage(), e);
        }
        if (e instanceof ConnectException) {
            return new Retryable("cannot reach " + where + ": connection refused or unreachable", e);
        }
        return new Retryable("I/O error downloading " + where + ": " + e, e);
    }

    /** A failure another attempt may cure. */
    private static final class Retryable extends Exception {
        Retryable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
