package io.quanta.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Class labels, one per sample, read from an IDX label file, a text file (one label per line, or
 * "name label" per line to label files by name) or a CSV (a label column, optionally a file-name column).
 * A label is a class index; a class name is accepted when a class list (such as an ImageNet labels file,
 * line i = class i) is given to translate it.
 */
public final class Labels {
    private final int[] values;
    private final String[] names;
    private final String source;

    private Labels(int[] values, String[] names, String source) {
        this.values = values;
        this.names = names;
        this.source = source;
    }

    public static Labels of(int[] values, String source) {
        return new Labels(values.clone(), null, source);
    }

    /** Reads labels, choosing the format by name: IDX (.gz, .idx, *-ubyte), CSV (.csv), else text. */
    public static Labels read(Path file, List<String> classNames) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz") || n.endsWith(".idx") || n.contains("-ubyte") || n.contains("idx1")) {
            return fromIdx(file);
        }
        if (n.endsWith(".csv")) {
            return fromCsv(file, classNames);
        }
        return fromText(file, classNames);
    }

    /** Labels from a one-dimensional integer IDX file (for example MNIST's labels-idx1-ubyte). */
    public static Labels fromIdx(Path file) {
        NdArray a = IdxFile.read(file);
        boolean column = a.rank() == 2 && a.dim(1) == 1;
        if ((a.rank() != 1 && !column) || !NdArrays.isInteger(a)) {
            throw DatasetException.of(
                    file, "expected a one-dimensional integer IDX label file, found " + NdArrays.describe(a));
        }
        int[] v = new int[a.dim(0)];
        for (int k = 0; k < v.length; k++) {
            v[k] = (int) NdArrays.get(a, k);
        }
        if (v.length == 0) {
            throw DatasetException.of(file, "holds no labels");
        }
        return new Labels(v, null, file.toString());
    }

    /**
     * Labels from text: either one label per line, or "name label" per line (separated by a tab, a comma or
     * spaces) to label samples by file name. Blank lines and lines starting with '#' are skipped.
     */
    public static Labels fromText(Path file, List<String> classNames) {
        List<String> lines = readLines(file);
        List<String> tokens = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int cut = indexOfSeparator(line);
            if (cut < 0) {
                tokens.add(line);
                names.add(null);
            } else {
                names.add(line.substring(0, cut).strip());
                tokens.add(line.substring(cut + 1).strip());
            }
            if ((names.get(0) == null) != (names.get(names.size() - 1) == null)) {
                throw DatasetException.of(file, "line " + lineNo + ": mixes 'label' lines with 'name label' lines");
            }
        }
        return build(file, tokens, names.isEmpty() || names.get(0) == null ? null : names, classNames);
    }

    /**
     * Labels from a CSV file. With a header row, the label column is the one named "label" (or "class",
     * "target", "y"), and the name column is "file", "filename", "name", "image" or "path"; without one, a
     * single column is the label, and with several the first is the file name and the last the label.
     */
    public static Labels fromCsv(Path file, List<String> classNames) {
        List<String[]> rows = new ArrayList<>();
        for (String line : readLines(file)) {
            if (!line.isBlank()) {
                String[] cells = line.split(",", -1);
                for (int c = 0; c < cells.length; c++) {
                    cells[c] = unquote(cells[c].strip());
                }
                rows.add(cells);
            }
        }
        if (rows.isEmpty()) {
            throw DatasetException.of(file, "holds no labels");
        }
        String[] first = rows.get(0);
        int labelCol = -1;
        int nameCol = -1;
        for (int c = 0; c < first.length; c++) {
            String h = first[c].toLowerCase(Locale.ROOT);
            if (List.of("label", "class", "target", "y").contains(h)) {
                labelCol = c;
            } else if (List.of("file", "filename", "name", "image", "path").contains(h)) {
                nameCol = c;
            }
        }
        boolean header = labelCol >= 0 || nameCol >= 0;
        if (header) {
            rows.remove(0);
            if (labelCol < 0) {
                throw DatasetException.of(
                        file,
                        "header " + String.join(",", first)
                                + " has no label column (expected one named label, class, target or y)");
            }
        } else {
            labelCol = first.length - 1;
            nameCol = first.length > 1 ? 0 : -1;
        }
        List<String> tokens = new ArrayList<>();
        List<String> names = nameCol >= 0 ? new ArrayList<>() : null;
        int rowNo = header ? 1 : 0;
        for (String[] row : rows) {
            rowNo++;
            if (row.length <= Math.max(labelCol, nameCol)) {
                throw DatasetException.of(
                        file,
                        "row " + rowNo + " has " + row.length + " columns, expected "
                                + (Math.max(labelCol, nameCol) + 1));
            }
            tokens.add(row[labelCol]);
            if (names != null) {
                names.add(row[nameCol]);
            }
        }
        return build(file, tokens, names, classNames);
    }

    /** Reads a class list: line i is the name of class i (blank lines kept, they hold an index). */
    public static List<String> readClassNames(Path file) {
        List<String> lines = new ArrayList<>(readLines(file));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        return lines.stream().map(String::strip).toList();
    }

    private static Labels build(Path file, List<String> tokens, List<String> names, List<String> classNames) {
        if (tokens.isEmpty()) {
            throw DatasetException.of(file, "holds no labels");
        }
        Map<String, Integer> classIndex = new HashMap<>();
        if (classNames != null) {
            for (int k = 0; k < classNames.size(); k++) {
                classIndex.putIfAbsent(classNames.get(k), k);
            }
        }
        int[] v = new int[tokens.size()];
        for (int k = 0; k < v.length; k++) {
            String t = tokens.get(k);
            Integer c = classIndex.get(t);
            if (c == null) {
                try {
                    c = Integer.parseInt(t);
                } catch (NumberFormatException e) {
                    throw DatasetException.of(
                            file,
                            "label '" + t + "' (entry " + (k + 1) + ") is not a class index"
                                    + (classNames == null
                                            ? " (give a class list to use class names)"
                                            : " nor a known class name"));
                }
            }
            if (c < 0) {
                throw DatasetException.of(file, "label " + c + " (entry " + (k + 1) + ") is negative");
            }
            v[k] = c;
        }
        return new Labels(v, names == null ? null : names.toArray(String[]::new), file.toString());
    }

    public int size() {
        return values.length;
    }

    public int get(int index) {
        return values[index];
    }

    public int[] values() {
        return values.clone();
    }

    public String source() {
        return source;
    }

    /** True when the labels are keyed by sample (file) name. */
    public boolean byName() {
        return names != null;
    }

    /**
     * These labels in the order of the given sample names: by name when the labels are keyed by name
     * (matching the full name or the name without its extension), else positionally, counts permitting.
     */
    public Labels alignTo(List<String> sampleNames) {
        if (names == null) {
            if (values.length != sampleNames.size()) {
                throw new DatasetException(
                        source + ": has " + values.length + " labels for " + sampleNames.size() + " samples");
            }
            return this;
        }
        Map<String, Integer> byName = new HashMap<>();
        for (int k = 0; k < names.length; k++) {
            byName.put(names[k], values[k]);
            byName.putIfAbsent(stripExtension(baseName(names[k])), values[k]);
        }
        int[] v = new int[sampleNames.size()];
        for (int k = 0; k < v.length; k++) {
            String name = sampleNames.get(k);
            Integer label = byName.get(name);
            if (label == null) {
                label = byName.get(baseName(name));
            }
            if (label == null) {
                label = byName.get(stripExtension(baseName(name)));
            }
            if (label == null) {
                throw new DatasetException(source + ": has no label for '" + name + "'");
            }
            v[k] = label;
        }
        return new Labels(v, null, source);
    }

    private static int indexOfSeparator(String line) {
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (c == '\t' || c == ',' || c == ' ') {
                return k;
            }
        }
        return -1;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static String baseName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(slash + 1);
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static List<String> readLines(Path file) {
        try {
            DataLimits.checkFileSize(file, Files.size(file), DataLimits.maxTextBytes(), "a labels file");
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw DatasetException.cannotRead(file, e);
        }
    }
}
