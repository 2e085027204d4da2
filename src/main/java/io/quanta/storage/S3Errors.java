package io.quanta.storage;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns SDK exceptions into one clear sentence naming the bucket, key and endpoint involved. */
final class S3Errors {
    private S3Errors() {}

    private static final Set<String> ACCESS_CODES = Set.of(
            "AccessDenied",
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
            "InvalidToken",
            "ExpiredToken",
            "AllAccessDisabled",
            "InvalidSecurity");

    static StorageException translate(SdkException e, Location.S3 loc, Optional<URI> endpoint) {
        String where = loc.display();
        if (e instanceof S3Exception s3) {
            String code =
                    s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            int status = s3.statusCode();
            if (status == 403 || (code != null && ACCESS_CODES.contains(code))) {
                String why = code == null ? "HTTP 403" : code;
                String hint = switch (code == null ? "" : code) {
                    case "InvalidAccessKeyId" -> "the access key is not known to the store";
                    case "SignatureDoesNotMatch" -> "the secret key does not match the access key";
                    default -> "the credentials were refused or lack permission";
                };
                return new StorageException(
                        "access denied to " + where + " (" + why + ": " + hint
                                + "): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the Secret they come from)"
                                + " and the bucket policy" + at(endpoint),
                        e);
            }
            if ("NoSuchBucket".equals(code)) {
                return noSuchBucket(loc, endpoint);
            }
            if ("NoSuchKey".equals(code) || status == 404) {
                return new StorageException(
                        "no object with key '" + loc.key() + "' in bucket '" + loc.bucket() + "' (" + where + ")"
                                + at(endpoint),
                        e);
            }
            if ("NoSuchUpload".equals(code)) {
                return new StorageException("the multipart upload to " + where + " no longer exists" + at(endpoint), e);
            }
            return new StorageException(
                    "S3 refused the request for " + where + ": HTTP " + status
                            + (code == null ? "" : " " + code)
                            + (s3.awsErrorDetails() == null
                                            || s3.awsErrorDetails().errorMessage() == null
                                    ? ""
                                    : " (" + s3.awsErrorDetails().errorMessage() + ")")
                            + at(endpoint),
                    e);
        }
        Throwable root = rootCause(e);
        if (root instanceof ConnectException
                || root instanceof UnknownHostException
                || root instanceof java.net.NoRouteToHostException
                || root instanceof java.net.SocketTimeoutException) {
            return new StorageException(
                    "cannot reach the S3 endpoint "
                            + endpoint.map(URI::toString).orElse("(AWS)")
                            + " for " + where + ": " + networkProblem(root)
                            + " (check AWS_ENDPOINT_URL_S3 / --s3-endpoint and the network)",
                    e);
        }
        if (root instanceof SSLException) {
            return new StorageException(
                    "TLS with the S3 endpoint " + endpoint.map(URI::toString).orElse("(AWS)")
                            + " failed for " + where + ": " + Detail.of(root, "handshake failed")
                            + " (for a private certificate authority, pass its CA as a truststore)",
                    e);
        }
        String msg = e.getMessage() == null ? "" : e.getMessage();
        if (msg.contains("Unable to load credentials")) {
            return new StorageException(
                    "no S3 credentials for " + where
                            + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (in a Job, from the Secret named by secretRef)",
                    e);
        }
        if (msg.contains("Unable to load region")) {
            return new StorageException("no S3 region for " + where + ": set AWS_REGION", e);
        }
        return new StorageException(
                "S3 request for " + where + " failed: " + Detail.of(e, "no detail") + at(endpoint), e);
    }

    /** What went wrong on the network, in words (the exception's class name is not for users). */
    static String networkProblem(Throwable root) {
        String what = root instanceof ConnectException
                ? "connection refused"
                : root instanceof UnknownHostException
                        ? "unknown host"
                        : root instanceof java.net.NoRouteToHostException
                                ? "no route to host"
                                : "timed out (the read timeout, " + StorageOptions.READ_TIMEOUT_ENV + ")";
        String detail = Detail.of(root, "");
        return detail.isEmpty() ? what : what + " (" + detail + ")";
    }

    static StorageException noSuchBucket(Location.S3 loc, Optional<URI> endpoint) {
        return new StorageException(
                "bucket '" + loc.bucket() + "' does not exist (" + loc.display() + ")" + at(endpoint));
    }

    private static String at(Optional<URI> endpoint) {
        return endpoint.map(u -> " [endpoint " + u + "]").orElse("");
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }
}
