package io.quanta.cli;

import io.quarkus.runtime.Quarkus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code quanta operator}: starts the Kubernetes operator (Quarkus + java-operator-sdk) in this process and runs
 * until it is stopped. Configuration comes from application.properties, environment variables and
 * {@code -Dkey=value} system properties; remaining arguments are handed to Quarkus.
 */
@Command(
        name = "operator",
        mixinStandardHelpOptions = true,
        description = "Run the QuantizationJob operator (reads KUBECONFIG or the in-cluster service account).")
public class OperatorCommand implements Callable<Integer> {

    @Unmatched
    List<String> quarkusArgs = new ArrayList<>();

    @Override
    public Integer call() {
        // Blocks until SIGTERM/SIGINT; Quarkus then stops the operator (leases released, informers closed).
        Quarkus.run(quarkusArgs.toArray(String[]::new));
        return 0;
    }
}
