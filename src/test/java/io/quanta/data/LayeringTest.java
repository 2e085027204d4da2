package io.quanta.data;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** data is layer 1 (graph and the JDK only); calibrate is layer 4 (graph, kernels, interp, data, Jackson). */
class LayeringTest {
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.quanta.data", "io.quanta.calibrate");

    @Test
    void dataImportsOnlyGraphAndTheJdk() {
        classes()
                .that()
                .resideInAPackage("io.quanta.data..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("io.quanta.data..", "io.quanta.graph..", "java..", "javax..")
                .check(ENGINE);
    }

    @Test
    void calibrateImportsOnlyLowerEngineLayers() {
        classes()
                .that()
                .resideInAPackage("io.quanta.calibrate..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "io.quanta.calibrate..",
                        "io.quanta.graph..",
                        "io.quanta.kernels..",
                        "io.quanta.interp..",
                        "io.quanta.data..",
                        "com.fasterxml.jackson..",
                        // SIMD min/max and binning of every activation (VectorValueScan), as the kernels use it
                        "jdk.incubator.vector..",
                        "java..")
                .check(ENGINE);
    }
}
