package io.quanta.kernels.fp32;

import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * The geometry SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND share: M spatial dimensions after the batch, a block
 * size per spatial dimension, and before/after amounts (paddings or crops). Block offsets are numbered
 * row-major over the block (the last spatial dimension's offset varies fastest) and the batch index is
 * {@code offset * batch + b}.
 */
record BlockSpace(int[] block, int[] before, int[] after) {

    static BlockSpace read(OpContext ctx, int[] inputShape, TensorValue blockShape, TensorValue amounts, String what) {
        int[] block = Elements.ints(blockShape);
        int[] pairs = Elements.ints(amounts);
        int m = block.length;
        if (m < 1 || inputShape.length < m + 1 || pairs.length != 2 * m) {
            throw OpChecks.runtime(
                    ctx,
                    "block shape " + Arrays.toString(block) + " and " + what + " " + Arrays.toString(pairs)
                            + " do not fit input " + Arrays.toString(inputShape));
        }
        int[] before = new int[m];
        int[] after = new int[m];
        for (int i = 0; i < m; i++) {
            before[i] = pairs[2 * i];
            after[i] = pairs[2 * i + 1];
            if (block[i] < 1 || before[i] < 0 || after[i] < 0) {
                throw OpChecks.runtime(
                        ctx,
                        "block shape " + Arrays.toString(block) + " must be positive and " + what + " "
                                + Arrays.toString(pairs) + " non-negative");
            }
        }
        return new BlockSpace(block, before, after);
    }

    int spatialRank() {
        return block.length;
    }

    int blockCount() {
        return Axes.product(block, 0, block.length);
    }

    /** The position within the block of block offset o, per spatial dimension. */
    int[] offsets(int o) {
        int[] r = new int[block.length];
        for (int i = block.length - 1; i >= 0; i--) {
            r[i] = o % block[i];
            o /= block[i];
        }
        return r;
    }
}
