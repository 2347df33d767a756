package dev.moe.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The structure the design depends on, checked on the compiled classes of every module the CLI is built from (api,
 * gating, the built-in experts, runtime, cli): no cycle between packages, and dependencies pointing one way,
 * api <- gating/experts <- runtime <- cli (moe-spark sits beside cli; Maven keeps it off the others' class paths).
 */
class ArchitectureTest {

    private static JavaClasses moe;

    @BeforeAll
    static void importClasses() {
        moe = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.moe");
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.moe.(**)").should().beFreeOfCycles().check(moe);
    }

    @Test
    void modulesDependOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("api").definedBy("dev.moe.api..")
                .layer("gating").definedBy("dev.moe.gating..")
                .layer("experts").definedBy("dev.moe.experts..")
                .layer("runtime").definedBy("dev.moe.runtime..")
                .layer("cli").definedBy("dev.moe.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("runtime").mayOnlyBeAccessedByLayers("cli")
                // Experts are found by ServiceLoader: nothing compiles against a provider module.
                .whereLayer("experts").mayNotBeAccessedByAnyLayer()
                .whereLayer("gating").mayOnlyBeAccessedByLayers("experts", "runtime", "cli")
                .check(moe);
    }

    /**
     * {@code moe inspect} promises that an untrusted bundle is safe to inspect: what describes a bundle reaches no
     * provider, registry, class loader or assembly, through which plugin code could run.
     */
    @Test
    void inspectingABundleCannotReachCodeThatRunsPlugins() {
        noClasses().that().haveFullyQualifiedName("dev.moe.runtime.bundle.BundleInspection")
                .or().haveFullyQualifiedName("dev.moe.cli.InspectCommand")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.moe.runtime.plugins.ProviderRegistry")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.moe.runtime.bundle.MixtureAssembly")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.moe.runtime.bundle.SavedMixture")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.moe.api.ExpertProvider")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.moe.api.RoutingStrategyProvider")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.ServiceLoader")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.URLClassLoader")
                .check(moe);
    }

    @Test
    void theApiNeedsOnlyTheJdk() {
        noClasses().that().resideInAPackage("dev.moe.api..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.moe.api..", "java..", "javax..")
                .check(moe);
    }
}
