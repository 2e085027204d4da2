package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The operator pod's /q/metrics (Prometheus text format), fetched through the API server's pod proxy. */
final class Metrics {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Sample(String name, Map<String, String> labels, double value) {}

    final String text;
    final List<Sample> samples;

    private Metrics(String text) {
        this.text = text;
        this.samples = text.lines()
                .filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(SAMPLE::matcher)
                .filter(Matcher::find)
                .map(m -> new Sample(m.group(1), labels(m.group(3)), Double.parseDouble(m.group(4))))
                .toList();
    }

    /** Scrapes the running operator pod of the release (the leader when there are several: the first Ready one). */
    static Metrics scrape(KubernetesClient client) {
        Pod pod = client
                .pods()
                .inNamespace(OperatorRelease.SYSTEM_NS)
                .withLabel("app.kubernetes.io/instance", OperatorRelease.RELEASE)
                .list()
                .getItems()
                .stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Ready operator pod"));
        return new Metrics(client.raw("/api/v1/namespaces/" + OperatorRelease.SYSTEM_NS + "/pods/"
                + pod.getMetadata().getName() + ":8080/proxy/q/metrics"));
    }

    boolean has(String name, Map<String, String> labels) {
        return samples.stream().anyMatch(s -> matches(s, name, labels));
    }

    /** The single sample of {@code name} whose labels include {@code labels}. */
    double value(String name, Map<String, String> labels) {
        List<Sample> found =
                samples.stream().filter(s -> matches(s, name, labels)).toList();
        if (found.size() != 1) {
            fail(found.size() + " samples of " + name + labels + " in:\n"
                    + text.lines().filter(l -> l.startsWith(name)).reduce("", (a, b) -> a + b + "\n"));
        }
        return found.get(0).value();
    }

    private static boolean matches(Sample s, String name, Map<String, String> labels) {
        return s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet());
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> out = new HashMap<>();
        if (text != null) {
            Matcher m = LABEL.matcher(text);
            while (m.find()) {
                out.put(m.group(1), m.group(2));
            }
        }
        return out;
    }
}
