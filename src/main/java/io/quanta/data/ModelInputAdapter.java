package io.quanta.data;

import io.quanta.graph.DataType;
import io.quanta.graph.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Turns raw samples into exactly what a model's inputs take. For each input:
 * <ul>
 *   <li>a sample with the input's element count is reshaped to the input's shape (a [28,28] digit feeds a
 *       [1,28,28,1] input); an image whose size or channels differ is converted to the declared colour
 *       mode and resized bilinearly to the input's height and width (inputs [1,H,W,C], [1,H,W] or [H,W,C]);</li>
 *   <li>a float input gets the declared normalization of the values;</li>
 *   <li>an integer input with quantization gets the normalized values quantized with its scale and zero
 *       point; without quantization it takes integer data as stored (uint8 pixels for a uint8 input),
 *       which must fit its range.</li>
 * </ul>
 * Anything else fails with a {@link DatasetException} naming the file, the input, and the expected and
 * found shape and type.
 */
public final class ModelInputAdapter implements Dataset {
    private final Dataset raw;
    private final List<InputSpec> specs;
    private final Preprocessing pre;

    private ModelInputAdapter(Dataset raw, List<InputSpec> specs, Preprocessing pre) {
        this.raw = raw;
        this.specs = List.copyOf(specs);
        this.pre = pre;
    }

    /** The dataset as the model's inputs take it; the first sample is converted at once to fail early. */
    public static ModelInputAdapter adapt(Dataset raw, List<InputSpec> specs, Preprocessing pre) {
        if (raw.inputCount() != specs.size()) {
            throw new DatasetException(raw.describe() + ": gives " + raw.inputCount()
                    + " array(s) per sample but the model has " + specs.size() + " input(s): " + specs);
        }
        if (raw.size() == 0) {
            throw new DatasetException(raw.describe() + ": is empty; expected samples for " + specs);
        }
        ModelInputAdapter a = new ModelInputAdapter(raw, specs, pre);
        a.sample(0);
        return a;
    }

    public List<InputSpec> specs() {
        return specs;
    }

    @Override
    public int size() {
        return raw.size();
    }

    @Override
    public int inputCount() {
        return specs.size();
    }

    @Override
    public boolean hasLabels() {
        return raw.hasLabels();
    }

    @Override
    public int label(int index) {
        return raw.label(index);
    }

    @Override
    public String sourceOf(int index) {
        return raw.sourceOf(index);
    }

    @Override
    public String describe() {
        return raw.describe();
    }

    @Override
    public List<NdArray> sample(int index) {
        List<NdArray> in = raw.sample(index);
        List<NdArray> out = new ArrayList<>(specs.size());
        for (int k = 0; k < specs.size(); k++) {
            out.add(convert(in.get(k), specs.get(k), pre, raw.sourceOf(index)));
        }
        return out;
    }

    /** One raw array converted for one input; {@code source} names where it came from, for messages. */
    public static NdArray convert(NdArray a, InputSpec spec, Preprocessing pre, String source) {
        int[] target = spec.shape();
        double[] values;
        int channels;
        if (a.size() == Shapes.size(target) && fitsWithoutImageOps(a, target, pre)) {
            values = toDoubles(a);
            channels = target.length == 0 ? 1 : target[target.length - 1];
        } else {
            int[] src = imageLayout(a.shape());
            int[] dst = inputImageLayout(target);
            if (src == null || dst == null) {
                throw mismatch(a, spec, source, "");
            }
            if (!pre.resize() && (src[0] != dst[0] || src[1] != dst[1])) {
                throw mismatch(a, spec, source, " (resizing is off)");
            }
            int wanted = switch (pre.color()) {
                case AUTO -> dst[2];
                case RGB -> 3;
                case GRAYSCALE -> 1;
            };
            if (wanted != dst[2] && !(wanted == 1 && dst[2] == 3)) {
                throw new DatasetException(source + ": " + pre.color().name().toLowerCase(Locale.ROOT)
                        + " images cannot feed model input " + spec + ", which has " + dst[2] + " channel(s)");
            }
            double[] px = Images.convertChannels(toDoubles(a), src[0], src[1], src[2], wanted);
            px = Images.resizeBilinear(px, src[0], src[1], wanted, dst[0], dst[1]);
            values = Images.convertChannels(px, dst[0], dst[1], wanted, dst[2]);
            channels = dst[2];
        }
        return encode(values, channels, NdArrays.dataType(a.dtype()), spec, pre.normalization(), source);
    }

    /** Same element count: a plain reshape unless a colour mode asks for conversion of a 3-channel image. */
    private static boolean fitsWithoutImageOps(NdArray a, int[] target, Preprocessing pre) {
        if (pre.color() == ColorMode.AUTO) {
            return true;
        }
        int[] dst = inputImageLayout(target);
        int wanted = pre.color() == ColorMode.RGB ? 3 : 1;
        return dst == null || dst[2] == wanted;
    }

    /** [H, W, C] of an image array [H, W], [H, W, C] (C in 1, 3, 4) or [1, H, W, C]; null if not an image. */
    private static int[] imageLayout(int[] shape) {
        int[] s = shape.length == 4 && shape[0] == 1 ? Arrays.copyOfRange(shape, 1, 4) : shape;
        if (s.length == 2) {
            return new int[] {s[0], s[1], 1};
        }
        if (s.length == 3 && (s[2] == 1 || s[2] == 3 || s[2] == 4)) {
            return s;
        }
        return null;
    }

    /** [H, W, C] of a model input [1, H, W, C], [1, H, W] (C = 1) or [H, W, C] (C 1 or 3). */
    private static int[] inputImageLayout(int[] target) {
        if (target.length == 4 && target[0] == 1 && (target[3] == 1 || target[3] == 3)) {
            return new int[] {target[1], target[2], target[3]};
        }
        if (target.length == 3 && target[0] == 1) {
            return new int[] {target[1], target[2], 1};
        }
        if (target.length == 3 && (target[2] == 1 || target[2] == 3)) {
            return target.clone();
        }
        return null;
    }

    private static double[] toDoubles(NdArray a) {
        double[] v = new double[a.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = NdArrays.get(a, k);
        }
        return v;
    }

    private static NdArray encode(
            double[] values, int channels, DataType from, InputSpec spec, Normalization norm, String source) {
        NdArray out;
        try {
            out = NdArrays.zeros(spec.type(), spec.shape());
        } catch (IllegalArgumentException e) {
            throw new DatasetException(source + ": model input " + spec + " has a type datasets cannot provide");
        }
        if (norm.channels() > 1 && norm.channels() != channels) {
            throw new DatasetException(source + ": normalization " + norm + " has " + norm.channels()
                    + " channels but model input " + spec + " has " + channels);
        }
        boolean perChannel = norm.channels() > 1;
        if (spec.type() == DataType.FLOAT32) {
            float[] f = out.floats();
            for (int k = 0; k < values.length; k++) {
                f[k] = (float) norm.apply(values[k], perChannel ? k % channels : 0);
            }
            return out;
        }
        double lo = minOf(spec.type());
        double hi = maxOf(spec.type());
        if (spec.isQuantized()) {
            double scale = spec.quant().scale(0);
            long zeroPoint = spec.quant().zeroPoint(0);
            for (int k = 0; k < values.length; k++) {
                double y = norm.apply(values[k], perChannel ? k % channels : 0);
                double q = Math.rint(y / scale) + zeroPoint;
                NdArrays.set(out, k, Math.max(lo, Math.min(hi, q)));
            }
            return out;
        }
        if (from.isFloatingPoint() || !norm.isIdentity()) {
            throw new DatasetException(source + ": model input " + spec + " takes raw "
                    + spec.type().name().toLowerCase(Locale.ROOT)
                    + " values and has no quantization; found " + from.name().toLowerCase(Locale.ROOT) + " data"
                    + (norm.isIdentity() ? "" : " with normalization " + norm)
                    + " (give integer data and no normalization)");
        }
        for (int k = 0; k < values.length; k++) {
            double v = Math.rint(values[k]); // resized pixels fall between integers
            if (v < lo || v > hi) {
                throw new DatasetException(source + ": value " + values[k] + " (element " + k
                        + ") does not fit model input " + spec + " (range " + (long) lo + ".." + (long) hi + ")");
            }
            NdArrays.set(out, k, v);
        }
        return out;
    }

    private static double minOf(DataType t) {
        return switch (t) {
            case UINT8, BOOL -> 0;
            case INT8 -> -128;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            default -> Long.MIN_VALUE;
        };
    }

    private static double maxOf(DataType t) {
        return switch (t) {
            case UINT8 -> 255;
            case BOOL -> 1;
            case INT8 -> 127;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            default -> Long.MAX_VALUE;
        };
    }

    private static DatasetException mismatch(NdArray a, InputSpec spec, String source, String why) {
        return new DatasetException(source + ": expected a sample of shape " + Arrays.toString(spec.shape())
                + " (" + spec.shape().length + "-d, " + Shapes.size(spec.shape()) + " elements) for model input " + spec
                + ", found " + NdArrays.describe(a) + why);
    }
}
