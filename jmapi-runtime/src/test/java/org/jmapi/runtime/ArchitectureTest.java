package org.jmapi.runtime;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The module picture of ARCHITECTURE.md &sect;1, enforced: the API depends on nothing but the JDK, the runtime
 * never names a concrete provider (it finds them through ServiceLoader), and providers never see the runtime.
 */
class ArchitectureTest {
    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.jmapi");
    }

    @Test
    void api_dependsOnlyOnTheJdk() {
        noClasses().that().resideInAPackage("org.jmapi..").and().resideOutsideOfPackages("org.jmapi.runtime..",
                        "org.jmapi.store..", "org.jmapi.transport..", "org.jmapi.mime..", "org.jmapi.cli..",
                        "org.jmapi.testkit..", "org.jmapi.bench..")
                .should().dependOnClassesThat().resideOutsideOfPackages("java..", "org.jmapi..")
                .because("jmapi-api depends on nothing but the JDK")
                .check(production);
        noClasses().that().resideInAnyPackage("org.jmapi", "org.jmapi.prop..", "org.jmapi.table..",
                        "org.jmapi.client..", "org.jmapi.spi..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jmapi.runtime..", "org.jmapi.store..",
                        "org.jmapi.transport..", "org.jmapi.cli..")
                .check(production);
    }

    @Test
    void runtime_neverNamesAConcreteProvider() {
        noClasses().that().resideInAPackage("org.jmapi.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jmapi.store..", "org.jmapi.transport..",
                        "org.jmapi.mime..", "org.jmapi.cli..")
                .because("the runtime finds providers only through ServiceLoader")
                .check(production);
    }

    @Test
    void clientAndSpiInterfaces_doNotDependOnEachOthersImplementations() {
        noClasses().that().resideInAPackage("org.jmapi.client..")
                .should().dependOnClassesThat().resideInAPackage("org.jmapi.spi..")
                .because("clients never see the provider SPI")
                .check(production);
    }
}
