package io.quanta.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of a file, as a hostile user would make them: byte flips, lengths and offsets overwritten
 * with boundary values, truncation, chunks copied within the file or from another seed, bytes inserted or
 * removed. Positions favour the file's structure (its {@link Seed#structure} ranges) over bulk data, where a
 * flip only changes a weight.
 */
public final class Mutator {
    /** A seed file and the byte ranges [start, end) worth mutating most (headers, tables, offsets). */
    public record Seed(String name, byte[] bytes, List<int[]> structure) {
        public static Seed whole(String name, byte[] bytes) {
            return new Seed(name, bytes, List.of(new int[] {0, bytes.length}));
        }
    }

    private static final int[] INTERESTING = {
        0,
        1,
        -1,
        2,
        3,
        4,
        7,
        8,
        16,
        255,
        256,
        0x7f,
        0x80,
        0xffff,
        0x10000,
        0x7fff_ffff,
        0x8000_0000,
        0x4000_0000,
        1 << 20,
        1 << 24,
        30000,
        65535,
        -2,
        -128
    };

    private final Random random;
    private final List<Seed> seeds;

    public Mutator(long seed, List<Seed> seeds) {
        this.random = new Random(seed);
        this.seeds = seeds;
    }

    public Random random() {
        return random;
    }

    /** 1 to 3 mutations of the given seed. */
    public byte[] mutate(Seed seed) {
        byte[] b = seed.bytes().clone();
        int n = 1 + random.nextInt(3);
        for (int k = 0; k < n && b.length > 0; k++) {
            b = once(b, seed);
        }
        return b;
    }

    private int position(byte[] b, Seed seed) {
        if (random.nextInt(5) > 0 && !seed.structure().isEmpty()) {
            int[] r = seed.structure().get(random.nextInt(seed.structure().size()));
            int start = Math.min(r[0], b.length - 1);
            int end = Math.min(r[1], b.length);
            if (end > start) {
                return start + random.nextInt(end - start);
            }
        }
        return random.nextInt(b.length);
    }

    private byte[] once(byte[] b, Seed seed) {
        switch (random.nextInt(7)) {
            case 0, 1 -> { // flip a few bytes
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    b[position(b, seed)] ^= (byte) (1 + random.nextInt(255));
                }
                return b;
            }
            case 2, 3 -> { // overwrite a 32-bit length, offset or index with a boundary value
                int p = position(b, seed) & ~3;
                if (p + 4 > b.length) {
                    return b;
                }
                int old = (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | b[p + 3] << 24;
                int v = switch (random.nextInt(3)) {
                    case 0 -> INTERESTING[random.nextInt(INTERESTING.length)];
                    case 1 -> old + random.nextInt(9) - 4;
                    default -> old * (random.nextBoolean() ? 2 : -1) + (random.nextBoolean() ? 0 : random.nextInt());
                };
                b[p] = (byte) v;
                b[p + 1] = (byte) (v >> 8);
                b[p + 2] = (byte) (v >> 16);
                b[p + 3] = (byte) (v >> 24);
                return b;
            }
            case 4 -> { // truncate
                return Arrays.copyOf(b, random.nextInt(b.length));
            }
            case 5 -> { // copy a chunk from this file or another seed over a position
                byte[] src = random.nextInt(3) == 0
                        ? seeds.get(random.nextInt(seeds.size())).bytes()
                        : b;
                if (src.length == 0) {
                    return b;
                }
                int len = 1 + random.nextInt(Math.min(64, src.length));
                int from = random.nextInt(src.length - len + 1);
                int to = position(b, seed);
                System.arraycopy(src, from, b, to, Math.min(len, b.length - to));
                return b;
            }
            default -> { // insert or remove a few bytes
                int p = position(b, seed);
                int len = 1 + random.nextInt(8);
                if (random.nextBoolean()) {
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, p);
                    for (int i = 0; i < len; i++) {
                        out[p + i] = (byte) random.nextInt(256);
                    }
                    System.arraycopy(b, p, out, p + len, b.length - p);
                    return out;
                }
                len = Math.min(len, b.length - p);
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, p);
                System.arraycopy(b, p + len, out, p, b.length - p - len);
                return out;
            }
        }
    }
}
