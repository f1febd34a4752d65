package dev.berth.build;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package rules ARCHITECTURE.md states, checked on the compiled classes: no cycle between Berth's packages, each
 * package imports only the packages below it, and the public types are the ones listed here. A new upward import,
 * a cycle, or a new public type fails here until the map (and this list) says why.
 */
class ArchitectureTest {

    private static JavaClasses berth;

    @BeforeAll
    static void importMainClasses() {
        berth = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages("dev.berth");
    }

    @Test
    void noPackageDependsOnAnotherThatDependsOnIt() {
        slices().assignedFrom(EACH_PACKAGE).should().beFreeOfCycles().check(berth);
    }

    @Test
    void eachPackageImportsOnlyThePackagesBelowIt() {
        Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("launcher").definedBy("dev.berth")
                .layer("metrics").definedBy("dev.berth.metrics")
                .layer("deploy").definedBy("dev.berth.deploy")
                .layer("resources").definedBy("dev.berth.resources")
                .layer("sessions").definedBy("dev.berth.sessions")
                .layer("server").definedBy("dev.berth.server")
                .layer("handover").definedBy("dev.berth.handover")
                .layer("migrate").definedBy("dev.berth.migrate")
                .layer("health").definedBy("dev.berth.health")
                .layer("observe").definedBy("dev.berth.observe")
                .layer("backing").definedBy("dev.berth.backing")
                .layer("files").definedBy("dev.berth.files")
                .layer("bind").definedBy("dev.berth.bind")
                .layer("logging").definedBy("dev.berth.logging")
                .layer("config").definedBy("dev.berth.config")
                .layer("http").definedBy("dev.berth.http")
                .layer("base").definedBy("dev.berth.base")
                .whereLayer("base").mayNotAccessAnyLayer()
                .whereLayer("http").mayNotAccessAnyLayer()
                .whereLayer("health").mayNotAccessAnyLayer()
                .whereLayer("observe").mayNotAccessAnyLayer()
                .whereLayer("config").mayOnlyAccessLayers("base")
                .whereLayer("logging").mayOnlyAccessLayers("base", "http")
                .whereLayer("bind").mayOnlyAccessLayers("base", "config")
                .whereLayer("files").mayOnlyAccessLayers("base", "config")
                .whereLayer("backing").mayOnlyAccessLayers("base", "config", "health")
                .whereLayer("migrate").mayOnlyAccessLayers("base", "config", "files")
                .whereLayer("handover").mayOnlyAccessLayers("base", "config", "backing", "health", "http", "observe")
                .whereLayer("server").mayOnlyAccessLayers("base", "config", "handover", "http")
                .whereLayer("sessions").mayOnlyAccessLayers("base", "config", "backing", "http", "observe")
                .whereLayer("resources").mayOnlyAccessLayers("base", "config", "backing")
                .whereLayer("deploy").mayOnlyAccessLayers("base", "config", "http", "health", "files", "backing", "migrate", "handover", "server",
                        "sessions", "resources")
                .whereLayer("metrics").mayOnlyAccessLayers("base", "config", "http", "backing", "handover", "server", "observe")
                .whereLayer("launcher").mayNotBeAccessedByAnyLayer()
                .check(berth);
    }

    @Test
    void thePublicTypesAreTheEmbeddingApiAndWhatOtherPackagesUse() {
        Set<String> publicTypes = new TreeSet<>();
        for (JavaClass type : berth) {
            // BerthConfig$...$$CMImpl: SmallRye's mapping classes, generated at build time (PregenerateConfigMapping)
            if (type.isTopLevelClass() && type.getModifiers().contains(JavaModifier.PUBLIC) && !type.getName().contains("$$")) {
                publicTypes.add(type.getName().substring("dev.berth.".length()));
            }
        }
        assertThat(publicTypes).containsExactlyInAnyOrderElementsOf(PUBLIC_TYPES);
    }

    /**
     * The embedding API ({@code Berth}, {@code Main}, the exceptions, the configuration's entry points), what another
     * package of Berth uses, and what the JVM or a library needs public (the SLF4J provider, converters SmallRye makes,
     * the bridges a converted WAR's classes call).
     */
    private static final Set<String> PUBLIC_TYPES = Set.of(
            // the embedding API and the shell
            "Berth", "Main", "base.BerthException", "base.ExitCode",
            // what every package shares
            "base.Causes", "base.SafeXml", "base.Secrets", "base.Timeline", "base.Version",
            // each package's entry point, and the values its methods take or return
            "backing.BackingServices", "backing.BackingService", "backing.ConnectionPools",
            "bind.PortBinder",
            "config.ConfigLoader", "config.BerthConfig", "config.CommandLine", "config.Environment", "config.HelpText",
            "config.LoadedConfig", "config.DatabaseUrl", "config.FileMode", "config.PortList", "config.ProxyHeaders",
            "config.RedisUrl", "config.StrictBooleanConverter", "config.OtlpHeaders",
            "deploy.Deployment", "deploy.Application",
            "files.RunFiles", "files.WorkDirectory", "files.LockedDirectory", "files.WholeFile",
            "handover.HandOverHandler", "handover.BerthEndpoints", "handover.Phase", "handover.PhaseTracker", "health.HealthCheck",
            "http.Json", "http.SmallResponse",
            "logging.Logs",
            "metrics.BerthMetrics", "observe.Observer",
            "migrate.JavaxWars",
            "resources.ContainerResources",
            "server.Servers",
            "sessions.SessionStores",
            // public for the JVM or a library: SmallRye makes the converters, SLF4J the provider, a converted WAR's
            // classes call the bridges
            "config.ContextPathConverter", "config.Counts", "config.EndpointPathConverter",
            "logging.BerthLoggingProvider", "migrate.ServletBridges",
            // extended by the loader under Tomcat's name, which a WAR that casts its loader to Tomcat's gets
            "deploy.ParallelWebAppClassLoader");

    /** Each package is a slice of its own; the classes of other libraries are not looked at. */
    private static final SliceAssignment EACH_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass type) {
            return type.getPackageName().startsWith("dev.berth") ? SliceIdentifier.of(type.getPackageName()) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "Berth's packages";
        }
    };
}
