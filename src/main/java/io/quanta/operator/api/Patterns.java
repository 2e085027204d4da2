package io.quanta.operator.api;

/** Regular expressions shared by the schema annotations. */
final class Patterns {
    /** RFC 1123 subdomain, as Kubernetes object names. */
    static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** RFC 1123 label, as volume names. */
    static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    private Patterns() {}
}
