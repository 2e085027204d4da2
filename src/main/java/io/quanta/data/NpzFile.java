package io.quanta.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads NumPy .npz files: a zip (stored or deflated) of .npy arrays, as numpy.savez and savez_compressed
 * write them. Arrays map to model inputs by name, or else by order.
 */
public final class NpzFile {
    private NpzFile() {}

    /** The arrays by name (entry name without ".npy"), in the order they are stored. */
    public static Map<String, NdArray> read(Path file) {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        // What all entries may inflate to together: the declared sizes of a zip are not to be trusted.
        long budget = DataLimits.maxBytes();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() > DataLimits.MAX_NPZ_ENTRIES) {
                throw DatasetException.of(
                        file,
                        "holds " + zip.size() + " entries, more than the " + DataLimits.MAX_NPZ_ENTRIES + " allowed");
            }
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String name = e.getName();
                if (!name.endsWith(".npy")) {
                    throw DatasetException.of(file, "entry '" + name + "' is not a .npy array");
                }
                if (name.contains("/") || name.contains("\\") || name.contains("..") || name.length() > 255) {
                    throw DatasetException.of(
                            file,
                            "entry '" + name + "' is not a plain array name (numpy.savez"
                                    + " writes names without folders)");
                }
                if (arrays.containsKey(name.substring(0, name.length() - 4))) {
                    throw DatasetException.of(file, "entry '" + name + "' appears more than once");
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = DataLimits.readCapped(in, budget, file, "entry '" + name + "'");
                }
                budget -= bytes.length;
                try {
                    arrays.put(name.substring(0, name.length() - 4), Npy.read(bytes));
                } catch (NpyFormatException ex) {
                    throw DatasetException.of(file, "entry '" + name + "': " + ex.getMessage(), ex);
                }
            }
        } catch (IllegalArgumentException e) {
            // ZipFile's way of saying an entry name is not valid in the archive's encoding.
            throw DatasetException.of(file, "not a readable .npz (zip) file: malformed entry name", e);
        } catch (ZipException e) {
            throw DatasetException.of(file, "not a readable .npz (zip) file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw DatasetException.of(
                    file, "cannot read: " + (e.getMessage() == null ? "I/O error" : e.getMessage()), e);
        }
        if (arrays.isEmpty()) {
            throw DatasetException.of(file, "holds no arrays");
        }
        return arrays;
    }

    /**
     * The file as a dataset for inputs with these names: each input takes the array of its name (the
     * TFLite names "serving_default_x:0" also match "x"); when names do not all match but the counts do,
     * arrays go to inputs in order (arr_0, arr_1, ... by number, else as stored).
     */
    public static ArrayDataset dataset(Path file, List<String> inputNames) {
        Map<String, NdArray> arrays = read(file);
        List<NdArray> chosen = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (String input : inputNames) {
            String key = keyFor(input, arrays);
            if (key == null) {
                chosen = null;
                break;
            }
            chosen.add(arrays.get(key));
            sources.add(file + "[" + key + "]");
        }
        if (chosen == null) {
            if (arrays.size() != inputNames.size()) {
                throw DatasetException.of(
                        file,
                        "holds arrays " + arrays.keySet() + " but the model has " + inputNames.size() + " input(s) "
                                + inputNames + ": name them after the inputs or give one array per input");
            }
            chosen = new ArrayList<>();
            sources = new ArrayList<>();
            for (String key : orderedKeys(arrays)) {
                chosen.add(arrays.get(key));
                sources.add(file + "[" + key + "]");
            }
        }
        return new ArrayDataset(chosen, sources);
    }

    private static String keyFor(String input, Map<String, NdArray> arrays) {
        if (arrays.containsKey(input)) {
            return input;
        }
        String plain = input;
        if (plain.startsWith("serving_default_")) {
            plain = plain.substring("serving_default_".length());
        }
        int colon = plain.lastIndexOf(':');
        if (colon > 0) {
            plain = plain.substring(0, colon);
        }
        return arrays.containsKey(plain) ? plain : null;
    }

    private static List<String> orderedKeys(Map<String, NdArray> arrays) {
        List<String> keys = new ArrayList<>(arrays.keySet());
        if (keys.stream().allMatch(k -> k.matches("arr_\\d+"))) {
            keys.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(4)), Integer.parseInt(b.substring(4))));
        }
        return keys;
    }
}
