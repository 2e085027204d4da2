package io.quanta.acceptance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.testing.SharedAssets;
import io.quanta.testing.Slow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 3 acceptance: int8 files at most 0.4x their float file (over 100 kB), tiny_vww_96 at most 0.35x. */
@Slow
class ModelSizeTest {
    static Stream<Path> floatModels() {
        return SharedAssets.floatModels();
    }

    @ParameterizedTest
    @MethodSource("floatModels")
    void int8FileIsSmallEnough(Path floatModel) throws IOException {
        long floatBytes = Files.size(floatModel);
        long ours = Files.size(Runs.int8(floatModel).model());
        double ratio = (double) ours / floatBytes;
        Path ref = Runs.referenceOf(floatModel.getFileName().toString());
        System.out.printf(
                Locale.ROOT,
                "%s: %d -> %d bytes, %.3fx%s%n",
                Runs.stem(floatModel),
                floatBytes,
                ours,
                ratio,
                ref == null
                        ? ""
                        : String.format(Locale.ROOT, " (converter %.3fx)", (double) Files.size(ref) / floatBytes));
        String name = floatModel.getFileName().toString();
        double limit = name.startsWith("tiny_vww_96") ? 0.35 : 0.4;
        if (floatBytes > 100_000 || name.startsWith("tiny_vww_96")) {
            assertTrue(ratio <= limit, name + ": int8 file is " + ratio + "x the float file, limit " + limit);
        }
    }
}
