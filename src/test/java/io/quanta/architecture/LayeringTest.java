package io.quanta.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

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
        noClasses()
                .that()
                .resideInAPackage("io.quanta..")
                .and()
                .resideOutsideOfPackages("io.quanta.cli..", "io.quanta.operator..", "io.quanta.job..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.quarkus..",
                        "io.quarkiverse..",
                        "io.fabric8..",
                        "io.javaoperatorsdk..",
                        "io.quanta.operator..",
                        "io.quanta.cli..",
                        "io.quanta.job..",
                        "jakarta.enterprise..",
                        "jakarta.inject..")
                .because("the engine runs on a laptop and in Job pods without Quarkus or a cluster")
                .check(classes);
    }

    @Test
    void jobLayerNeedsNoClusterClientOrOperatorRuntime() {
        // The job layer reads and writes the API's resource types (fabric8's model classes), but talks to no
        // cluster: no client, no Quarkus, no operator SDK, and none of the reconciler's or the CLI's code.
        noClasses()
                .that()
                .resideInAPackage("io.quanta.job..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.quarkus..",
                        "io.quarkiverse..",
                        "io.fabric8.kubernetes.client..",
                        "io.javaoperatorsdk..",
                        "io.quanta.operator.reconciler..",
                        "io.quanta.operator.dependent..",
                        "io.quanta.cli..",
                        "picocli..",
                        "jakarta.enterprise..",
                        "jakarta.inject..")
                .because("the job layer runs in the engine pod and on a laptop, and both cli and operator use it")
                .check(classes);
    }

    @Test
    void cliAndOperatorDoNotKnowEachOther() {
        noClasses()
                .that()
                .resideInAPackage("io.quanta.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.quanta.operator.reconciler..", "io.quanta.operator.dependent..")
                .because("the CLI reaches the operator's decisions and contract through the job layer")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.quanta.operator..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.quanta.cli..")
                .because("the operator imports the job layer's contract, never the CLI")
                .check(classes);
    }

    @Test
    void packagesFollowTheLayers() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("graph")
                .definedBy("io.quanta.graph..")
                .layer("report")
                .definedBy("io.quanta.report..")
                .layer("data")
                .definedBy("io.quanta.data..")
                .layer("storage")
                .definedBy("io.quanta.storage..")
                .layer("tflite")
                .definedBy("io.quanta.tflite..")
                .layer("kernels")
                .definedBy("io.quanta.kernels..")
                .layer("interp")
                .definedBy("io.quanta.interp..")
                .layer("calibrate")
                .definedBy("io.quanta.calibrate..")
                .layer("eval")
                .definedBy("io.quanta.eval..")
                .layer("quantize")
                .definedBy("io.quanta.quantize..")
                .layer("pipeline")
                .definedBy("io.quanta.pipeline..")
                // The CRD's spec and status types: data the job layer maps, below it.
                .layer("api")
                .definedBy("io.quanta.operator.api..")
                .layer("job")
                .definedBy("io.quanta.job..")
                .layer("cli")
                .definedBy("io.quanta.cli..")
                .layer("operator")
                .definedBy("io.quanta.operator.reconciler..", "io.quanta.operator.dependent..")
                .whereLayer("cli")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("operator")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("job")
                .mayOnlyBeAccessedByLayers("cli", "operator")
                .whereLayer("api")
                .mayOnlyBeAccessedByLayers("job", "cli", "operator")
                .whereLayer("pipeline")
                .mayOnlyBeAccessedByLayers("job", "cli", "operator")
                .whereLayer("quantize")
                .mayOnlyBeAccessedByLayers("pipeline", "job", "cli", "operator")
                .whereLayer("calibrate")
                .mayOnlyBeAccessedByLayers("quantize", "pipeline", "job", "cli", "operator")
                .whereLayer("eval")
                .mayOnlyBeAccessedByLayers("quantize", "pipeline", "job", "cli", "operator")
                .whereLayer("interp")
                .mayOnlyBeAccessedByLayers("calibrate", "eval", "quantize", "pipeline", "job", "cli", "operator")
                .whereLayer("kernels")
                .mayOnlyBeAccessedByLayers(
                        "interp", "calibrate", "eval", "quantize", "pipeline", "job", "cli", "operator")
                .whereLayer("tflite")
                .mayOnlyBeAccessedByLayers("calibrate", "eval", "quantize", "pipeline", "job", "cli", "operator")
                .whereLayer("graph")
                .mayOnlyBeAccessedByLayers(
                        "report",
                        "data",
                        "storage",
                        "tflite",
                        "kernels",
                        "interp",
                        "calibrate",
                        "eval",
                        "quantize",
                        "pipeline",
                        "job",
                        "cli",
                        "operator")
                .check(classes);
    }
}
