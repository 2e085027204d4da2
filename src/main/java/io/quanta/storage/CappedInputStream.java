package io.quanta.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts and digests the bytes of a download as they stream, and stops with a {@link StorageException} as soon
 * as more than {@code cap} bytes arrive: a server that lies about (or omits) the length cannot make us read a
 * huge object whole.
 */
final class CappedInputStream extends FilterInputStream {
    private final String location;
    private final long cap;
    private final MessageDigest digest = Sha256.newDigest();
    private final LongAdder transferred;
    private long count;

    CappedInputStream(InputStream in, String location, long cap, LongAdder transferred) {
        super(in);
        this.location = location;
        this.cap = cap;
        this.transferred = transferred;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // Never ask for more than one byte past the cap, so an oversized object is refused having read cap+1 bytes.
        long room = cap - count + 1;
        int n = in.read(b, off, (int) Math.min(len, Math.max(1, room)));
        if (n > 0) {
            count += n;
            transferred.add(n);
            digest.update(b, off, n);
            if (count > cap) {
                throw SizeCap.exceeded(location, cap, "more than " + cap + " bytes arrived");
            }
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("downloads are read whole, never skipped");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    long count() {
        return count;
    }

    String sha256() {
        return Sha256.hex(digest);
    }
}
