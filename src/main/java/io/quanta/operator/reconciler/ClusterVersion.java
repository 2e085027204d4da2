package io.quanta.operator.reconciler;

/** What the API server's version tells about the features the operator may use. Pure. */
final class ClusterVersion {
    /** batch/v1 completionMode Indexed became GA (on by default, stable) in 1.24. */
    static final int INDEXED_JOBS_MINOR = 24;

    private ClusterVersion() {}

    /**
     * Whether a cluster of this version serves Indexed Jobs. Minor versions come as "20", or "24+" on managed
     * clusters (EKS, GKE); anything unreadable counts as an old cluster, where one Job per shard always works.
     */
    static boolean servesIndexedJobs(String major, String minor) {
        int ma = leadingNumber(major);
        int mi = leadingNumber(minor);
        return ma > 1 || ma == 1 && mi >= INDEXED_JOBS_MINOR;
    }

    private static int leadingNumber(String s) {
        if (s == null) {
            return -1;
        }
        String digits = s.strip().replaceFirst("^(\\d+).*$", "$1");
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
