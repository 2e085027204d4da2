package io.quanta.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class left out of the fast lane ({@code ./mvnw test -Pfast}): it quantizes or runs whole real models in
 * TFLite, starts Quarkus, or starts an S3 server. {@code ./mvnw verify} runs it like any other.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(Slow.TAG)
public @interface Slow {
    String TAG = "slow";
}
