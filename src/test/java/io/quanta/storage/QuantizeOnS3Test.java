package io.quanta.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quanta.cli.Main;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.Slow;
import io.quanta.testing.TfLiteRuntime;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.jclouds.blobstore.domain.Blob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quanta quantize s3://... --dataset s3://.../calib/ --out s3://...} end to end against a real S3 server
 * (S3Proxy): the CLI downloads the shared MNIST model and ten digit images, quantizes, and uploads model and report.
 * Credentials reach the SDK through its standard provider chain (the aws.* system properties, the JVM-wide
 * equivalent of AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
 */
@Slow
class QuantizeOnS3Test {
    private static final String BUCKET = "quanta-cli";

    @TempDir
    static Path backend;

    private static S3ProxyFixture server;

    @TempDir
    Path work;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3ProxyFixture(backend);
        server.createBucket(BUCKET);
        server.put(
                BUCKET, "model.tflite", Files.readAllBytes(SharedAssets.floatModel("ethosu85_mnist_cnn_float.tflite")));
        for (int digit = 0; digit < 10; digit++) {
            server.put(
                    BUCKET,
                    "calib/sample" + digit + ".png",
                    Files.readAllBytes(SharedAssets.data("mnist_png/sample" + digit + ".png")));
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        server.close();
    }

    private record Run(int exitCode, String out, String err) {}

    private static Run quanta(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new Main(env))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void credentials(String accessKey, String secretKey) {
        System.setProperty("aws.accessKeyId", accessKey);
        System.setProperty("aws.secretAccessKey", secretKey);
    }

    @Test
    void quantizesFromS3ToS3AndRecordsTheSha256() throws Exception {
        credentials(S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY);
        Run r = quanta(
                Map.of(),
                "quantize",
                "s3://" + BUCKET + "/model.tflite",
                "--dataset",
                "s3://" + BUCKET + "/calib/",
                "--normalize",
                "x/255",
                "--out",
                "s3://" + BUCKET + "/model_int8.tflite",
                "--s3-endpoint",
                server.endpoint(),
                "--cache-dir",
                work.resolve("cache").toString(),
                "--no-progress");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("calibration 10 samples"), r.out());

        byte[] model = read("model_int8.tflite");
        byte[] reportBytes = read("model_int8.report.json");
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        JsonNode report = new ObjectMapper().readTree(reportBytes);
        JsonNode files = report.get("files");
        assertEquals(sha, files.get("outputSha256").asText(), "the report's sha256 is the stored object's");
        assertEquals(
                "s3://" + BUCKET + "/model_int8.tflite", files.get("output").asText());
        assertEquals("s3://" + BUCKET + "/model.tflite", files.get("model").asText());
        assertEquals("s3://" + BUCKET + "/calib/", files.get("datasets").get(0).asText());
        assertEquals(model.length, report.get("sizes").get("quantizedBytes").asLong());
        assertEquals(
                sha,
                server.blobs()
                        .blobMetadata(BUCKET, "model_int8.tflite")
                        .getUserMetadata()
                        .get("sha256"));
        assertTrue(r.out().contains(sha), "the CLI prints the stored sha256: " + r.out());

        // The uploaded model is a valid int8 model for the real TFLite runtime.
        Path local = work.resolve("downloaded.tflite");
        Files.write(local, model);
        try (TfLiteRuntime tflite = new TfLiteRuntime(local)) {
            float[] input = new float[28 * 28];
            tflite.setInput(0, input);
            tflite.invoke();
            float[] scores = tflite.outputFloats(0);
            assertEquals(10, scores.length);
        }
        assertFalse(Files.list(work.resolve("cache-work")).findAny().isPresent(), "staging directories are removed");
    }

    @Test
    void evalReadsBothModelsFromS3AndPublishesItsReport() throws Exception {
        credentials(S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY);
        String cache = work.resolve("cache").toString();
        Run q = quanta(
                Map.of(),
                "quantize",
                "s3://" + BUCKET + "/model.tflite",
                "--dataset",
                "s3://" + BUCKET + "/calib/",
                "--normalize",
                "x/255",
                "--no-eval",
                "--out",
                "s3://" + BUCKET + "/eval/model_int8.tflite",
                "--s3-endpoint",
                server.endpoint(),
                "--cache-dir",
                cache,
                "--no-progress");
        assertEquals(0, q.exitCode(), q.toString());
        Run e = quanta(
                Map.of(),
                "eval",
                "s3://" + BUCKET + "/model.tflite",
                "s3://" + BUCKET + "/eval/model_int8.tflite",
                "--dataset",
                "s3://" + BUCKET + "/calib/",
                "--normalize",
                "x/255",
                "--report",
                "s3://" + BUCKET + "/eval/eval.json",
                "--s3-endpoint",
                server.endpoint(),
                "--cache-dir",
                cache,
                "--no-progress");
        assertEquals(0, e.exitCode(), e.toString());
        assertTrue(e.out().contains("agreement"), e.out());
        JsonNode report = new ObjectMapper().readTree(read("eval/eval.json"));
        assertEquals(10, report.get("samples").asInt(), report.toString());
    }

    @Test
    void wrongCredentialsAreOneLineNamingTheLocation() {
        credentials(S3ProxyFixture.ACCESS_KEY, "not-the-secret");
        try {
            Run r = quanta(
                    Map.of("AWS_ENDPOINT_URL_S3", server.endpoint()),
                    "quantize",
                    "s3://" + BUCKET + "/model.tflite",
                    "--dataset",
                    "s3://" + BUCKET + "/calib/",
                    "--out",
                    "s3://" + BUCKET + "/never.tflite",
                    "--cache-dir",
                    work.resolve("cache").toString(),
                    "--no-progress");
            assertEquals(2, r.exitCode(), r.toString());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("access denied to s3://" + BUCKET + "/model.tflite"), r.err());
            assertFalse(server.blobs().blobExists(BUCKET, "never.tflite"));
        } finally {
            credentials(S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY);
        }
    }

    @Test
    void missingModelKeyNamesBucketAndKey() {
        credentials(S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY);
        Run r = quanta(
                Map.of(),
                "quantize",
                "s3://" + BUCKET + "/no-such-model.tflite",
                "--dataset",
                "s3://" + BUCKET + "/calib/",
                "--out",
                "s3://" + BUCKET + "/never.tflite",
                "--s3-endpoint",
                server.endpoint(),
                "--cache-dir",
                work.resolve("cache").toString(),
                "--no-progress");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("no object with key 'no-such-model.tflite' in bucket '" + BUCKET + "'"), r.err());
    }

    @Test
    void jobStepReadsAndWritesS3WithTheSecretOfEachLocation() throws Exception {
        // What the operator mounts for secretRef {name: minio}: one file per key of the Secret.
        Path secret = Files.createDirectories(work.resolve("secrets/minio"));
        Files.writeString(secret.resolve("AWS_ACCESS_KEY_ID"), S3ProxyFixture.ACCESS_KEY);
        Files.writeString(secret.resolve("AWS_SECRET_ACCESS_KEY"), S3ProxyFixture.SECRET_KEY + "\n");
        Files.writeString(secret.resolve("AWS_ENDPOINT_URL_S3"), server.endpoint());
        // The process itself has wrong keys: only the Secret's may be used.
        credentials(S3ProxyFixture.ACCESS_KEY, "not-the-secret");
        String ref = ", \"secretRef\": {\"name\": \"minio\"}";
        String spec = """
                {"model": {"uri": "s3://%1$s/model.tflite"%2$s},
                 "calibration": {"location": {"uri": "s3://%1$s/calib/"%2$s}, "format": "Images",
                                 "preprocessing": {"scale": 0.00392156862745098}},
                 "evaluation": {"location": {"uri": "s3://%1$s/calib/"%2$s}, "format": "Images", "labels": "FileName"},
                 "quantization": {"mode": "Int8Only"},
                 "output": {"uri": "s3://%1$s/jobs/digits_int8.tflite"%2$s}}
                """.formatted(BUCKET, ref);
        Path termination = work.resolve("termination-log");
        try {
            Run r = quanta(
                    Map.of(
                            "QUANTA_JOB_SPEC",
                            spec,
                            "QUANTA_JOB_NAME",
                            "digits",
                            "QUANTA_JOB_NAMESPACE",
                            "ml",
                            "QUANTA_JOB_GENERATION",
                            "1",
                            "QUANTA_RESULT_FILE",
                            termination.toString(),
                            "QUANTA_SECRETS_DIR",
                            work.resolve("secrets").toString(),
                            "QUANTA_WORK_DIR",
                            work.toString()),
                    "job",
                    "step");
            assertEquals(0, r.exitCode(), r.toString());
            io.quanta.report.RunResult result = io.quanta.report.ResultCodec.parseTerminationMessage(
                            Files.readString(termination))
                    .orElseThrow();
            byte[] model = read("jobs/digits_int8.tflite");
            String sha = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(model));
            assertEquals(
                    "s3://" + BUCKET + "/jobs/digits_int8.tflite",
                    result.output().location());
            assertEquals(sha, result.output().sha256());
            assertEquals(model.length, result.output().sizeBytes());
            assertEquals(10, result.accuracy().samples());
            JsonNode report = new ObjectMapper().readTree(read("jobs/digits_int8.report.json"));
            assertEquals(sha, report.get("files").get("outputSha256").asText());
            // The HTML page went beside the report, and the result (the operator's status) says where, with its sha256.
            byte[] page = read("jobs/digits_int8.report.html");
            assertEquals(
                    "s3://" + BUCKET + "/jobs/digits_int8.report.html",
                    result.report().html());
            assertEquals(
                    "s3://" + BUCKET + "/jobs/digits_int8.report.json",
                    result.report().json());
            assertEquals(
                    HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(page)),
                    result.report().htmlSha256());
        } finally {
            credentials(S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY);
        }
    }

    private static byte[] read(String key) throws Exception {
        Blob blob = server.blobs().getBlob(BUCKET, key);
        assertNotNull(blob, "s3://" + BUCKET + "/" + key + " was not uploaded");
        try (InputStream in = blob.getPayload().openStream()) {
            return in.readAllBytes();
        }
    }
}
