package org.jmapi.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The module rules of ARCHITECTURE.md &sect;1 checked where every module is on the class path (jmapi-runtime's own
 * ArchitectureTest sees only the api and the runtime): the CLI is the only module that knows every other one, and
 * nothing knows the CLI; providers never see the runtime or each other; the runtime never names a provider.
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
    void everyModuleIsImported() {
        for (String p : new String[] {"org.jmapi.client", "org.jmapi.runtime", "org.jmapi.store.provider",
            "org.jmapi.mime", "org.jmapi.cli"}) {
            classes().that().resideInAPackage(p).should().bePublic().orShould().notBePublic()
                    .because(p + " must be on the class path for these rules to mean anything")
                    .check(production);
        }
    }

    @Test
    void nothingButTheCliDependsOnTheCli() {
        noClasses().that().resideOutsideOfPackage("org.jmapi.cli..")
                .should().dependOnClassesThat().resideInAPackage("org.jmapi.cli..")
                .check(production);
    }

    @Test
    void providersNeverSeeTheRuntimeOrEachOther() {
        noClasses().that().resideInAPackage("org.jmapi.store..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jmapi.runtime..", "org.jmapi.transport..",
                        "org.jmapi.mime..")
                .check(production);
        noClasses().that().resideInAnyPackage("org.jmapi.transport..", "org.jmapi.mime..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jmapi.runtime..", "org.jmapi.store..")
                .check(production);
    }

    @Test
    void runtimeNeverNamesAProvider() {
        noClasses().that().resideInAPackage("org.jmapi.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jmapi.store..", "org.jmapi.transport..",
                        "org.jmapi.mime..")
                .check(production);
    }

    @Test
    void apiDependsOnlyOnTheJdk() {
        noClasses().that().resideInAnyPackage("org.jmapi", "org.jmapi.prop..", "org.jmapi.table..",
                        "org.jmapi.client..", "org.jmapi.spi..")
                .should().dependOnClassesThat().resideOutsideOfPackages("java..", "org.jmapi", "org.jmapi.prop..",
                        "org.jmapi.table..", "org.jmapi.client..", "org.jmapi.spi..")
                .check(production);
    }
}
