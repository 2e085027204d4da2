package io.quanta.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layers of ../shared/DESIGN.md, enforced: a package imports only packages below it. */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.quanta");
    }

    @Test
    void engineImportsNoQuarkusKubernetesOrOperatorCode() {
        noClasses().that().resideInAPackage("io.quanta..")
                .and().resideOutsideOfPackages("io.quanta.cli..", "io.quanta.operator..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.quarkus..", "io.quarkiverse..", "io.fabric8..", "io.javaoperatorsdk..",
                        "io.quanta.operator..", "io.quanta.cli..", "jakarta.enterprise..", "jakarta.inject..")
                .because("the engine runs on a laptop and in Job pods without Quarkus or a cluster")
                .check(classes);
    }

    @Test
    void packagesFollowTheLayers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("graph").definedBy("io.quanta.graph..")
                .layer("report").definedBy("io.quanta.report..")
                .layer("data").definedBy("io.quanta.data..")
                .layer("storage").definedBy("io.quanta.storage..")
                .layer("tflite").definedBy("io.quanta.tflite..")
                .layer("kernels").definedBy("io.quanta.kernels..")
                .layer("interp").definedBy("io.quanta.interp..")
                .layer("calibrate").definedBy("io.quanta.calibrate..")
                .layer("eval").definedBy("io.quanta.eval..")
                .layer("quantize").definedBy("io.quanta.quantize..")
                .layer("pipeline").definedBy("io.quanta.pipeline..")
                .layer("cli").definedBy("io.quanta.cli..")
                .layer("operator").definedBy("io.quanta.operator..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("operator").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("pipeline").mayOnlyBeAccessedByLayers("cli", "operator")
                .whereLayer("quantize").mayOnlyBeAccessedByLayers("pipeline", "cli", "operator")
                .whereLayer("calibrate").mayOnlyBeAccessedByLayers("quantize", "pipeline", "cli", "operator")
                .whereLayer("eval").mayOnlyBeAccessedByLayers("quantize", "pipeline", "cli", "operator")
                .whereLayer("interp").mayOnlyBeAccessedByLayers("calibrate", "eval", "quantize", "pipeline", "cli", "operator")
                .whereLayer("kernels").mayOnlyBeAccessedByLayers("interp", "calibrate", "eval", "quantize", "pipeline", "cli", "operator")
                .whereLayer("tflite").mayOnlyBeAccessedByLayers("calibrate", "eval", "quantize", "pipeline", "cli", "operator")
                .whereLayer("graph").mayOnlyBeAccessedByLayers("report", "data", "storage", "tflite", "kernels", "interp",
                        "calibrate", "eval", "quantize", "pipeline", "cli", "operator")
                .check(classes);
    }
}
