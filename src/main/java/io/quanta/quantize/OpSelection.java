package io.quanta.quantize;

import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which ops a list of selectors names, as {@code --keep-float} and {@code spec.quantization.keepFloat} take them:
 * an op type ("LOG", "fully_connected": every op of that type), the name of an op's output tensor (a converter's
 * fused name "a;b;c" also answers to its first part "a"), or "#N" for op N of the main subgraph as the report numbers
 * ops. A selector that names nothing is an {@link UnknownOpException} listing the nearest real names.
 */
public final class OpSelection {
    private OpSelection() {}

    /** A selector that matches no op. */
    public static final class UnknownOpException extends IllegalArgumentException {
        public UnknownOpException(String message) {
            super(message);
        }
    }

    /** The ops {@code selectors} name, by index into {@code ops}. */
    public static BitSet resolve(Subgraph g, List<Operator> ops, List<String> selectors) {
        BitSet chosen = new BitSet();
        for (String raw : selectors) {
            String s = raw.strip();
            BitSet hits = matches(g, ops, s);
            if (hits.isEmpty()) {
                throw new UnknownOpException(
                        "keep-float: no op named '" + raw + "'; nearest: " + String.join(", ", nearest(g, ops, s, 5))
                                + " (an op type, an op's output tensor name, or #N)");
            }
            chosen.or(hits);
        }
        return chosen;
    }

    /** The name an op goes by: its first output tensor's name, shortened to the first part of a fused name. */
    public static String nameOf(Subgraph g, Operator op) {
        for (int o : op.outputs()) {
            if (o >= 0) {
                return shortName(g.tensor(o).name());
            }
        }
        return op.displayName();
    }

    private static BitSet matches(Subgraph g, List<Operator> ops, String s) {
        BitSet hits = new BitSet();
        if (s.isEmpty()) {
            return hits;
        }
        if (s.startsWith("#")) {
            try {
                int i = Integer.parseInt(s.substring(1));
                if (i >= 0 && i < ops.size()) hits.set(i);
            } catch (NumberFormatException e) {
                // not an index: may still be a tensor name
            }
            if (!hits.isEmpty()) return hits;
        }
        for (int i = 0; i < ops.size(); i++) {
            Operator op = ops.get(i);
            if (op.type() != OpType.OTHER
                    && op.type() != OpType.CUSTOM
                    && op.type().name().equalsIgnoreCase(s)) {
                hits.set(i);
                continue;
            }
            for (int o : op.outputs()) {
                if (o < 0) continue;
                String name = g.tensor(o).name();
                if (name.equals(s) || shortName(name).equals(s)) {
                    hits.set(i);
                }
            }
        }
        return hits;
    }

    private static String shortName(String name) {
        int semi = name.indexOf(';');
        return semi > 0 ? name.substring(0, semi) : name;
    }

    /** Up to {@code n} op output names and op types closest to {@code s} by edit distance. */
    static List<String> nearest(Subgraph g, List<Operator> ops, String s, int n) {
        Set<String> candidates = new LinkedHashSet<>();
        for (Operator op : ops) {
            candidates.add(op.displayName());
            for (int o : op.outputs()) {
                if (o >= 0) candidates.add(shortName(g.tensor(o).name()));
            }
        }
        String key = s.toLowerCase(Locale.ROOT);
        List<String> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingInt((String c) -> distance(key, c.toLowerCase(Locale.ROOT)))
                .thenComparing(c -> c));
        return sorted.subList(0, Math.min(n, sorted.size())).stream()
                .map(c -> "'" + c + "'")
                .toList();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
