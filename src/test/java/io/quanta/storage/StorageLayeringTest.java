package io.quanta.storage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** storage is layer 1: the JDK, graph, and the AWS SDK only (so Job pods and laptops run it without Quarkus). */
class StorageLayeringTest {
    @Test
    void storageImportsOnlyTheJdkGraphAndTheAwsSdk() {
        JavaClasses storage = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.quanta.storage");
        classes()
                .that()
                .resideInAPackage("io.quanta.storage..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "io.quanta.storage..", "io.quanta.graph..", "java..", "javax..", "software.amazon.awssdk..")
                .check(storage);
    }
}
