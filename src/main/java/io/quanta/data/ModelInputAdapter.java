package io.quanta.data;

import io.quanta.graph.DataType;
import io.quanta.graph.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns raw samples into exactly what a model's inputs take. For each input:
 * <ul>
 *   <li>a sample of the input's shape, up to unit dimensions, passes as it is (a [28,28] digit feeds a
 *       [1,28,28,1] input); a flattened sample feeds a shaped input (and the reverse), element order kept;</li>
 *   <li>an image whose height, width or channels differ is converted to the declared colour mode and resized
 *       bilinearly to the input's height and width (inputs [1,H,W,C], [1,H,W] or [H,W,C]) when {@link Resize}
 *       allows it: image files by default, arrays only when asked, since an array of other images is far more often
 *       the wrong dataset than a wish to resize it;</li>
 *   <li>a float input gets the declared normalization of the values;</li>
 *   <li>an integer input with quantization gets the normalized values quantized with its scale and zero
 *       point; without quantization it takes integer data as stored (uint8 pixels for a uint8 input),
 *       which must fit its range.</li>
 * </ul>
 * What is done is decided first ({@link #plan}, a pure {@link InputConversion}) and reported
 * ({@link #preparation}); anything else fails with a {@link DatasetException} naming the file, the input, and the
 * expected and found shape and type.
 */
public final class ModelInputAdapter implements Dataset {
    private final Dataset raw;
    private final List<InputSpec> specs;
    private final Preprocessing pre;
    private final List<InputConversion> conversions;

    private ModelInputAdapter(
            Dataset raw, List<InputSpec> specs, Preprocessing pre, List<InputConversion> conversions) {
        this.raw = raw;
        this.specs = List.copyOf(specs);
        this.pre = pre;
        this.conversions = List.copyOf(conversions);
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
        List<NdArray> first = raw.sample(0);
        List<InputConversion> plans = new ArrayList<>(specs.size());
        for (int k = 0; k < specs.size(); k++) {
            plans.add(plan(first.get(k), specs.get(k), pre, raw.imageFiles(), raw.sourceOf(0)));
        }
        ModelInputAdapter a = new ModelInputAdapter(raw, specs, pre, plans);
        a.sample(0);
        return a;
    }

    public List<InputSpec> specs() {
        return specs;
    }

    /** What is done to each input's samples (for image files: to the first image). */
    public List<InputConversion> conversions() {
        return conversions;
    }

    /**
     * This adapter's work described for {@code role}: {@code available} samples in the dataset before
     * {@link Sampling#take} kept this one's {@link #size()}, {@code asked} for (0: all), drawn with {@code seed}.
     */
    public DatasetPreparation preparation(String role, int available, int asked, Long seed) {
        return new DatasetPreparation(
                role,
                raw.describe(),
                raw.imageFiles(),
                available,
                asked,
                size(),
                seed,
                conversions,
                raw.reading(),
                imageGroups());
    }

    /**
     * Image files, each converted from its own size and colour mode: the samples grouped by what their headers say
     * (no pixel decoded), each group with its conversion, in order of size (then of first appearance). Empty for
     * other datasets.
     */
    private List<DatasetPreparation.ImageGroup> imageGroups() {
        if (!raw.imageFiles() || specs.size() != 1) {
            return List.of();
        }
        Map<Images.ImageInfo, int[]> seen = new LinkedHashMap<>(); // count, first sample
        for (int i = 0; i < size(); i++) {
            int first = i;
            seen.computeIfAbsent(raw.imageInfo(i), k -> new int[] {0, first})[0]++;
        }
        List<DatasetPreparation.ImageGroup> groups = new ArrayList<>();
        seen.forEach((info, n) -> groups.add(new DatasetPreparation.ImageGroup(
                info, n[0], plan(info.shape(), DataType.UINT8, specs.get(0), pre, true, raw.sourceOf(n[1])))));
        groups.sort(Comparator.comparingInt(g -> -g.count())); // stable: ties keep the order seen
        return groups;
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
    public boolean imageFiles() {
        return raw.imageFiles();
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
    public Images.ImageInfo imageInfo(int index) {
        return raw.imageInfo(index);
    }

    @Override
    public String reading() {
        return raw.reading();
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
            NdArray a = in.get(k);
            InputConversion c = conversions.get(k);
            if (!Arrays.equals(c.from(), a.shape()) || c.fromType() != NdArrays.dataType(a.dtype())) {
                c = plan(a, specs.get(k), pre, raw.imageFiles(), raw.sourceOf(index)); // an image of another size
            }
            out.add(apply(c, a, specs.get(k), raw.sourceOf(index)));
        }
        return out;
    }

    /** Direct when the raw array is and goes in as stored: floats for a float input, unnormalized (see apply). */
    @Override
    public NdArray.Item directItem(int k) {
        NdArray.Item r = raw.directItem(k);
        InputConversion c = conversions.get(k);
        InputSpec spec = specs.get(k);
        boolean asStored = r != null
                && r.dtype() == NdArray.DType.FLOAT32
                && Arrays.equals(c.from(), r.shape())
                && c.fromType() == DataType.FLOAT32
                && c.imageFrom() == null
                && spec.type() == DataType.FLOAT32
                && c.normalization().isIdentity()
                && r.size() == NdArray.elementCount(spec.shape());
        return asStored ? new NdArray.Item(NdArray.DType.FLOAT32, spec.shape()) : null;
    }

    @Override
    public void readInto(int index, int k, Object into) {
        raw.readInto(index, k, into);
    }

    /**
     * What turns sample {@code a} into input {@code spec}, or a {@link DatasetException} saying why nothing may:
     * pure, nothing converted. {@code imageFiles}: {@code a} is a decoded image file (see {@link Resize}).
     */
    public static InputConversion plan(
            NdArray a, InputSpec spec, Preprocessing pre, boolean imageFiles, String source) {
        return plan(a.shape(), NdArrays.dataType(a.dtype()), spec, pre, imageFiles, source);
    }

    /** {@link #plan(NdArray, InputSpec, Preprocessing, boolean, String)} for a sample of this shape and type. */
    static InputConversion plan(
            int[] shape, DataType type, InputSpec spec, Preprocessing pre, boolean imageFiles, String source) {
        int[] target = spec.shape();
        int[] src = imageLayout(shape);
        int[] dst = inputImageLayout(target);
        Float scale = spec.isQuantized() && spec.type() != DataType.FLOAT32
                ? spec.quant().scale(0)
                : null;
        Long zeroPoint = scale == null ? null : spec.quant().zeroPoint(0);
        if (Shapes.size(shape) == Shapes.size(target) && fitsWithoutImageOps(target, pre)) {
            int[] sq = squeeze(shape);
            int[] tq = squeeze(target);
            boolean same = Arrays.equals(sq, tq);
            if (same || sq.length <= 1 || tq.length <= 1) {
                return new InputConversion(
                        spec.name(),
                        shape,
                        type,
                        target,
                        spec.type(),
                        !same,
                        null,
                        0,
                        null,
                        pre.normalization(),
                        scale,
                        zeroPoint);
            }
            // Same count in another layout ([3,32,32] for [32,32,3]): a reshape would scramble it.
            if (src == null || dst == null || !pre.resize().allows(imageFiles)) {
                throw refusal(shape, type, spec, dst, source, imageFiles, pre, src != null && dst != null);
            }
        }
        if (src == null || dst == null) {
            throw mismatch(shape, type, spec, source);
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
        boolean resized = src[0] != dst[0] || src[1] != dst[1];
        boolean recoloured = src[2] != wanted || wanted != dst[2];
        boolean allowed = pre.resize().allows(imageFiles)
                // image files change channels freely, arrays when a colour mode is declared
                || (!resized && (imageFiles || pre.color() != ColorMode.AUTO || !recoloured));
        if (!allowed) {
            throw refusal(shape, type, spec, dst, source, imageFiles, pre, true);
        }
        return new InputConversion(
                spec.name(),
                shape,
                type,
                target,
                spec.type(),
                false,
                src,
                wanted,
                dst,
                pre.normalization(),
                scale,
                zeroPoint);
    }

    /** Sample {@code a} converted as {@code c} plans for input {@code spec}. */
    private static NdArray apply(InputConversion c, NdArray a, InputSpec spec, String source) {
        if (c.imageFrom() == null
                && a.dtype() == NdArray.DType.FLOAT32
                && spec.type() == DataType.FLOAT32
                && c.normalization().isIdentity()
                && a.size() == NdArray.elementCount(spec.shape())) {
            // Floats as stored: the general path (through doubles, (x - 0) / 1) gives back the same floats, after
            // allocating twice the sample per sample; only the shape becomes the input's.
            return NdArray.ofFloats(spec.shape(), a.floats());
        }
        double[] values = toDoubles(a);
        int channels;
        int[] src = c.imageFrom();
        if (src == null) {
            int[] target = spec.shape();
            channels = target.length == 0 ? 1 : target[target.length - 1];
        } else {
            int[] dst = c.imageTo();
            int wanted = c.workChannels();
            double[] px = Images.convertChannels(values, src[0], src[1], src[2], wanted);
            px = Images.resizeBilinear(px, src[0], src[1], wanted, dst[0], dst[1]);
            values = Images.convertChannels(px, dst[0], dst[1], wanted, dst[2]);
            channels = dst[2];
        }
        return encode(values, channels, c.fromType(), spec, c.normalization(), source);
    }

    /** A shape without its unit dimensions: [1, 28, 28, 1] and [28, 28] are the same sample. */
    static int[] squeeze(int[] shape) {
        return Arrays.stream(shape).filter(d -> d != 1).toArray();
    }

    /** Same element count: a plain reshape unless a colour mode asks for conversion of a 3-channel image. */
    private static boolean fitsWithoutImageOps(int[] target, Preprocessing pre) {
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

    /**
     * A sample that would need resizing or colour conversion nobody allowed; {@code convertible}: {@code --resize}
     * could make it fit.
     */
    private static DatasetException refusal(
            int[] shape,
            DataType type,
            InputSpec spec,
            int[] dst,
            String source,
            boolean imageFiles,
            Preprocessing pre,
            boolean convertible) {
        String takes = dst == null ? InputConversion.dims(spec.shape()) : InputConversion.dims(dst);
        String found = (imageFiles ? ": image is " : ": samples are ") + InputConversion.dims(shape) + " "
                + InputConversion.name(type) + " but model input " + spec + " takes " + takes;
        if (imageFiles || pre.resize() == Resize.OFF) {
            return new DatasetException(
                    source + found + " and resizing is off (--no-resize, preprocessing.resize: " + "false)");
        }
        return new DatasetException(source
                + found
                + (convertible
                        ? "; give samples of that shape, or pass --resize (preprocessing.resize: true in a QuantizationJob) to "
                                + "resize and colour-convert them"
                        : "; give samples of that shape (the same number of values in another layout, which a reshape "
                                + "would scramble)"));
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

    private static DatasetException mismatch(int[] shape, DataType type, InputSpec spec, String source) {
        return new DatasetException(source + ": expected a sample of shape " + Arrays.toString(spec.shape())
                + " (" + spec.shape().length + "-d, " + Shapes.size(spec.shape()) + " elements) for model input " + spec
                + ", found " + NdArrays.dtype(type).numpyName() + Arrays.toString(shape));
    }
}
