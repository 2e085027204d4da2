package io.quanta.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read as a stream that gives up when the server goes quiet: each read waits at most
 * {@code idle} for the next bytes, then fails with an {@link HttpTimeoutException} and cancels the exchange.
 * The JDK client's request timeout ends at the response headers; without this a server that sends headers and
 * then stops would hold a download (and a pod) forever. One buffer list is requested at a time, so a fast
 * server cannot queue more than the client's own buffers.
 */
final class IdleTimeoutBody extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {
    private static final Object END = new Object();

    private final Duration idle;
    private final String where;
    private final LinkedBlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
    private ByteBuffer current = ByteBuffer.allocate(0);
    private boolean ended;

    IdleTimeoutBody(Duration idle, String where) {
        this.idle = idle;
        this.where = where;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        arrivals.add(item);
    }

    @Override
    public void onError(Throwable t) {
        arrivals.add(t);
    }

    @Override
    public void onComplete() {
        arrivals.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!current.hasRemaining()) {
            if (buffers.hasNext()) {
                current = buffers.next();
                continue;
            }
            if (ended || !next()) {
                return -1;
            }
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    /** Waits for the next list of buffers; false at the end of the body. */
    @SuppressWarnings("unchecked")
    private boolean next() throws IOException {
        Object o;
        try {
            o = arrivals.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new InterruptedIOException("interrupted while reading " + where);
        }
        if (o == null) {
            close();
            throw new HttpTimeoutException("the server sent nothing for " + human(idle)
                    + " in the middle of the body (the read timeout, QUANTA_READ_TIMEOUT_SECONDS)");
        }
        if (o == END) {
            ended = true;
            return false;
        }
        if (o instanceof IOException e) {
            throw e;
        }
        if (o instanceof Throwable t) {
            throw new IOException(t.getMessage() == null ? "the connection failed" : t.getMessage(), t);
        }
        buffers = ((List<ByteBuffer>) o).iterator();
        subscription.request(1);
        return true;
    }

    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null && !ended) {
            ended = true;
            s.cancel();
        }
    }
}
