package io.quanta.k8s;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The .npy header (format 1.0, little-endian float32, C order) of the arrays the tests write for engine pods. */
final class NpyFiles {
    private NpyFiles() {}

    /** Magic, version, length and the dict padded so that the data starts on a 64-byte boundary. */
    static byte[] float32Header(int... shape) {
        StringBuilder tuple = new StringBuilder("(");
        for (int d : shape) {
            tuple.append(d).append(", ");
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + "), }";
        int unpadded = 10 + dict.length() + 1;
        dict += " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + dict.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93)
                .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 1)
                .put((byte) 0);
        b.putShort((short) dict.length()).put(dict.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }
}
