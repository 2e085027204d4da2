package io.quanta.storage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A local HTTPS server with a self-signed certificate for 127.0.0.1 made by the JDK's keytool at test time.
 * {@link #caPem()} and {@link #trustStoreP12()} hold that certificate for clients that must trust it explicitly.
 */
final class TlsTestServer implements AutoCloseable {
    private static final String PASSWORD = "test-only";

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Path caPem;
    private final Path trustStoreP12;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    TlsTestServer(Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        caPem = dir.resolve("ca.pem");
        trustStoreP12 = dir.resolve("truststore.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore",
                keyStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "server",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                caPem.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "test-ca",
                "-file",
                caPem.toString(),
                "-keystore",
                trustStoreP12.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD);

        KeyStore ks = KeyStore.getInstance(keyStore.toFile(), PASSWORD.toCharArray());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.setExecutor(executor);
        server.start();
    }

    static String trustStorePassword() {
        return PASSWORD;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new java.util.ArrayList<>(List.of(keytool.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    /** Serves {@code handler} at {@code path}, counting requests. */
    void route(String path, HttpHandler handler) {
        hits.put(path, new AtomicInteger());
        server.createContext(path, exchange -> {
            hits.get(path).incrementAndGet();
            try (exchange) {
                handler.handle(exchange);
            }
        });
    }

    /** A fixed body with its Content-Length. */
    void serve(String path, byte[] body) {
        route(path, exchange -> respond(exchange, 200, body));
    }

    static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    /** Streams {@code total} bytes with chunked encoding (no Content-Length); returns the count actually written. */
    static long streamChunked(HttpExchange exchange, long total) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[64 << 10];
        long written = 0;
        try (InputStream ignored = InputStream.nullInputStream()) {
            while (written < total) {
                int n = (int) Math.min(chunk.length, total - written);
                exchange.getResponseBody().write(chunk, 0, n);
                written += n;
            }
        } catch (IOException clientWentAway) {
            // the client closed the connection: stop writing
        }
        return written;
    }

    int hits(String path) {
        return hits.get(path).get();
    }

    String url(String path) {
        return "https://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    Path caPem() {
        return caPem;
    }

    Path trustStoreP12() {
        return trustStoreP12;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
